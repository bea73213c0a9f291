import type { KpaasConfigInput } from '../../config';
import { renderedDist } from './rendered';

/** A synthesized Terraform document (cdk.tf.json), as parsed JSON. */
export interface TfDoc {
  readonly terraform: Record<string, any>;
  readonly provider: Record<string, any>;
  readonly resource: Record<string, Record<string, any>>;
  readonly data?: Record<string, Record<string, any>>;
  readonly output: Record<string, any>;
  readonly [key: string]: unknown;
}

/** Synthesizes the infra stack for a config input exactly as `kpaas synth` does (into memory; once per run: rendered.ts). */
export function synthInfraText(input: KpaasConfigInput = {}): string {
  const files = renderedDist(input);
  const file = files.get('terraform/infra/cdk.tf.json');
  if (!file) throw new Error('terraform/infra/cdk.tf.json was not rendered');
  return file.content;
}

export function synthInfra(input: KpaasConfigInput = {}): TfDoc {
  return JSON.parse(synthInfraText(input)) as TfDoc;
}

/** The resources of one type, without cdktf's "//" metadata. */
export function resources(doc: TfDoc, type: string): Record<string, any> {
  const all = doc.resource[type] ?? {};
  return Object.fromEntries(Object.entries(all).map(([k, v]) => [k, withoutMetadata(v)]));
}

/** Every resource address (`type.name`) in the document, sorted. */
export function addresses(doc: TfDoc): string[] {
  return Object.entries(doc.resource).flatMap(([type, rs]) => Object.keys(rs).map((n) => `${type}.${n}`)).sort();
}

export function withoutMetadata<T>(v: T): T {
  return JSON.parse(JSON.stringify(v, (k, x) => (k === '//' ? undefined : x))) as T;
}
