/**
 * Documentation generated from the config schema, so the reference can never drift from what the
 * loader accepts: a JSON Schema for editors (yaml-language-server) and the Markdown reference.
 */
import { z } from 'zod';
import { configSchema } from './schema';

type JsonSchema = {
  type?: string | string[];
  description?: string;
  default?: unknown;
  enum?: unknown[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  const?: unknown;
  [key: string]: unknown;
};

/** JSON Schema (draft 2020-12) of `kpaas.config.yaml`. */
export function configJsonSchema(): JsonSchema {
  const schema = z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  return { ...schema, title: 'kpaas-cdk configuration (kpaas.config.yaml)' };
}

/** The Markdown configuration reference: one row per setting, with its default. */
export function configReferenceMarkdown(): string {
  const rows: string[] = [];
  const walk = (s: JsonSchema, path: string) => {
    const variants = s.oneOf ?? s.anyOf;
    if (s.properties) {
      for (const [k, v] of Object.entries(s.properties)) walk(v, path ? `${path}.${k}` : k);
      return;
    }
    if (variants && variants.every((v) => v.properties)) {
      // the backend: one block of rows per `type`
      for (const v of variants) {
        const type = (v.properties!.type as JsonSchema).const;
        for (const [k, p] of Object.entries(v.properties!)) {
          if (k !== 'type') walk(p, `${path}.${k} (type: ${String(type)})`);
        }
      }
      walkLeaf(s, `${path}.type`, variants.map((v) => JSON.stringify((v.properties!.type as JsonSchema).const)).join(' \\| '));
      return;
    }
    walkLeaf(s, path);
  };
  const walkLeaf = (s: JsonSchema, path: string, typeOverride?: string) => {
    const [text, def] = splitDefault(s.description ?? '');
    rows.push(`| \`${path}\` | ${typeOverride ?? typeOf(s)} | ${def ?? (s.default === undefined ? 'required' : `\`${JSON.stringify(s.default)}\``)} | ${text} |`);
  };
  walk(configJsonSchema(), '');
  return [
    '# Configuration reference',
    '',
    '<!-- Generated from config/schema.ts by `npm run docs`; do not edit by hand. -->',
    '',
    'Every setting of `kpaas.config.yaml` is optional; the defaults are the seed architecture\'s',
    'cluster. Unknown keys are errors. For editor completion, point yaml-language-server at',
    '`docs/kpaas.config.schema.json` (first line of the file:',
    '`# yaml-language-server: $schema=./docs/kpaas.config.schema.json`).',
    '',
    '| setting | type | default | description |',
    '|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}

function splitDefault(description: string): [string, string | undefined] {
  const m = /^(.*?)\s*@default\s+(.*)$/s.exec(description);
  if (!m) return [escape(description), undefined];
  const def = m[2].trim();
  const code = isJson(def) ? `\`${def}\`` : escape(def);
  return [escape(m[1]), code];
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function typeOf(s: JsonSchema): string {
  if (s.enum) return s.enum.map((e) => `\`${JSON.stringify(e)}\``).join(' \\| ');
  if (s.type === 'array') return `list of ${s.items ? typeOf(s.items) : 'values'}`;
  if (s.type === 'integer') return 'integer';
  return String(s.type ?? 'value');
}

function escape(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
