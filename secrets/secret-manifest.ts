/**
 * Kubernetes Secret manifests of the secrets folder, and the kustomization that lists them. The
 * rendering is a pure function of the values, so a run that keeps every value rewrites every file
 * byte for byte; the parser reads back exactly what the renderer writes (and hand edits of data).
 */
import { parseDocument, stringify } from 'yaml';
import type { SecretSpec } from './catalog';
import { SecretsError } from './errors';
import { lastResults } from './memo';
import { MANAGED_BY, PART_OF } from '../constructs/k8s/labels';

export const PART_OF_LABEL = 'app.kubernetes.io/part-of';
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const DESCRIPTION_ANNOTATION = 'kpaas.io/description';
export const KUSTOMIZATION_FILE = 'kustomization.yaml';

/** Data key -> value (the text before base64 encoding). */
export type SecretValues = ReadonlyMap<string, string>;

/** `<namespace>.<name>.yaml`: unique, since Secret names are unique within a namespace. */
export function manifestFileName(spec: Pick<SecretSpec, 'name' | 'namespace'>): string {
  return `${spec.namespace}.${spec.name}.yaml`;
}

const YAML_OPTIONS = { lineWidth: 0, aliasDuplicateObjects: false } as const;

const HEADER = '# Made by `kpaas secrets`. Holds secret values: keep it out of version control.\n';

/** The Secret manifest for a spec and its values (keys sorted, data base64-encoded). */
export function renderSecretManifest(spec: SecretSpec, values: SecretValues): string {
  const key = JSON.stringify([spec.name, spec.namespace, spec.description, spec.type, [...values].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))]);
  return rendered(key, () => render(spec, values));
}

/** Rendering and parsing are functions of their input alone; the YAML library is most of their time (memo.ts). */
const rendered = lastResults<string>(128);
const parsed = lastResults<readonly (readonly [string, string])[]>(128);

function render(spec: SecretSpec, values: SecretValues): string {
  const data: Record<string, string> = {};
  for (const key of [...values.keys()].sort()) data[key] = Buffer.from(values.get(key) as string, 'utf8').toString('base64');
  const doc = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: spec.name,
      namespace: spec.namespace,
      labels: { [MANAGED_BY_LABEL]: MANAGED_BY, [PART_OF_LABEL]: PART_OF },
      annotations: { [DESCRIPTION_ANNOTATION]: spec.description },
    },
    type: spec.type,
    data,
  };
  return HEADER + stringify(doc, YAML_OPTIONS);
}

/** The kustomization listing the manifest files (sorted), for `kubectl apply -k`. */
export function renderKustomization(files: readonly string[]): string {
  const doc = { apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: [...files].sort() };
  return '# Made by `kpaas secrets`: kubectl apply -k <this folder>\n' + stringify(doc, YAML_OPTIONS);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * The values of an existing manifest, for the Secret the spec names. Anything that is not that
 * Secret (another object, broken YAML, data that is not base64) is an error naming the file:
 * guessing would risk replacing a value a running service uses.
 */
export function parseSecretManifest(file: string, text: string, spec: Pick<SecretSpec, 'name' | 'namespace'>): Map<string, string> {
  // only a manifest that parses is kept, so every error is still thrown with the file's name
  return new Map(parsed(JSON.stringify([spec.name, spec.namespace, text]), () => [...parse(file, text, spec)]));
}

function parse(file: string, text: string, spec: Pick<SecretSpec, 'name' | 'namespace'>): Map<string, string> {
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length > 0) throw new SecretsError(`${file}: invalid YAML (${doc.errors[0].message.split('\n')[0]}); fix or remove the file`);
  const obj: unknown = doc.toJS();
  const meta = isRecord(obj) ? obj.metadata : undefined;
  if (!isRecord(obj) || obj.apiVersion !== 'v1' || obj.kind !== 'Secret' || !isRecord(meta)) {
    throw new SecretsError(`${file}: not a v1 Secret manifest; fix or remove the file`);
  }
  if (meta.name !== spec.name || meta.namespace !== spec.namespace) {
    throw new SecretsError(`${file}: holds Secret ${String(meta.namespace)}/${String(meta.name)}, expected ${spec.namespace}/${spec.name}; fix or remove the file`);
  }
  const data = obj.data ?? {};
  if (!isRecord(data)) throw new SecretsError(`${file}: data is not a mapping; fix or remove the file`);
  const values = new Map<string, string>();
  for (const [key, encoded] of Object.entries(data)) {
    if (typeof encoded !== 'string' || !BASE64.test(encoded)) {
      throw new SecretsError(`${file}: data.${key} is not base64; fix or remove the key`);
    }
    const bytes = Buffer.from(encoded, 'base64');
    const text = bytes.toString('utf8');
    // every value this command makes is text; a binary value would not survive a rewrite
    if (!Buffer.from(text, 'utf8').equals(bytes)) throw new SecretsError(`${file}: data.${key} is not UTF-8 text; fix or remove the key`);
    values.set(key, text);
  }
  return values;
}
