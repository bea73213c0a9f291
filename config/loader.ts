/**
 * The config loader: the one place where input is read and validated. It reads the optional
 * YAML file, applies the schema (field checks and defaults) and the cross-field rules, and
 * returns the resolved, frozen PlatformConfig, or throws a ConfigError listing every problem.
 */
import * as fs from 'fs';
import * as path from 'path';
import { LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { ConfigError, ConfigIssue, show } from './errors';
import type { PlatformConfig } from './model';
import { resolveConfig } from './resolve';
import { BACKEND_TYPES, configSchema } from './schema';

/** File read when no path is given; its absence means "the seed's defaults". */
export const DEFAULT_CONFIG_FILE = 'kpaas.config.yaml';

export interface LoadConfigOptions {
  /**
   * Config file to read. A file named explicitly must exist.
   * @default `kpaas.config.yaml` in `cwd`, if it exists
   */
  readonly file?: string;
  /**
   * Directory the default file is looked up in.
   * @default process.cwd()
   */
  readonly cwd?: string;
}

/** Loads, validates and resolves the configuration (see the module comment). */
export function loadConfig(options: LoadConfigOptions = {}): PlatformConfig {
  const cwd = options.cwd ?? process.cwd();
  const file = options.file ?? DEFAULT_CONFIG_FILE;
  const abs = path.resolve(cwd, file);
  if (!fs.existsSync(abs)) {
    if (options.file !== undefined) throw new ConfigError(file, [{ path: '', message: 'file not found' }]);
    return parseConfig({}, '(defaults)');
  }
  return parseConfig(readYaml(abs, file), file);
}

/** Validates and resolves an already-parsed config object; `source` names it in errors. */
export function parseConfig(input: unknown, source = 'config'): PlatformConfig {
  if (input === null || input === undefined) input = {}; // an empty file is the defaults
  if (typeof input !== 'object' || Array.isArray(input)) {
    throw new ConfigError(source, [{ path: '', message: `the file must hold a mapping of settings, got ${show(input)}` }]);
  }
  const parsed = configSchema.safeParse(input, { reportInput: true });
  if (!parsed.success) throw new ConfigError(source, parsed.error.issues.map(formatIssue));
  const { config, issues } = resolveConfig(parsed.data);
  if (!config) throw new ConfigError(source, issues);
  return config;
}

function readYaml(abs: string, display: string): unknown {
  const text = fs.readFileSync(abs, 'utf8');
  const lines = new LineCounter();
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true, lineCounter: lines });
  if (doc.errors.length > 0) {
    throw new ConfigError(display, doc.errors.map((e) => {
      const pos = lines.linePos(e.pos[0]);
      return { path: pos ? `line ${pos.line}, column ${pos.col}` : '', message: `invalid YAML: ${e.message.split('\n')[0]}` };
    }));
  }
  return doc.toJS();
}

/** Dotted path with array indexes: `nodes.masters.ips[1]`. */
export function formatPath(p: readonly PropertyKey[]): string {
  return p.reduce<string>((acc, k) => (typeof k === 'number' ? `${acc}[${k}]` : acc ? `${acc}.${String(k)}` : String(k)), '');
}

/** Turns a zod issue into a message that names the value received and what is allowed. */
function formatIssue(issue: z.core.$ZodIssue): ConfigIssue {
  const at = formatPath(issue.path);
  const input = (issue as { input?: unknown }).input;
  switch (issue.code) {
    case 'unrecognized_keys': {
      const allowed = allowedKeys(issue.path);
      return {
        path: at,
        message: `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => show(k)).join(', ')}${allowed ? `; allowed: ${allowed.join(', ')}` : ''}`,
      };
    }
    case 'invalid_type': {
      if (input === undefined) return { path: at, message: `is required (a ${issue.expected})` };
      // YAML reads `1.32` or `yes` as a number or a boolean: say how to write the text
      const quote = issue.expected === 'string' && (typeof input === 'number' || typeof input === 'boolean')
        ? `; quote it if you meant the text "${String(input)}"` : '';
      return { path: at, message: `${show(input)} is not a ${issue.expected}${quote}` };
    }
    case 'invalid_value':
      return { path: at, message: `${show(input)} is not allowed; allowed: ${issue.values.map((v) => show(v)).join(', ')}` };
    case 'invalid_union': {
      // the only union is the backend, discriminated by `type`
      const type = (input as { type?: unknown } | undefined)?.type;
      return { path: at, message: `${show(type)} is not allowed; allowed: ${BACKEND_TYPES.map((t) => show(t)).join(', ')}` };
    }
    case 'too_small':
    case 'too_big': {
      const bound = issue.code === 'too_small' ? `at least ${issue.minimum}` : `at most ${issue.maximum}`;
      if (issue.origin === 'array') return { path: at, message: `has ${(input as unknown[] | undefined)?.length ?? 0} entries; needs ${bound}` };
      if (issue.origin === 'string') return { path: at, message: `${show(input)} is too ${issue.code === 'too_small' ? 'short' : 'long'}` };
      // custom messages (the NodePort range) say what is allowed themselves
      const own = /outside/.test(issue.message) ? issue.message : `is out of range; allowed: ${bound}`;
      return { path: at, message: `${show(input)} ${own}` };
    }
    case 'invalid_format':
      return { path: at, message: `${show(input)} ${issue.message.startsWith('Invalid') ? `is not a valid ${issue.format}` : issue.message}` };
    default:
      return { path: at, message: `${show(input)} ${issue.message}` };
  }
}

/** The keys the schema allows at a path, for "unknown key" messages. */
function allowedKeys(p: readonly PropertyKey[]): string[] | undefined {
  let s: unknown = configSchema;
  for (const k of [...p, undefined]) {
    // unwrap defaults, optionals and the like down to the object
    for (let guard = 0; guard < 10; guard++) {
      const def = (s as { _zod?: { def?: { innerType?: unknown; type?: string } } })._zod?.def;
      if (def?.innerType) s = def.innerType;
      else break;
    }
    const shape = (s as { shape?: Record<string, unknown> }).shape;
    if (k === undefined) return shape ? Object.keys(shape) : undefined;
    const el = (s as { _zod?: { def?: { element?: unknown } } })._zod?.def?.element;
    if (typeof k === 'number' && el) { s = el; continue; }
    if (!shape || !(String(k) in shape)) return undefined;
    s = shape[String(k)];
  }
  return undefined;
}
