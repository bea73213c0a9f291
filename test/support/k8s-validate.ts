/**
 * Validation of Kubernetes objects without a cluster, as strict as an API server with
 * `--validate=strict` (or stricter):
 *
 *  1. built-in kinds against the Kubernetes 1.32 OpenAPI definitions, with every object schema
 *     closed (`additionalProperties: false`) so a typo such as `replcas` is an error, not a field
 *     the API server silently drops;
 *  2. built-in kinds through kubernetes-models (1.33 schemas), whose schemas carry the enums the
 *     1.32 definitions lack (`imagePullPolicy: Sometimes`);
 *  3. custom resources against their CRD's `openAPIV3Schema`, closed the same way except where the
 *     CRD says `x-kubernetes-preserve-unknown-fields`.
 *
 * An object of a kind that is neither built in nor defined by a known CRD is an error: it would
 * not apply. Validators are compiled once per kind (or CRD version) and cached.
 */
import * as fs from 'fs';
import * as path from 'path';
import Ajv from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { parseAllDocuments } from 'yaml';
import type { ICustomResourceDefinition } from 'kubernetes-models/apiextensions.k8s.io/v1/CustomResourceDefinition';
import { VERSIONS } from '../../config/versions';
import { CLUSTER_SCOPED_KINDS, describeObject, isRecord } from './k8s-manifests';
import type { K8sObject, ManifestObject } from './k8s-manifests';

/** ../shared, beside the repository (not part of it; tests skip visibly where it is absent). */
export const SHARED_DIR = path.resolve(__dirname, '../../../shared');
export const K8S_DEFINITIONS_FILE = path.join(SHARED_DIR, 'schemas/k8s-1.32.0-definitions.json');
/**
 * Where the CRDs of the custom resources the platform writes come from. Add folders or files here.
 * MetalLB's (dist/manifests), Argo CD's and Flux's (dist/gitops) are the CRDs of the releases
 * config/versions.ts pins, committed under test/fixtures.
 */
export const CRD_SOURCES: readonly string[] = [
  path.resolve(__dirname, '..', 'fixtures', `metallb-${VERSIONS.metallb}`),
  path.resolve(__dirname, '..', 'fixtures', `argocd-${VERSIONS.argocd}`),
  path.resolve(__dirname, '..', 'fixtures', `flux-${VERSIONS.flux}`),
];

const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';
/** The $id the definitions are registered under in ajv; refs are `k8s-1.32#/definitions/...`. */
const DEFS_ID = 'k8s-1.32';

export type JsonSchema = { readonly [key: string]: unknown };

export interface K8sDefinitions {
  readonly definitions: Readonly<Record<string, JsonSchema>>;
}

/** Reads the OpenAPI definitions file; undefined when it is absent (the caller skips visibly). */
export function loadDefinitions(file: string = K8S_DEFINITIONS_FILE): K8sDefinitions | undefined {
  if (!fs.existsSync(file)) return undefined;
  const parsed: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (!isRecord(parsed) || !isRecord(parsed.definitions)) throw new Error(`${file}: no "definitions" object`);
  return { definitions: parsed.definitions as Record<string, JsonSchema> };
}

// ---------------------------------------------------------------------------------------------
// CRDs

export interface CrdVersion {
  readonly name: string;
  readonly served: boolean;
  readonly schema: JsonSchema | undefined;
}

/** What validation needs of a CustomResourceDefinition. */
export interface Crd {
  /** metadata.name, `<plural>.<group>`. */
  readonly name: string;
  readonly group: string;
  readonly kind: string;
  readonly namespaced: boolean;
  readonly versions: readonly CrdVersion[];
  /** The file it was read from, or "manifests/NN-x.yaml" when it is part of the output. */
  readonly source: string;
}

export function parseCrd(doc: unknown, source: string): Crd {
  const crd = doc as ICustomResourceDefinition;
  if (!isRecord(doc) || crd.kind !== 'CustomResourceDefinition' || !crd.spec) {
    throw new Error(`${source}: not a CustomResourceDefinition`);
  }
  return {
    name: crd.metadata?.name ?? `${crd.spec.names.plural}.${crd.spec.group}`,
    group: crd.spec.group,
    kind: crd.spec.names.kind,
    namespaced: crd.spec.scope === 'Namespaced',
    versions: crd.spec.versions.map((v) => ({
      name: v.name,
      served: v.served,
      schema: v.schema?.openAPIV3Schema as JsonSchema | undefined,
    })),
    source,
  };
}

/**
 * Loads the CRDs of a list of paths. A file contributes every CustomResourceDefinition document
 * in it; a folder contributes its files named `crd-*.yaml` (upstream's per-CRD files), so an
 * install bundle lying beside them is not read twice.
 */
export function loadCrds(paths: readonly string[]): Crd[] {
  const files = paths.flatMap((p) => {
    if (!fs.existsSync(p)) return [];
    if (!fs.statSync(p).isDirectory()) return [p];
    return fs.readdirSync(p).filter((f) => /^crd-.*\.ya?ml$/.test(f)).sort().map((f) => path.join(p, f));
  });
  const out: Crd[] = [];
  for (const file of files) {
    for (const doc of parseAllDocuments(fs.readFileSync(file, 'utf8'))) {
      const value: unknown = doc.toJS();
      if (isRecord(value) && value.kind === 'CustomResourceDefinition') out.push(parseCrd(value, file));
    }
  }
  return out;
}

/** The CRD sources that are absent (../shared missing): the checks needing them skip visibly. */
export function missingCrdSources(paths: readonly string[] = CRD_SOURCES): string[] {
  return paths.filter((p) => !fs.existsSync(p));
}

// ---------------------------------------------------------------------------------------------
// Issues

/** Which check found an issue: the strict 1.32 schema, kubernetes-models, a CRD, or the kind lookup. */
export type Check = 'schema' | 'kubernetes-models' | 'crd' | 'kind';

export interface ValidationIssue {
  readonly check: Check;
  /** `manifests/NN-x.yaml: Kind namespace/name`. */
  readonly object: string;
  /** Where in the object, kubectl-style (`.spec.template.spec.containers[0].name`); "" for the whole object. */
  readonly path: string;
  readonly message: string;
}

export function formatIssue(i: ValidationIssue): string {
  return `${i.object}: ${i.path || '(object)'}: ${i.message} [${i.check}]`;
}

/** `/spec/containers/0/name` -> `.spec.containers[0].name`. */
export function pointerToPath(pointer: string): string {
  if (!pointer) return '';
  return pointer.split('/').slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? `[${s}]` : /^[A-Za-z_][A-Za-z0-9_]*$/.test(s) ? `.${s}` : `[${JSON.stringify(s)}]`))
    .join('');
}

/** One ajv error as an issue, phrased for people (unknown field, missing field, allowed values). */
function fromAjv(check: Check, object: string, e: ErrorObject): ValidationIssue {
  const at = pointerToPath(e.instancePath);
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties':
      return { check, object, path: `${at}.${String(params.additionalProperty)}`, message: 'unknown field' };
    case 'required':
      return { check, object, path: `${at}.${String(params.missingProperty)}`, message: 'required field is missing' };
    case 'enum':
      return { check, object, path: at, message: `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}` };
    default:
      return { check, object, path: at, message: e.message ?? e.keyword };
  }
}

// ---------------------------------------------------------------------------------------------
// Making schemas strict

/** Formats checked (the rest are ignored, as the API server ignores formats it does not know). */
const FORMATS: Record<string, { type: 'number' | 'string'; validate: (v: never) => boolean }> = {
  int32: { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 },
  int64: { type: 'number', validate: (n: number) => Number.isInteger(n) },
  float: { type: 'number', validate: (n: number) => Number.isFinite(n) },
  double: { type: 'number', validate: (n: number) => Number.isFinite(n) },
  byte: { type: 'string', validate: (s: string) => /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(s) },
  'date-time': { type: 'string', validate: (s: string) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/i.test(s) },
  date: { type: 'string', validate: (s: string) => /^\d{4}-\d\d-\d\d$/.test(s) },
};

/** Keywords whose value is a map of schemas / a schema / a list of schemas. */
const SCHEMA_MAPS = ['properties', 'patternProperties', 'definitions'] as const;
const SCHEMA_ONE = ['additionalProperties', 'not'] as const;
const SCHEMA_LISTS = ['allOf', 'anyOf', 'oneOf'] as const;

/**
 * A copy of a schema (Kubernetes OpenAPI v2 definitions or a CRD's structural schema) made strict:
 * - every object schema with `properties` and neither `additionalProperties` nor
 *   `x-kubernetes-preserve-unknown-fields: true` gets `additionalProperties: false`;
 * - `x-kubernetes-int-or-string` and `format: int-or-string` become "integer or string";
 * - `nullable: true` (CRDs) admits null;
 * - formats other than those in FORMATS are dropped.
 * Only schema positions are rewritten; `enum`, `default` and vendor extensions are copied as they are.
 */
export function strictSchema(schema: JsonSchema): JsonSchema {
  const out: Record<string, unknown> = { ...schema };
  for (const k of SCHEMA_MAPS) {
    const m = schema[k];
    if (isRecord(m)) out[k] = Object.fromEntries(Object.entries(m).map(([n, s]) => [n, isRecord(s) ? strictSchema(s) : s]));
  }
  for (const k of SCHEMA_ONE) if (isRecord(schema[k])) out[k] = strictSchema(schema[k] as JsonSchema);
  for (const k of SCHEMA_LISTS) {
    const l = schema[k];
    if (Array.isArray(l)) out[k] = l.map((s: unknown) => (isRecord(s) ? strictSchema(s) : s));
  }
  if (isRecord(schema.items)) out.items = strictSchema(schema.items);
  else if (Array.isArray(schema.items)) out.items = schema.items.map((s: unknown) => (isRecord(s) ? strictSchema(s) : s));

  const intOrString = schema['x-kubernetes-int-or-string'] === true || schema.format === 'int-or-string';
  if (intOrString) out.type = ['integer', 'string'];
  if (typeof out.format === 'string' && !(out.format in FORMATS)) delete out.format;

  if (schema.nullable === true) {
    if (typeof out.type === 'string') out.type = [out.type, 'null'];
    else if (Array.isArray(out.type)) out.type = [...(out.type as unknown[]), 'null'];
    if (Array.isArray(out.enum)) out.enum = [...(out.enum as unknown[]), null];
  }

  const open = schema['x-kubernetes-preserve-unknown-fields'] === true;
  if (isRecord(schema.properties) && schema.additionalProperties === undefined && !open) out.additionalProperties = false;
  return out;
}

// ---------------------------------------------------------------------------------------------
// kubernetes-models

interface Model { validate(): void }
type ModelClass = new (data: object) => Model;

/** The kubernetes-models class of a built-in apiVersion/kind (`kubernetes-models/apps/v1/Deployment`). */
function loadModel(apiVersion: string, kind: string): ModelClass | undefined {
  if (!/^([a-z0-9.-]+\/)?v[0-9a-z]+$/.test(apiVersion) || !/^[A-Z][A-Za-z0-9]*$/.test(kind)) return undefined;
  let mod: unknown;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the module is chosen by apiVersion/kind
    mod = require(`kubernetes-models/${apiVersion}/${kind}`);
  } catch {
    return undefined;
  }
  const cls = isRecord(mod) || typeof mod === 'function' ? (mod as Record<string, unknown>)[kind] : undefined;
  return typeof cls === 'function' ? (cls as ModelClass) : undefined;
}

/** The errors kubernetes-models' validate() throws carry ajv errors in `errors`. */
function modelErrors(err: unknown): ErrorObject[] | undefined {
  if (isRecord(err) && Array.isArray(err.errors)) return err.errors as ErrorObject[];
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// The validator

export interface K8sValidatorOptions {
  /** The 1.32 definitions; without them the strict built-in schema check (1) is not run. */
  readonly definitions?: K8sDefinitions;
  readonly crds?: readonly Crd[];
}

export class K8sValidator {
  /** Loads the definitions and CRDs from ../shared (each optional: see `hasDefinitions`). */
  static fromShared(crdSources: readonly string[] = CRD_SOURCES): K8sValidator {
    return new K8sValidator({ definitions: loadDefinitions(), crds: loadCrds(crdSources) });
  }

  private readonly ajv: Ajv;
  /** `apiVersion kind` -> definition name, from the definitions' x-kubernetes-group-version-kind. */
  private readonly builtIn = new Map<string, string>();
  private readonly crds = new Map<string, Crd>();
  private readonly schemaCache = new Map<string, ValidateFunction>();
  private readonly modelCache = new Map<string, ModelClass | undefined>();
  readonly hasDefinitions: boolean;

  constructor(options: K8sValidatorOptions = {}) {
    this.ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
    for (const [name, f] of Object.entries(FORMATS)) this.ajv.addFormat(name, f as never);
    this.hasDefinitions = options.definitions !== undefined;
    if (options.definitions) {
      const defs = options.definitions.definitions;
      this.ajv.addSchema({ $id: DEFS_ID, definitions: strictSchema({ definitions: defs }).definitions }, DEFS_ID);
      for (const [name, def] of Object.entries(defs)) {
        const gvks = def['x-kubernetes-group-version-kind'];
        if (!Array.isArray(gvks) || gvks.length !== 1) continue; // DeleteOptions, WatchEvent: not objects one applies
        const { group, version, kind } = gvks[0] as { group: string; version: string; kind: string };
        this.builtIn.set(key(group ? `${group}/${version}` : version, kind), name);
      }
    }
    for (const crd of options.crds ?? []) this.addCrd(crd);
  }

  /** Makes a CRD's kind known (a later definition of the same CRD name must be identical). */
  addCrd(crd: Crd): void {
    const known = this.crds.get(crd.name);
    if (known && JSON.stringify(known.versions) !== JSON.stringify(crd.versions)) {
      throw new Error(`CRD ${crd.name} is defined twice, differently: ${known.source} and ${crd.source}`);
    }
    if (!known) this.crds.set(crd.name, crd);
  }

  /** Makes known the CRDs among a set of objects (the output may install CRDs and use them). */
  addCrdsOf(objects: readonly ManifestObject[]): void {
    for (const m of objects) {
      if (m.object.kind === 'CustomResourceDefinition' && m.object.apiVersion === 'apiextensions.k8s.io/v1') {
        this.addCrd(parseCrd(m.object, m.file));
      }
    }
  }

  /** Whether apiVersion/kind is a Kubernetes built-in (by the definitions, else by kubernetes-models). */
  isBuiltIn(apiVersion: string, kind: string): boolean {
    if (this.hasDefinitions) return this.builtIn.has(key(apiVersion, kind));
    return this.model(apiVersion, kind) !== undefined;
  }

  /** The CRD defining apiVersion/kind (by group and kind; the version is checked in validate). */
  crdFor(apiVersion: string, kind: string): Crd | undefined {
    const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
    return [...this.crds.values()].find((c) => c.group === group && c.kind === kind);
  }

  /** Whether objects of the kind live in a namespace; undefined for an unknown kind. */
  isNamespaced(apiVersion: string, kind: string): boolean | undefined {
    if (this.isBuiltIn(apiVersion, kind)) return !CLUSTER_SCOPED_KINDS.has(kind);
    return this.crdFor(apiVersion, kind)?.namespaced;
  }

  /** Every issue of one object, from every check that applies to its kind. */
  validate(m: ManifestObject): ValidationIssue[] {
    const o = m.object;
    const where = describeObject(m);
    if (this.isBuiltIn(o.apiVersion, o.kind)) return [...this.checkSchema(o, where), ...this.checkModel(o, where)];
    const crd = this.crdFor(o.apiVersion, o.kind);
    if (crd) return this.checkCustomResource(o, crd, where);
    return [{
      check: 'kind',
      object: where,
      path: '',
      message: `unknown kind ${o.apiVersion} ${o.kind}: neither a Kubernetes 1.32 built-in nor defined by a known CRD`,
    }];
  }

  /**
   * Every issue of a set of objects, formatted, for `expect(...).toEqual([])`. CRDs among the
   * objects are registered first, so custom resources of CRDs the output itself installs validate.
   */
  validateAll(objects: readonly ManifestObject[], checks?: readonly Check[]): string[] {
    this.addCrdsOf(objects);
    return objects
      .flatMap((m) => this.validate(m))
      .filter((i) => !checks || checks.includes(i.check))
      .map(formatIssue);
  }

  /** (1) The strict 1.32 schema of a built-in kind. */
  private checkSchema(o: K8sObject, where: string): ValidationIssue[] {
    if (!this.hasDefinitions) return [];
    const k = key(o.apiVersion, o.kind);
    let validate = this.schemaCache.get(k);
    if (!validate) {
      validate = this.ajv.compile({ $ref: `${DEFS_ID}#/definitions/${this.builtIn.get(k)}` });
      this.schemaCache.set(k, validate);
    }
    return validate(o) ? [] : (validate.errors ?? []).map((e) => fromAjv('schema', where, e));
  }

  /** (2) kubernetes-models' validate() of a built-in kind: enums and formats of 1.33. */
  private checkModel(o: K8sObject, where: string): ValidationIssue[] {
    const Cls = this.model(o.apiVersion, o.kind);
    if (!Cls) {
      return [{ check: 'kubernetes-models', object: where, path: '', message: `kubernetes-models has no class for ${o.apiVersion} ${o.kind}` }];
    }
    try {
      new Cls(o).validate();
      return [];
    } catch (err) {
      const errors = modelErrors(err);
      if (!errors) throw err;
      return errors.map((e) => fromAjv('kubernetes-models', where, e));
    }
  }

  /** (3) A custom resource against the served version of its CRD; metadata against ObjectMeta. */
  private checkCustomResource(o: K8sObject, crd: Crd, where: string): ValidationIssue[] {
    const version = o.apiVersion.slice(o.apiVersion.indexOf('/') + 1);
    const v = crd.versions.find((x) => x.name === version);
    const issue = (message: string): ValidationIssue[] => [{ check: 'crd', object: where, path: '.apiVersion', message }];
    if (!v) return issue(`CRD ${crd.name} has no version ${version} (it has ${crd.versions.map((x) => x.name).join(', ')})`);
    if (!v.served) return issue(`version ${version} of CRD ${crd.name} is not served`);
    if (!v.schema) return issue(`version ${version} of CRD ${crd.name} has no openAPIV3Schema`);

    const k = `crd ${crd.name} ${version}`;
    let validate = this.schemaCache.get(k);
    if (!validate) {
      const schema = strictSchema(v.schema);
      // The API server validates metadata itself (CRD schemas only say `type: object`); so do we.
      const metadata = this.hasDefinitions ? { $ref: `${DEFS_ID}#/definitions/${OBJECT_META}` } : { type: 'object' };
      const properties = { ...(schema.properties as Record<string, unknown> | undefined), metadata };
      validate = this.ajv.compile({ ...schema, properties, required: [...new Set(['apiVersion', 'kind', ...asStrings(schema.required)])] });
      this.schemaCache.set(k, validate);
    }
    return validate(o) ? [] : (validate.errors ?? []).map((e) => fromAjv('crd', where, e));
  }

  private model(apiVersion: string, kind: string): ModelClass | undefined {
    const k = key(apiVersion, kind);
    if (!this.modelCache.has(k)) this.modelCache.set(k, loadModel(apiVersion, kind));
    return this.modelCache.get(k);
  }
}

function key(apiVersion: string, kind: string): string {
  return `${apiVersion} ${kind}`;
}

function asStrings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}
