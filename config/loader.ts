/**
 * The config loader: the one place where input is read and validated. It reads the optional
 * YAML file, applies the schema (field checks and defaults) and the cross-field rules, and
 * returns the resolved, frozen PlatformConfig, or throws a ConfigError listing every problem.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Document, isAlias, isMap, isPair, isScalar, isSeq, LineCounter, Node, parseDocument } from 'yaml';
import type { z } from 'zod';
import { ConfigError, ConfigIssue, describeErrno, secretKind, show } from './errors';
import type { PlatformConfig } from './model';
import { resolveConfig } from './resolve';
import { BACKEND_TYPES, configSchema, MAX_CONFIG_ENTRIES } from './schema';
import { recordLoadWarnings } from './warnings';

/**
 * Largest configuration file read, in bytes: a real one is a few KB; a cluster of 500 + 500 nodes
 * listed by name and address is under 50 KB. Checked before reading, so a huge file fails at once.
 */
export const MAX_CONFIG_BYTES = 1024 * 1024;
/**
 * Deepest nesting of lists and mappings (the root mapping is level 1). The settings nest 4 levels
 * (`nodes.masters.ips[0]`); the YAML parser overflows its stack at about 1,000.
 */
export const MAX_CONFIG_DEPTH = 64;
// MAX_CONFIG_ENTRIES (most entries in one list or mapping) is in schema.ts, whose text names it
export { MAX_CONFIG_ENTRIES };
/** The YAML library's guard against alias bombs: aliases may expand to at most this many nodes. */
const MAX_ALIAS_COUNT = 100;
const NESTING = `nested more than ${MAX_CONFIG_DEPTH} levels deep; the settings nest at most 4 levels`;

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
  return parseConfig(readYaml(readConfigText(abs, file), file), file);
}

/**
 * Validates and resolves an already-parsed config object; `source` names it in errors and
 * warnings. Nothing at all (an empty file) is the seed's defaults, with a warning; so is a section
 * with nothing under it (`nodes:` alone, or with every line under it commented out): it counts
 * as absent, with a warning naming it.
 */
export function parseConfig(input: unknown, source = 'config'): PlatformConfig {
  const warnings: string[] = [];
  if (input === null || input === undefined) {
    warnings.push(`${source}: the file is empty: using the seed's defaults`);
    input = {};
  }
  if (typeof input !== 'object' || Array.isArray(input)) {
    throw new ConfigError(source, [{ path: '', message: `the file must hold a mapping of settings, got ${show(input)}` }]);
  }
  const emptied: string[] = [];
  input = withoutEmptySections(input as Record<string, unknown>, configSchema, [], emptied);
  for (const at of emptied) warnings.push(`${source}: ${at}: has nothing under it: using its defaults, as when it is absent`);
  const parsed = configSchema.safeParse(input, { reportInput: true });
  if (!parsed.success) throw new ConfigError(source, parsed.error.issues.map(formatIssue));
  const { config, issues } = resolveConfig(parsed.data);
  if (!config) throw new ConfigError(source, issues);
  recordLoadWarnings(config, warnings);
  return config;
}

/** Unwraps defaults, optionals and the like down to the schema that checks the value. */
function unwrap(s: unknown): { _zod?: { def?: Record<string, unknown> }; shape?: Record<string, unknown> } {
  for (let guard = 0; guard < 10; guard++) {
    const inner = (s as { _zod?: { def?: { innerType?: unknown } } })._zod?.def?.innerType;
    if (!inner) break;
    s = inner;
  }
  return s as { _zod?: { def?: Record<string, unknown> }; shape?: Record<string, unknown> };
}

/** `input` without the keys that hold null where the schema expects a section (a mapping). */
function withoutEmptySections(input: Record<string, unknown>, schema: unknown, at: PropertyKey[], emptied: string[]): Record<string, unknown> {
  const shape = unwrap(schema).shape;
  if (!shape) return input;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) {
    const field = Object.prototype.hasOwnProperty.call(shape, key) ? unwrap(shape[key]) : undefined;
    const kind = field?._zod?.def?.type;
    if (value === null && (kind === 'object' || kind === 'record' || kind === 'union')) {
      emptied.push(formatPath([...at, key]));
      continue;
    }
    out[key] = kind === 'object' && typeof value === 'object' && value !== null && !Array.isArray(value)
      ? withoutEmptySections(value as Record<string, unknown>, field, [...at, key], emptied)
      : value;
  }
  return out;
}

/**
 * Reads the file, at most MAX_CONFIG_BYTES of it: the size is checked before reading, so a huge
 * file fails at once. Failures name the file and what went wrong, in one line.
 */
function readConfigText(abs: string, display: string): string {
  const fail = (message: string) => new ConfigError(display, [{ path: '', message }]);
  const limit = `a configuration is at most ${MAX_CONFIG_BYTES} bytes (1 MiB)`;
  let fd: number;
  try {
    fd = fs.openSync(abs, 'r');
  } catch (e) {
    throw fail(`cannot read the file: ${describeErrno(e)}`);
  }
  try {
    const stat = fs.fstatSync(fd);
    if (stat.isDirectory()) {
      throw fail(path.basename(display) === DEFAULT_CONFIG_FILE ? 'is a directory, not the configuration file'
        : `is a directory; --config names the configuration file (e.g. ${path.posix.join(display, DEFAULT_CONFIG_FILE)})`);
    }
    if (stat.isFile() && stat.size > MAX_CONFIG_BYTES) throw fail(`the file is ${stat.size} bytes; ${limit}`);
    // read up to one byte more than allowed: a pipe or device has no size to check first
    const buf = Buffer.alloc(MAX_CONFIG_BYTES + 1);
    let n = 0;
    for (let r = -1; r !== 0 && n < buf.length;) {
      r = fs.readSync(fd, buf, n, buf.length - n, null);
      n += r;
    }
    if (n > MAX_CONFIG_BYTES) throw fail(`the file is more than ${MAX_CONFIG_BYTES} bytes; ${limit}`);
    return buf.toString('utf8', 0, n);
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    throw fail(`cannot read the file: ${describeErrno(e)}`);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Where the YAML text first nests deeper than `max` lists and mappings, by a scan of its lines
 * (indentation, "- " and flow brackets outside quotes and comments), or undefined. It runs before
 * the parser, which takes seconds on deep flow nesting; the exact check on the parsed tree
 * (checkTree) follows it.
 */
export function yamlNestingBeyond(text: string, max: number): { line: number; col: number } | undefined {
  const indents: number[] = []; // indentation of the block collections around the line
  let flow = 0; // open [ and { brackets
  let flowBase = 0; // block depth where the flow collection started
  let quote: string | undefined; // the quote of a quoted scalar still open
  let blockScalar = -1; // lines indented deeper than this belong to a block scalar (| or >)
  const lines = text.split('\n');
  for (let ln = 0; ln < lines.length; ln++) {
    const line = lines[ln];
    let i = 0;
    while (line[i] === ' ') i++;
    if (blockScalar >= 0) {
      if (i >= line.trimEnd().length || i > blockScalar) continue;
      blockScalar = -1;
    }
    let depth = flowBase;
    if (flow === 0 && quote === undefined) {
      if (i >= line.trimEnd().length || line[i] === '#') continue;
      while (indents.length > 0 && indents[indents.length - 1] > i) indents.pop();
      if (indents.length === 0 || indents[indents.length - 1] < i) indents.push(i);
      depth = indents.length;
      // "- - x": each further indicator on the line opens a nested collection
      let indicators = 0;
      for (; (line[i] === '-' || line[i] === '?') && (i + 1 === line.length || line[i + 1] === ' '); indicators++) {
        if (indicators > 0) depth++;
        i += 1;
        while (line[i] === ' ') i++;
      }
      // "- key: value": a mapping starts inside the list item
      if (indicators > 0 && /^[^#'"[{]*?:( |$)/.test(line.slice(i))) depth++;
      if (depth > max) return { line: ln + 1, col: i + 1 };
      if (/(^|[\s:-])[|>][0-9+-]*\s*(#.*)?$/.test(line)) blockScalar = indents[indents.length - 1];
    }
    for (; i < line.length; i++) {
      const c = line[i];
      if (quote !== undefined) {
        if (quote === '"' && c === '\\') i++;
        else if (c === quote) {
          if (quote === "'" && line[i + 1] === "'") i++;
          else quote = undefined;
        }
        continue;
      }
      const prev = i === 0 ? ' ' : line[i - 1];
      const atStart = prev === ' ' || prev === '\t' || '[{,:-?'.includes(prev);
      if (c === '#' && (prev === ' ' || prev === '\t' || i === 0)) break;
      if ((c === '"' || c === "'") && atStart) quote = c;
      else if ((c === '[' || c === '{') && (flow > 0 || atStart)) {
        if (flow === 0) flowBase = depth;
        flow++;
        if (flowBase + flow > max) return { line: ln + 1, col: i + 1 };
      } else if ((c === ']' || c === '}') && flow > 0) flow--;
    }
  }
  return undefined;
}

/** Parses the configuration's YAML within the limits (MAX_CONFIG_DEPTH, MAX_CONFIG_ENTRIES, aliases). */
function readYaml(text: string, display: string): unknown {
  const lines = new LineCounter();
  const at = (offset: number) => {
    const pos = lines.linePos(offset);
    return pos ? `line ${pos.line}, column ${pos.col}` : '';
  };
  const deep = yamlNestingBeyond(text, MAX_CONFIG_DEPTH);
  if (deep) throw new ConfigError(display, [{ path: `line ${deep.line}, column ${deep.col}`, message: NESTING }]);
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true, lineCounter: lines });
  if (doc.errors.length > 0) {
    throw new ConfigError(display, doc.errors.map((e) => ({
      path: at(e.pos[0]),
      // the parser's own stack overflows on nesting the scan did not see
      message: e instanceof Error && /call stack/i.test(e.message) ? NESTING : `invalid YAML: ${e.message.split('\n')[0]}`,
    })));
  }
  if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) return null;
  const problem = checkTree(doc, at);
  if (problem) throw new ConfigError(display, [problem]);
  try {
    return doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    if (e instanceof ReferenceError && /excessive alias count/i.test(e.message)) {
      throw new ConfigError(display, [{
        path: '',
        message: `invalid YAML: the aliases expand to too many values (the YAML library's guard against alias bombs stops at ${MAX_ALIAS_COUNT}); write the values out instead of aliasing them`,
      }]);
    }
    throw e;
  }
}

/**
 * Checks the parsed tree without recursion: nesting depth, entries per list or mapping, and that
 * every alias refers to an anchor before it and outside itself. Returns the first problem.
 */
function checkTree(doc: Document, at: (offset: number) => string): ConfigIssue | undefined {
  interface Entry { readonly node: unknown; readonly depth: number; readonly parent?: Entry; readonly key?: PropertyKey }
  const pathOf = (e: Entry | undefined): string => {
    const keys: PropertyKey[] = [];
    for (let x = e; x?.parent; x = x.parent) if (x.key !== undefined) keys.unshift(x.key);
    return formatPath(keys);
  };
  const anchors = new Map<string, unknown>();
  const stack: Entry[] = [{ node: doc.contents, depth: 1 }];
  while (stack.length > 0) {
    const entry = stack.pop() as Entry;
    const node = entry.node;
    const offset = (node as Node | undefined)?.range?.[0] ?? 0;
    if (isAlias(node)) {
      const target = anchors.get(node.source);
      if (target === undefined) {
        return { path: at(offset), message: `invalid YAML: the alias *${node.source} has no anchor &${node.source} before it` };
      }
      for (let x: Entry | undefined = entry; x; x = x.parent) {
        if (x.node === target) return { path: at(offset), message: `invalid YAML: the alias *${node.source} is inside the value it refers to` };
      }
      continue;
    }
    const anchor = (node as { anchor?: string } | null)?.anchor;
    if (anchor) anchors.set(anchor, node);
    if (!isMap(node) && !isSeq(node)) continue;
    if (entry.depth > MAX_CONFIG_DEPTH) return { path: at(offset), message: NESTING };
    if (node.items.length > MAX_CONFIG_ENTRIES) {
      const where = pathOf(entry);
      return { path: where, message: `${where ? 'has' : 'the top level has'} ${node.items.length} entries; a list or mapping holds at most ${MAX_CONFIG_ENTRIES}` };
    }
    // pushed in reverse, so that they are taken in the order of the document
    for (let i = node.items.length - 1; i >= 0; i--) {
      const item = node.items[i] as unknown;
      if (isPair(item)) {
        const key = isScalar(item.key) ? String(item.key.value) : '?';
        stack.push({ node: item.value, depth: entry.depth + 1, parent: entry, key });
        stack.push({ node: item.key, depth: entry.depth + 1, parent: entry });
      } else {
        stack.push({ node: item, depth: entry.depth + 1, parent: entry, key: i });
      }
    }
  }
  return undefined;
}

/** Dotted path with array indexes: `nodes.masters.ips[1]`. */
export function formatPath(p: readonly PropertyKey[]): string {
  return p.reduce<string>((acc, k) => (typeof k === 'number' ? `${acc}[${k}]` : acc ? `${acc}.${String(k)}` : String(k)), '');
}

/** What a setting of a type holds, for "has no value" messages. */
const EXPECTED: Readonly<Record<string, string>> = {
  number: 'a number', string: 'a string', boolean: 'true or false', array: 'a list', object: 'a mapping', record: 'a mapping',
};

/** Turns a zod issue into a message that names the value received and what is allowed. */
function formatIssue(issue: z.core.$ZodIssue): ConfigIssue {
  const at = formatPath(issue.path);
  const input = (issue as { input?: unknown }).input;
  // a private key where a public key belongs: say so, never echo it
  const secret = typeof input === 'string' && issue.code !== 'unrecognized_keys' ? secretKind(input) : undefined;
  if (secret && at === 'access.keyPair.publicKey') {
    return { path: at, message: `looks like ${secret} (not shown); paste the public key instead, the one line of the .pub file ("ssh-ed25519 AAAA... comment")` };
  }
  switch (issue.code) {
    case 'unrecognized_keys': {
      const allowed = allowedKeys(issue.path, input);
      return {
        path: at,
        message: `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => show(k)).join(', ')}${allowed ? `; allowed: ${allowed.join(', ')}` : ''}`,
      };
    }
    case 'invalid_type': {
      if (input === undefined) return { path: at, message: `is required (a ${issue.expected})` };
      if (input === null) return { path: at, message: `has no value; give ${EXPECTED[issue.expected] ?? `a ${issue.expected}`} or remove the key` };
      if (typeof input === 'number' && !Number.isFinite(input)) return { path: at, message: `${show(input)} is not a finite number` };
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
      const allowed = `allowed: ${BACKEND_TYPES.map((t) => show(t)).join(', ')}`;
      return { path: at, message: type === undefined ? `is required; ${allowed}` : `${show(type)} is not allowed; ${allowed}` };
    }
    case 'invalid_key': {
      // a record's key (images.mirrors): the key's own check says what a key may be
      const inner = issue.issues[0]?.message;
      const what = inner && !inner.startsWith('Invalid') ? inner : 'is not allowed';
      return { path: formatPath(issue.path.slice(0, -1)), message: `key ${show(input ?? issue.path[issue.path.length - 1])} ${what}` };
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

/**
 * The keys the schema allows at a path, for "unknown key" messages. At a union (the backend) the
 * keys of the option `input`'s `type` selects, or of every option when it selects none.
 */
function allowedKeys(p: readonly PropertyKey[], input: unknown): string[] | undefined {
  let s: unknown = configSchema;
  for (const k of [...p, undefined]) {
    const u = unwrap(s);
    const def = u._zod?.def as { options?: unknown[]; element?: unknown } | undefined;
    if (k === undefined) {
      if (u.shape) return Object.keys(u.shape);
      if (!def?.options) return undefined;
      const shapes = def.options.map((o) => unwrap(o).shape ?? {});
      const type = (input as { type?: unknown } | undefined)?.type;
      const chosen = shapes.filter((sh) => (unwrap(sh.type)._zod?.def?.values as unknown[] | undefined)?.includes(type));
      return [...new Set((chosen.length > 0 ? chosen : shapes).flatMap((sh) => Object.keys(sh)))];
    }
    if (typeof k === 'number' && def?.element) { s = def.element; continue; }
    if (!u.shape || !(String(k) in u.shape)) return undefined;
    s = u.shape[String(k)];
  }
  return undefined;
}
