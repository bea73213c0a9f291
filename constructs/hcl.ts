/**
 * A typed model of HCL (the format of OpenBao's server configuration and its policies), rendered
 * deterministically: the charts and the OpenBao Terraform stack both write it.
 */

/** An HCL attribute value. */
export type HclValue = string | number | boolean | readonly string[];

/** An HCL block: `type "label" { ... }`. */
export interface HclBlock {
  readonly type: string;
  /** @default none */
  readonly labels?: readonly string[];
  readonly body: HclBody;
}

/** Attributes first, then nested blocks, each in the order given. */
export interface HclBody {
  /** @default none */
  readonly attributes?: Readonly<Record<string, HclValue>>;
  /** @default none */
  readonly blocks?: readonly HclBlock[];
}

/** Renders a body as HCL (two-space indentation, strings JSON-quoted, which HCL accepts). */
export function renderHcl(body: HclBody, indent = ''): string {
  const value = (v: HclValue): string => (Array.isArray(v) ? `[${v.map((x) => JSON.stringify(x)).join(', ')}]` : JSON.stringify(v));
  const attrs = Object.entries(body.attributes ?? {});
  const width = Math.max(0, ...attrs.map(([k]) => k.length));
  const attributes = attrs.map(([k, v]) => `${indent}${k.padEnd(width)} = ${value(v)}\n`).join('');
  const blocks = (body.blocks ?? []).map((b) => {
    const head = [b.type, ...(b.labels ?? []).map((l) => JSON.stringify(l))].join(' ');
    const inner = renderHcl(b.body, `${indent}  `);
    return inner === '' ? `${indent}${head} {}\n` : `${indent}${head} {\n${inner}${indent}}\n`;
  });
  // a blank line between the attributes and each block
  return [attributes, ...blocks].filter((s) => s !== '').join('\n');
}
