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
