import { parseAllDocuments } from 'yaml';
import { PLATFORM_SERVICES, renderManifests } from '../../platform';
import { parseConfig } from '../../config';
import type { KpaasConfigInput } from '../../config';

/** A Kubernetes object as parsed from the output. */
export interface K8sObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  readonly [key: string]: any;
}

/** The rendered manifest files (name to YAML) for a config input. */
export function manifestFiles(input: KpaasConfigInput = {}): Map<string, string> {
  return renderManifests(parseConfig(input), PLATFORM_SERVICES);
}

/** The objects of one manifest file. */
export function objectsOf(yaml: string): K8sObject[] {
  return parseAllDocuments(yaml).map((d) => d.toJS() as K8sObject).filter((o) => o !== null);
}

/** The one object of a kind and name in a file; fails the test when it is missing or repeated. */
export function find(objects: readonly K8sObject[], kind: string, name: string): K8sObject {
  const hits = objects.filter((o) => o.kind === kind && o.metadata.name === name);
  if (hits.length !== 1) throw new Error(`expected one ${kind} ${name}, found ${hits.length}`);
  return hits[0];
}

/**
 * The images a manifest runs: containers' and init containers' `image`, the proxy container of an
 * EnvoyProxy (`container.image`, which Envoy Gateway runs), and the values of `*_IMAGE`
 * variables that name sidecar images (the same fields PlatformChart mirrors), sorted, once each.
 */
export function imagesIn(yaml: string): string[] {
  const found = new Set<string>();
  const walk = (v: unknown, key?: string): void => {
    if (Array.isArray(v)) { v.forEach((x) => walk(x, key)); return; }
    if (!v || typeof v !== 'object') return;
    const o = v as Record<string, unknown>;
    if ((key === 'containers' || key === 'initContainers' || key === 'container') && typeof o.image === 'string') found.add(o.image);
    if (key === 'env' && typeof o.name === 'string' && o.name.endsWith('_IMAGE') && typeof o.value === 'string') found.add(o.value);
    for (const [k, x] of Object.entries(o)) walk(x, k);
  };
  for (const doc of parseAllDocuments(yaml)) walk(doc.toJS());
  return [...found].sort();
}
