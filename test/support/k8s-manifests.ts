/**
 * Reading the rendered Kubernetes output (dist/manifests) back as objects, and the small amount
 * of Kubernetes semantics the policy tests need: which objects are workloads, their pod specs,
 * label selectors, cluster-scoped kinds. Pure functions over parsed YAML; no cluster involved.
 */
import { parseAllDocuments } from 'yaml';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IPodSpec } from 'kubernetes-models/v1/PodSpec';
import type { KpaasConfigInput } from '../../config';
import { renderedDist } from './rendered';

export type { IContainer, IPodSpec };

/** metav1.LabelSelector (declared here: kubernetes-models takes it from a package we do not depend on). */
export interface ILabelSelector {
  readonly matchLabels?: Record<string, string>;
  readonly matchExpressions?: ReadonlyArray<{ readonly key: string; readonly operator: string; readonly values?: readonly string[] }>;
}

export interface ObjectMeta {
  readonly name?: string;
  readonly namespace?: string;
  readonly labels?: Record<string, string>;
  readonly annotations?: Record<string, string>;
  readonly [key: string]: unknown;
}

/** A Kubernetes object as parsed from YAML: only the type meta and metadata are known. */
export interface K8sObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: ObjectMeta;
  readonly [key: string]: unknown;
}

/** One document of a manifest file, with where it came from (for error messages). */
export interface ManifestObject {
  /** Path relative to dist, e.g. `manifests/10-namespaces.yaml`. */
  readonly file: string;
  /** Index of the document in the file, from 0 (empty documents are not counted). */
  readonly index: number;
  readonly object: K8sObject;
}

/** The manifest folder inside dist, and what every manifest file name looks like (NN-name.yaml). */
export const MANIFEST_DIR = 'manifests';
export const MANIFEST_FILE = /^manifests\/\d{2}-[a-z0-9]+(-[a-z0-9]+)*\.yaml$/;
export const KUSTOMIZATION = `${MANIFEST_DIR}/kustomization.yaml`;

/** Parses one multi-document YAML file; throws on syntax errors and on documents that are not objects. */
export function parseManifestFile(file: string, content: string): ManifestObject[] {
  const out: ManifestObject[] = [];
  for (const doc of parseAllDocuments(content, { uniqueKeys: true })) {
    if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors.map((e) => e.message).join('; ')}`);
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) continue; // an empty document (e.g. after a trailing ---)
    if (!isRecord(value) || typeof value.apiVersion !== 'string' || typeof value.kind !== 'string') {
      throw new Error(`${file}: document ${out.length} is not a Kubernetes object (apiVersion and kind strings)`);
    }
    if (!isRecord(value.metadata)) throw new Error(`${file}: document ${out.length} (${value.kind}) has no metadata`);
    out.push({ file, index: out.length, object: value as unknown as K8sObject });
  }
  return out;
}

/** The manifest files of a rendered dist (without kustomization.yaml), in file-name order. */
export function manifestFiles(files: ReadonlyMap<string, { readonly content: string }>): Map<string, string> {
  const names = [...files.keys()]
    .filter((p) => p.startsWith(`${MANIFEST_DIR}/`) && p !== KUSTOMIZATION)
    .sort();
  return new Map(names.map((n) => [n, (files.get(n) as { content: string }).content]));
}

export function parseManifests(files: ReadonlyMap<string, string>): ManifestObject[] {
  return [...files].flatMap(([file, content]) => parseManifestFile(file, content));
}

export interface RenderedManifests {
  /** Every dist file, as renderAll returns it. */
  readonly dist: ReadonlyMap<string, { readonly content: string }>;
  /** manifests/NN-*.yaml by path, in file-name order. */
  readonly files: ReadonlyMap<string, string>;
  readonly objects: readonly ManifestObject[];
}

/** Renders a config exactly as `kpaas synth` does (into memory; once per run: rendered.ts) and parses its manifests. */
export function renderManifests(input: KpaasConfigInput = {}): RenderedManifests {
  const dist = renderedDist(input);
  const files = manifestFiles(dist);
  return { dist, files, objects: parseManifests(files) };
}

// ---------------------------------------------------------------------------------------------
// Naming objects in messages

/** `Kind namespace/name` (or `Kind name` for cluster-scoped objects). */
export function objectId(o: K8sObject): string {
  const name = o.metadata.name ?? '<no name>';
  return `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${name}`;
}

/** `manifests/20-x.yaml: Kind namespace/name`, how every failure names its object. */
export function describeObject(m: ManifestObject): string {
  return `${m.file}: ${objectId(m.object)}`;
}

// ---------------------------------------------------------------------------------------------
// Scope

/**
 * Built-in kinds that are cluster-scoped (everything else built in is namespaced). The schema
 * files do not record scope, so it is listed here; custom resources take it from their CRD.
 */
export const CLUSTER_SCOPED_KINDS: ReadonlySet<string> = new Set([
  'Namespace', 'Node', 'PersistentVolume', 'ComponentStatus',
  'ClusterRole', 'ClusterRoleBinding',
  'StorageClass', 'CSIDriver', 'CSINode', 'VolumeAttachment', 'VolumeAttributesClass',
  'CustomResourceDefinition', 'APIService',
  'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration',
  'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding',
  'MutatingAdmissionPolicy', 'MutatingAdmissionPolicyBinding',
  'PriorityClass', 'RuntimeClass', 'IngressClass', 'IPAddress', 'ServiceCIDR',
  'CertificateSigningRequest', 'ClusterTrustBundle',
  'FlowSchema', 'PriorityLevelConfiguration',
  'DeviceClass', 'ResourceSlice',
  'SelfSubjectReview', 'SelfSubjectAccessReview', 'SelfSubjectRulesReview', 'SubjectAccessReview',
  'TokenReview',
]);

// ---------------------------------------------------------------------------------------------
// Workloads and pods

export const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob'] as const;
export type WorkloadKind = (typeof WORKLOAD_KINDS)[number];

/** A workload with its pod template, read uniformly whatever its kind. */
export interface Workload {
  readonly source: ManifestObject;
  readonly kind: WorkloadKind;
  readonly namespace: string;
  readonly name: string;
  readonly podLabels: Record<string, string>;
  readonly podSpec: IPodSpec;
  /** spec.replicas where the kind has it (Deployment, StatefulSet; default 1); undefined otherwise. */
  readonly replicas: number | undefined;
  /** Deployment, StatefulSet and DaemonSet run until stopped; Job and CronJob run to completion. */
  readonly longRunning: boolean;
}

interface PodTemplate {
  readonly metadata?: ObjectMeta;
  readonly spec?: IPodSpec;
}

export function isWorkloadKind(kind: string): kind is WorkloadKind {
  return (WORKLOAD_KINDS as readonly string[]).includes(kind);
}

/** The workloads among the objects (Deployment, StatefulSet, DaemonSet, Job, CronJob). */
export function workloads(objects: readonly ManifestObject[]): Workload[] {
  const out: Workload[] = [];
  for (const source of objects) {
    const o = source.object;
    if (!isWorkloadKind(o.kind)) continue;
    const spec = asRecord(o.spec);
    const template = (o.kind === 'CronJob'
      ? asRecord(asRecord(asRecord(spec.jobTemplate).spec).template)
      : asRecord(spec.template)) as PodTemplate;
    const hasReplicas = o.kind === 'Deployment' || o.kind === 'StatefulSet';
    out.push({
      source,
      kind: o.kind,
      namespace: o.metadata.namespace ?? 'default',
      name: o.metadata.name ?? '<no name>',
      podLabels: template.metadata?.labels ?? {},
      podSpec: template.spec ?? { containers: [] },
      replicas: hasReplicas ? (typeof spec.replicas === 'number' ? spec.replicas : 1) : undefined,
      longRunning: o.kind === 'Deployment' || o.kind === 'StatefulSet' || o.kind === 'DaemonSet',
    });
  }
  return out;
}

/** A container with the workload it belongs to; `id` is `namespace/workload/container`. */
export interface WorkloadContainer {
  readonly workload: Workload;
  readonly container: IContainer;
  readonly init: boolean;
  readonly id: string;
}

/** Every container and init container of the workloads. */
export function containers(ws: readonly Workload[]): WorkloadContainer[] {
  return ws.flatMap((workload) => {
    const list = (cs: readonly IContainer[] | undefined, init: boolean) =>
      (cs ?? []).map((container) => ({
        workload,
        container,
        init,
        id: `${workload.namespace}/${workload.name}/${container.name}`,
      }));
    return [...list(workload.podSpec.initContainers, true), ...list(workload.podSpec.containers, false)];
  });
}

/** `namespace/name` of a workload, the key of the per-workload exception lists. */
export function workloadId(w: Workload): string {
  return `${w.namespace}/${w.name}`;
}

/**
 * Whether a label selector selects a set of labels (matchLabels and matchExpressions ANDed).
 * An empty selector selects everything, as in NetworkPolicy.podSelector and PDB (policy/v1).
 */
export function selectorMatches(selector: ILabelSelector | undefined, labels: Record<string, string>): boolean {
  if (!selector) return true;
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    const values = e.values ?? [];
    switch (e.operator) {
      case 'In': if (!has || !values.includes(labels[e.key])) return false; break;
      case 'NotIn': if (has && values.includes(labels[e.key])) return false; break;
      case 'Exists': if (!has) return false; break;
      case 'DoesNotExist': if (has) return false; break;
      default: return false; // an unknown operator selects nothing (the API server rejects it)
    }
  }
  return true;
}

/** Whether a selector has no terms at all (selects every pod of its namespace). */
export function isEmptySelector(selector: ILabelSelector | undefined): boolean {
  return !selector
    || (Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0);
}

/**
 * Why an image reference is not pinned, or undefined when it is: pinned means a digest, or a tag
 * that names a version (has a digit; not latest, not a moving name such as stable).
 */
export function imagePinProblem(image: string | undefined): string | undefined {
  if (!image) return 'is missing';
  if (/@sha256:[0-9a-f]{64}$/.test(image)) return undefined;
  const lastPart = image.slice(image.lastIndexOf('/') + 1); // a registry's :port comes before the last slash
  const colon = lastPart.indexOf(':');
  if (colon < 0) return 'has no tag (means latest)';
  const tag = lastPart.slice(colon + 1);
  if (tag === 'latest') return 'is tagged latest';
  return /\d/.test(tag) ? undefined : 'has a tag that is not a version';
}

// ---------------------------------------------------------------------------------------------
// Plain-data helpers

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The value as a record, or an empty one: for optional nested fields of parsed YAML. */
export function asRecord(v: unknown): Record<string, unknown> {
  return isRecord(v) ? v : {};
}

/** The objects of a given kind (and apiVersion, when given), typed by the caller. */
export function ofKind<T = K8sObject>(objects: readonly ManifestObject[], kind: string, apiVersion?: string): Array<{ source: ManifestObject; object: T }> {
  return objects
    .filter((m) => m.object.kind === kind && (apiVersion === undefined || m.object.apiVersion === apiVersion))
    .map((m) => ({ source: m, object: m.object as unknown as T }));
}
