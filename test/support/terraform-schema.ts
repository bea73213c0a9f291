/**
 * Offline stand-in for `terraform validate`: checks a synthesized `cdk.tf.json`
 * against a provider schema dumped with `terraform providers schema -json`.
 *
 * `terraform validate` needs the provider binary, which cannot be downloaded in
 * this environment, so the schema JSON is checked in and we validate against it.
 * The rules follow Terraform's own semantics (HCL JSON syntax, cty conversions)
 * so that everything reported here would also be rejected by Terraform.
 */
import * as fs from 'fs';
import * as path from 'path';

// ---------------------------------------------------------------------------
// Schema file types (subset of `terraform providers schema -json` output)
// ---------------------------------------------------------------------------

/** cty type as serialized by Terraform: `"string"`, `["list","string"]`, `["object",{...}]`, ... */
export type CtyType =
  | 'string'
  | 'number'
  | 'bool'
  | 'dynamic'
  | ['list' | 'set' | 'map', CtyType]
  | ['object', Record<string, CtyType>]
  | ['object', Record<string, CtyType>, string[]]
  | ['tuple', CtyType[]];

export interface SchemaAttribute {
  type?: CtyType;
  /**
   * Protocol-6 (terraform-plugin-framework) nested attributes: the value is an object (single),
   * a list or set of objects, or a map of objects, each checked against `attributes`.
   */
  nested_type?: SchemaNestedType;
  required?: boolean;
  optional?: boolean;
  computed?: boolean;
  sensitive?: boolean;
  /** Sent to the provider but never stored in plan or state (Terraform >= 1.11). */
  write_only?: boolean;
  deprecated?: boolean;
  description?: string;
  description_kind?: string;
}

export type NestingMode = 'single' | 'group' | 'list' | 'set' | 'map';

export interface SchemaNestedType {
  attributes: Record<string, SchemaAttribute>;
  nesting_mode: 'single' | 'list' | 'set' | 'map';
  min_items?: number;
  max_items?: number;
}

export interface SchemaBlockType {
  nesting_mode: NestingMode;
  block: SchemaBlock;
  min_items?: number;
  max_items?: number;
}

export interface SchemaBlock {
  attributes?: Record<string, SchemaAttribute>;
  block_types?: Record<string, SchemaBlockType>;
  description?: string;
  description_kind?: string;
  deprecated?: boolean;
}

export interface SchemaEntry {
  version: number;
  block: SchemaBlock;
}

export interface ProviderSchema {
  provider?: SchemaEntry;
  resource_schemas?: Record<string, SchemaEntry>;
  data_source_schemas?: Record<string, SchemaEntry>;
}

export interface ProviderSchemaFile {
  format_version: string;
  /** Keyed by full source address, e.g. `registry.terraform.io/terraform-provider-openstack/openstack`. */
  provider_schemas: Record<string, ProviderSchema>;
}

const DEFAULT_SCHEMA_FILE = path.resolve(__dirname, '../../../shared/schemas/openstack-provider-3.4.0.json');

/** Loads a provider schema dump; `undefined` when the file is absent so tests can skip visibly. */
export function loadProviderSchema(file: string = DEFAULT_SCHEMA_FILE): ProviderSchemaFile | undefined {
  if (!fs.existsSync(file)) return undefined;
  const parsed: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (!isRecord(parsed) || !isRecord(parsed.provider_schemas)) {
    throw new Error(`${file}: not a "terraform providers schema -json" document (no provider_schemas)`);
  }
  return parsed as unknown as ProviderSchemaFile;
}

// ---------------------------------------------------------------------------
// Small JSON helpers
// ---------------------------------------------------------------------------

type JsonRecord = Record<string, unknown>;

function isRecord(v: unknown): v is JsonRecord {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** cdktf puts `"//"` metadata/comment keys everywhere; Terraform ignores them in JSON too. */
function entries(obj: JsonRecord): [string, unknown][] {
  return Object.entries(obj).filter(([k]) => k !== '//');
}

/** Any string containing an interpolation is an expression whose type we cannot know statically. */
function isExpression(v: unknown): boolean {
  return typeof v === 'string' && /(^|[^$])\$\{|(^|[^%])%\{/.test(v);
}

function describe(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  if (typeof v === 'string') return `string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}...` : v)}`;
  if (typeof v === 'object') return 'object';
  return `${typeof v === 'boolean' ? 'bool' : typeof v} ${String(v)}`;
}

function typeName(t: CtyType): string {
  return typeof t === 'string' ? t : `${t[0]}(...)`;
}

/** Levenshtein distance, only used to suggest a likely intended name. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length];
}

function suggest(name: string, candidates: Iterable<string>): string {
  let best: string | undefined;
  let bestDist = Math.max(2, Math.floor(name.length / 3)) + 1;
  for (const c of candidates) {
    const d = distance(name, c);
    if (d < bestDist) [best, bestDist] = [c, d];
  }
  return best === undefined ? '' : ` (did you mean "${best}"?)`;
}

// ---------------------------------------------------------------------------
// Document index: what the document declares, for resolving references
// ---------------------------------------------------------------------------

interface DocIndex {
  resources: Map<string, Set<string>>;
  data: Map<string, Set<string>>;
  variables: Set<string>;
  locals: Set<string>;
  modules: Set<string>;
  /** provider local name -> aliases configured in `provider.<name>[]` */
  providerAliases: Map<string, Set<string>>;
}

function namesOf(v: unknown): Set<string> {
  return new Set(isRecord(v) ? entries(v).map(([k]) => k) : []);
}

function typedNames(v: unknown): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  if (isRecord(v)) for (const [type, byName] of entries(v)) out.set(type, namesOf(byName));
  return out;
}

/** Terraform JSON accepts a block as one object or an array of objects; normalise to an array. */
function asBlockList(v: unknown): unknown[] {
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v : [v];
}

function indexDocument(doc: JsonRecord): DocIndex {
  const locals = new Set<string>();
  // `locals` may be one object or (hand-written JSON) an array of objects.
  for (const l of asBlockList(doc.locals)) for (const n of namesOf(l)) locals.add(n);

  const providerAliases = new Map<string, Set<string>>();
  if (isRecord(doc.provider)) {
    for (const [name, configs] of entries(doc.provider)) {
      const aliases = new Set<string>();
      for (const c of asBlockList(configs)) if (isRecord(c) && typeof c.alias === 'string') aliases.add(c.alias);
      providerAliases.set(name, aliases);
    }
  }

  return {
    resources: typedNames(doc.resource),
    data: typedNames(doc.data),
    variables: namesOf(doc.variable),
    locals,
    modules: namesOf(doc.module),
    providerAliases,
  };
}

// ---------------------------------------------------------------------------
// Schema lookup across all providers in the schema file
// ---------------------------------------------------------------------------

interface SchemaLookup {
  resources: Map<string, SchemaBlock>;
  dataSources: Map<string, SchemaBlock>;
  /** full source address (lower-case) -> provider schema */
  bySource: Map<string, ProviderSchema>;
}

function buildLookup(file: ProviderSchemaFile): SchemaLookup {
  const lookup: SchemaLookup = { resources: new Map(), dataSources: new Map(), bySource: new Map() };
  for (const [source, ps] of Object.entries(file.provider_schemas ?? {})) {
    lookup.bySource.set(source.toLowerCase(), ps);
    for (const [t, e] of Object.entries(ps.resource_schemas ?? {})) lookup.resources.set(t, e.block);
    for (const [t, e] of Object.entries(ps.data_source_schemas ?? {})) lookup.dataSources.set(t, e.block);
  }
  return lookup;
}

/** `terraform-provider-openstack/openstack` -> `registry.terraform.io/terraform-provider-openstack/openstack`. */
function normaliseSource(source: string): string {
  const parts = source.toLowerCase().split('/');
  if (parts.length === 1) return `registry.terraform.io/hashicorp/${parts[0]}`;
  if (parts.length === 2) return `registry.terraform.io/${parts.join('/')}`;
  return parts.join('/');
}

/** Provider local name a resource belongs to: `provider` meta-argument, else the type prefix. */
function providerLocalName(type: string, body: JsonRecord): string {
  if (typeof body.provider === 'string' && !isExpression(body.provider)) return body.provider.split('.')[0];
  return type.split('_')[0];
}

// ---------------------------------------------------------------------------
// Validation context
// ---------------------------------------------------------------------------

const RESOURCE_META = new Set(['count', 'for_each', 'depends_on', 'lifecycle', 'provider', 'provisioner', 'connection']);
const DATA_META = new Set(['depends_on', 'count', 'for_each', 'provider', 'lifecycle']);
const PROVIDER_META = new Set(['alias', 'version']);
const LIFECYCLE_KEYS = new Set([
  'create_before_destroy',
  'prevent_destroy',
  'ignore_changes',
  'replace_triggered_by',
  'precondition',
  'postcondition',
]);
const OUTPUT_KEYS = new Set(['value', 'description', 'sensitive', 'depends_on', 'precondition', 'ephemeral']);
const TOP_LEVEL_KEYS = new Set([
  'terraform',
  'provider',
  'resource',
  'data',
  'variable',
  'locals',
  'output',
  'module',
  'moved',
  'import',
  'removed',
  'check',
]);
const TERRAFORM_KEYS = new Set(['required_version', 'required_providers', 'backend', 'cloud', 'experiments', 'provider_meta']);
/** Names that are never references to declared objects. */
const ALWAYS_BOUND = new Set(['each', 'count', 'self', 'path', 'terraform']);

class Validator {
  readonly errors: string[] = [];
  /** Provider local names already reported as undeclared, so each is reported once. */
  private readonly reportedProviders = new Set<string>();

  constructor(
    private readonly doc: JsonRecord,
    private readonly index: DocIndex,
    private readonly lookup: SchemaLookup,
  ) {}

  private error(address: string, where: string, message: string): void {
    this.errors.push(where ? `${address}: ${where}: ${message}` : `${address}: ${message}`);
  }

  run(): void {
    for (const [key] of entries(this.doc)) {
      if (!TOP_LEVEL_KEYS.has(key)) this.error(key, '', `unknown top-level block "${key}"`);
    }
    this.checkTerraformBlock();
    this.checkProviders();
    this.checkResources('resource');
    this.checkResources('data');
    this.checkOutputs();
    this.checkReferencesIn('locals', this.doc.locals);
    if (isRecord(this.doc.module)) {
      for (const [name, body] of entries(this.doc.module)) this.checkReferencesIn(`module.${name}`, body);
    }
  }

  // -- terraform { required_providers } ------------------------------------

  /** local name -> declared source, from `terraform.required_providers`. */
  private requiredProviders(): Map<string, unknown> {
    const out = new Map<string, unknown>();
    for (const tf of asBlockList(this.doc.terraform)) {
      if (!isRecord(tf)) continue;
      for (const rp of asBlockList(tf.required_providers)) {
        if (isRecord(rp)) for (const [name, spec] of entries(rp)) out.set(name, spec);
      }
    }
    return out;
  }

  private checkTerraformBlock(): void {
    for (const tf of asBlockList(this.doc.terraform)) {
      if (!isRecord(tf)) {
        this.error('terraform', '', `expected an object, got ${describe(tf)}`);
        continue;
      }
      for (const [key] of entries(tf)) {
        if (!TERRAFORM_KEYS.has(key)) this.error('terraform', '', `unknown setting "${key}"`);
      }
    }
    for (const [name, spec] of this.requiredProviders()) {
      const where = `terraform.required_providers.${name}`;
      // Legacy shorthand `name = "version"` implies hashicorp/<name>, which does not apply to our providers.
      const source = isRecord(spec) ? spec.source : undefined;
      if (typeof source !== 'string') {
        this.error(where, '', 'missing "source"');
        continue;
      }
      if (!this.lookup.bySource.has(normaliseSource(source))) {
        this.error(where, '', `source "${source}" is not in the provider schema (${[...this.lookup.bySource.keys()].join(', ')})`);
      }
      if (isRecord(spec) && spec.version !== undefined && typeof spec.version !== 'string') {
        this.error(where, '', `"version" must be a string constraint, got ${describe(spec.version)}`);
      }
    }
  }

  /** Provider schema for a local name; reports (once) a provider not declared in required_providers. */
  private providerSchemaFor(localName: string, usedBy: string): ProviderSchema | undefined {
    const spec = this.requiredProviders().get(localName);
    if (isRecord(spec) && typeof spec.source === 'string') {
      return this.lookup.bySource.get(normaliseSource(spec.source));
    }
    if (!this.reportedProviders.has(localName)) {
      this.reportedProviders.add(localName);
      // Without a declaration Terraform would look for hashicorp/<name>, which is the wrong provider.
      this.error('terraform.required_providers', '', `provider "${localName}" (used by ${usedBy}) is not declared`);
    }
    for (const [source, ps] of this.lookup.bySource) if (source.endsWith(`/${localName}`)) return ps;
    return undefined;
  }

  // -- provider "<name>" { ... } -------------------------------------------

  private checkProviders(): void {
    if (this.doc.provider === undefined) return;
    if (!isRecord(this.doc.provider)) {
      this.error('provider', '', `expected an object, got ${describe(this.doc.provider)}`);
      return;
    }
    for (const [name, configs] of entries(this.doc.provider)) {
      const list = asBlockList(configs);
      list.forEach((config, i) => {
        const address = list.length > 1 || Array.isArray(configs) ? `provider.${name}[${i}]` : `provider.${name}`;
        if (!isRecord(config)) {
          this.error(address, '', `expected an object, got ${describe(config)}`);
          return;
        }
        const ps = this.providerSchemaFor(name, address);
        if (!ps) {
          this.error(address, '', `unknown provider "${name}" (not in the provider schema)`);
        } else if (ps.provider) {
          this.checkBody(address, '', config, ps.provider.block, PROVIDER_META);
        }
        this.checkReferencesIn(address, config);
      });
    }
  }

  // -- resource / data ------------------------------------------------------

  private checkResources(kind: 'resource' | 'data'): void {
    const section = this.doc[kind];
    if (section === undefined) return;
    if (!isRecord(section)) {
      this.error(kind, '', `expected an object, got ${describe(section)}`);
      return;
    }
    const schemas = kind === 'resource' ? this.lookup.resources : this.lookup.dataSources;
    const meta = kind === 'resource' ? RESOURCE_META : DATA_META;
    for (const [type, byName] of entries(section)) {
      if (!isRecord(byName)) {
        this.error(`${kind}.${type}`, '', `expected an object of named ${kind === 'resource' ? 'resources' : 'data sources'}`);
        continue;
      }
      for (const [name, body] of entries(byName)) {
        const address = kind === 'resource' ? `${type}.${name}` : `data.${type}.${name}`;
        if (!isRecord(body)) {
          this.error(address, '', `expected an object, got ${describe(body)}`);
          continue;
        }
        const block = schemas.get(type);
        if (!block) {
          const what = kind === 'resource' ? 'resource type' : 'data source type';
          this.error(address, '', `unknown ${what} "${type}"${suggest(type, schemas.keys())}`);
        } else {
          this.checkBody(address, '', body, block, meta);
        }
        this.providerSchemaFor(providerLocalName(type, body), address);
        this.checkMetaArguments(address, body, block);
        this.checkReferencesIn(address, body);
      }
    }
  }

  private checkMetaArguments(address: string, body: JsonRecord, block: SchemaBlock | undefined): void {
    if (body.count !== undefined && body.for_each !== undefined) {
      this.error(address, '', '"count" and "for_each" are mutually exclusive');
    }
    if (body.count !== undefined && typeof body.count !== 'number' && !isExpression(body.count)) {
      this.error(address, 'count', `expected number, got ${describe(body.count)}`);
    }
    if (body.for_each !== undefined && !isRecord(body.for_each) && !Array.isArray(body.for_each) && !isExpression(body.for_each)) {
      this.error(address, 'for_each', `expected a map or set, got ${describe(body.for_each)}`);
    }
    if (body.provider !== undefined) this.checkProviderMeta(address, body.provider);
    if (body.depends_on !== undefined) this.checkDependsOn(address, body.depends_on);
    if (body.lifecycle !== undefined) this.checkLifecycle(address, body.lifecycle, block);
  }

  /** `provider = "openstack.alias"` must name a configured alias. */
  private checkProviderMeta(address: string, value: unknown): void {
    if (typeof value !== 'string' || !/^[A-Za-z][\w-]*(\.[A-Za-z][\w-]*)?$/.test(value.replace(/^\$\{(.*)\}$/, '$1'))) {
      this.error(address, 'provider', `expected "<name>" or "<name>.<alias>", got ${describe(value)}`);
      return;
    }
    const [name, alias] = value.replace(/^\$\{(.*)\}$/, '$1').split('.');
    if (alias !== undefined && !this.index.providerAliases.get(name)?.has(alias)) {
      this.error(address, 'provider', `provider configuration "${name}.${alias}" is not declared`);
    }
  }

  private checkLifecycle(address: string, value: unknown, block: SchemaBlock | undefined): void {
    for (const lc of asBlockList(value)) {
      if (!isRecord(lc)) {
        this.error(address, 'lifecycle', `expected an object, got ${describe(lc)}`);
        continue;
      }
      for (const [key, v] of entries(lc)) {
        if (!LIFECYCLE_KEYS.has(key)) {
          this.error(address, 'lifecycle', `unknown setting "${key}"`);
        } else if (key === 'ignore_changes' && block) {
          this.checkIgnoreChanges(address, v, block);
        }
      }
    }
  }

  /** cdktf passes ignoreChanges through verbatim, so camelCase or typos only fail at plan time. */
  private checkIgnoreChanges(address: string, value: unknown, block: SchemaBlock): void {
    if (value === 'all' || isExpression(value)) return;
    if (!Array.isArray(value)) {
      this.error(address, 'lifecycle.ignore_changes', `expected a list of attribute names or "all", got ${describe(value)}`);
      return;
    }
    const known = new Set([...Object.keys(block.attributes ?? {}), ...Object.keys(block.block_types ?? {})]);
    for (const entry of value) {
      if (typeof entry !== 'string') continue;
      const first = entry.replace(/^\$\{(.*)\}$/, '$1').split(/[.[]/)[0];
      if (!known.has(first)) {
        this.error(address, 'lifecycle.ignore_changes', `unknown attribute "${first}"${suggest(first, known)}`);
      }
    }
  }

  /** depends_on entries are whole-object addresses, plain (resources) or `${...}`-wrapped (outputs). */
  private checkDependsOn(address: string, value: unknown): void {
    if (!Array.isArray(value)) {
      this.error(address, 'depends_on', `expected a list, got ${describe(value)}`);
      return;
    }
    for (const entry of value) {
      if (typeof entry !== 'string') {
        this.error(address, 'depends_on', `expected a reference string, got ${describe(entry)}`);
        continue;
      }
      const refs = parseReferences(entry.replace(/^\$\{([\s\S]*)\}$/, '$1'));
      if (refs.length !== 1) {
        this.error(address, 'depends_on', `"${entry}" is not a single reference`);
        continue;
      }
      const problem = this.resolve(refs[0], new Set());
      if (problem) {
        this.error(address, 'depends_on', `"${entry}" does not resolve: ${problem}`);
        continue;
      }
      const attrSteps = refs[0].steps.filter((s) => s.kind === 'attr').length;
      const wholeObjectSteps = refs[0].root === 'data' ? 2 : 1;
      if (!['var', 'local'].includes(refs[0].root) && attrSteps > wholeObjectSteps) {
        this.error(address, 'depends_on', `"${entry}" must reference a whole resource, data source or module, not an attribute`);
      }
    }
  }

  // -- nested bodies and blocks --------------------------------------------

  /** Checks one configuration body (resource/data/provider or a nested block) against a schema block. */
  private checkBody(address: string, where: string, body: JsonRecord, block: SchemaBlock, meta: ReadonlySet<string>): void {
    const attributes = block.attributes ?? {};
    const blockTypes = block.block_types ?? {};
    const at = (name: string) => (where ? `${where}.${name}` : name);

    for (const [key, value] of entries(body)) {
      if (meta.has(key)) continue;
      const attr = attributes[key];
      const blockType = blockTypes[key];
      if (attr) {
        if (attr.computed && !attr.optional && !attr.required && value !== null) {
          this.error(address, where, `attribute "${key}" is computed-only and cannot be set`);
        } else if (attr.type !== undefined) {
          this.checkValue(address, at(key), attr.type, value);
        } else if (attr.nested_type !== undefined) {
          this.checkNested(address, at(key), attr.nested_type, value);
        } else {
          this.error(address, where, `attribute "${key}" has neither a type nor a nested type in the schema; cannot check it`);
        }
      } else if (blockType) {
        this.checkBlocks(address, at(key), blockType, value);
      } else if (key === 'dynamic') {
        this.checkDynamic(address, where, value, blockTypes);
      } else {
        const candidates = [...Object.keys(attributes), ...Object.keys(blockTypes)];
        this.error(address, where, `unknown attribute "${key}"${suggest(key, candidates)}`);
      }
    }

    for (const [name, attr] of Object.entries(attributes)) {
      if (attr.required && (body[name] === undefined || body[name] === null)) {
        this.error(address, where, `missing required attribute "${name}"`);
      }
    }

    // A dynamic block can produce any number of blocks, so only count static ones when no dynamic exists.
    const dynamic = isRecord(body.dynamic) ? body.dynamic : {};
    for (const [name, bt] of Object.entries(blockTypes)) {
      const min = bt.min_items ?? 0;
      if (min > 0 && body[name] === undefined && dynamic[name] === undefined) {
        this.error(address, where, `missing required block "${name}" (at least ${min} required)`);
      }
    }
  }

  /**
   * A nested attribute's value (framework providers): one object, or a list/set/map of objects,
   * each a body with the nested attributes (unknown, missing-required, computed-only, wrong-typed,
   * recursively). An expression stands for the whole value and is not looked into.
   */
  private checkNested(address: string, where: string, nt: SchemaNestedType, value: unknown): void {
    if (value === null || isExpression(value)) return;
    const inner: SchemaBlock = { attributes: nt.attributes };
    const body = (at: string, v: unknown) => {
      if (v === null || isExpression(v)) return;
      if (!isRecord(v)) {
        this.error(address, at, `expected an object (nested attribute), got ${describe(v)}`);
        return;
      }
      this.checkBody(address, at, v, inner, new Set());
    };
    switch (nt.nesting_mode) {
      case 'single':
        if (Array.isArray(value)) this.error(address, where, `expected one object (nesting_mode single), got an array`);
        else body(where, value);
        return;
      case 'list':
      case 'set': {
        if (!Array.isArray(value)) {
          this.error(address, where, `expected a ${nt.nesting_mode} of objects (nesting_mode ${nt.nesting_mode}), got ${describe(value)}`);
          return;
        }
        if (nt.min_items !== undefined && value.length < nt.min_items) this.error(address, where, `at least ${nt.min_items} element(s) required, got ${value.length}`);
        if (nt.max_items !== undefined && nt.max_items > 0 && value.length > nt.max_items) this.error(address, where, `at most ${nt.max_items} element(s) allowed, got ${value.length}`);
        value.forEach((v, i) => body(`${where}[${i}]`, v));
        return;
      }
      case 'map':
        if (!isRecord(value)) {
          this.error(address, where, `expected a map of objects (nesting_mode map), got ${describe(value)}`);
          return;
        }
        for (const [k, v] of entries(value)) body(`${where}["${k}"]`, v);
        return;
    }
  }

  private checkBlocks(address: string, where: string, bt: SchemaBlockType, value: unknown): void {
    if (value === null) return;
    if (bt.nesting_mode === 'map') {
      // Map-nested blocks are objects keyed by label.
      if (!isRecord(value)) {
        this.error(address, where, `block must be an object keyed by label, got ${describe(value)}`);
        return;
      }
      for (const [label, inner] of entries(value)) {
        for (const [i, b] of asBlockList(inner).entries()) this.checkBlockBody(address, `${where}["${label}"][${i}]`, bt, b);
      }
      return;
    }
    if (!isRecord(value) && !Array.isArray(value)) {
      const hint = isExpression(value) ? ' (blocks cannot be set from an expression; use a dynamic block)' : '';
      this.error(address, where, `block must be an object or an array of objects, got ${describe(value)}${hint}`);
      return;
    }
    // HCL JSON: an object is one block, an array is N blocks (cdktf emits max_items=1 blocks as objects).
    const blocks = asBlockList(value);
    const single = bt.nesting_mode === 'single' || bt.nesting_mode === 'group';
    const max = single ? 1 : bt.max_items;
    const min = single ? 0 : (bt.min_items ?? 0);
    if (max !== undefined && max > 0 && blocks.length > max) {
      this.error(address, where, `at most ${max} block${max === 1 ? '' : 's'} allowed (nesting_mode ${bt.nesting_mode}), got ${blocks.length}`);
    }
    if (blocks.length < min) {
      this.error(address, where, `at least ${min} block${min === 1 ? '' : 's'} required, got ${blocks.length}`);
    }
    blocks.forEach((b, i) => this.checkBlockBody(address, Array.isArray(value) ? `${where}[${i}]` : where, bt, b));
  }

  private checkBlockBody(address: string, where: string, bt: SchemaBlockType, value: unknown): void {
    if (!isRecord(value)) {
      this.error(address, where, `block must be an object, got ${describe(value)}`);
      return;
    }
    this.checkBody(address, where, value, bt.block, new Set());
  }

  /** `dynamic "<block>" { for_each, iterator, content }` as emitted by cdktf iterators. */
  private checkDynamic(address: string, where: string, value: unknown, blockTypes: Record<string, SchemaBlockType>): void {
    const at = where ? `${where}.dynamic` : 'dynamic';
    if (!isRecord(value)) {
      this.error(address, at, `expected an object keyed by block type, got ${describe(value)}`);
      return;
    }
    for (const [name, specs] of entries(value)) {
      const bt = blockTypes[name];
      if (!bt) {
        this.error(address, at, `unknown block type "${name}"${suggest(name, Object.keys(blockTypes))}`);
        continue;
      }
      for (const spec of asBlockList(specs)) {
        if (!isRecord(spec) || spec.for_each === undefined || !isRecord(spec.content)) {
          this.error(address, `${at}.${name}`, 'dynamic block needs "for_each" and a "content" object');
          continue;
        }
        this.checkBody(address, `${at}.${name}.content`, spec.content, bt.block, new Set());
      }
    }
  }

  /** Type-checks a literal attribute value using Terraform's implicit cty conversions. */
  private checkValue(address: string, where: string, type: CtyType, value: unknown): void {
    if (value === null || isExpression(value)) return;
    const mismatch = () => this.error(address, where, `expected ${typeName(type)}, got ${describe(value)}`);

    if (typeof type === 'string') {
      switch (type) {
        case 'dynamic':
          return;
        case 'string': // numbers and bools convert to strings
          if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') mismatch();
          return;
        case 'number': // numeric strings convert to numbers
          if (typeof value === 'number') return;
          if (typeof value === 'string' && /^\s*-?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/.test(value)) return;
          mismatch();
          return;
        case 'bool': // "true"/"false" convert to bool
          if (typeof value !== 'boolean' && value !== 'true' && value !== 'false') mismatch();
          return;
      }
    }

    const [kind] = type;
    switch (kind) {
      case 'list':
      case 'set':
        if (!Array.isArray(value)) return mismatch();
        value.forEach((v, i) => this.checkValue(address, `${where}[${i}]`, type[1] as CtyType, v));
        return;
      case 'map':
        if (!isRecord(value)) return mismatch();
        for (const [k, v] of entries(value)) this.checkValue(address, `${where}["${k}"]`, type[1] as CtyType, v);
        return;
      case 'tuple': {
        const elems = type[1] as CtyType[];
        if (!Array.isArray(value)) return mismatch();
        if (value.length !== elems.length) {
          this.error(address, where, `expected tuple of ${elems.length} elements, got ${value.length}`);
          return;
        }
        value.forEach((v, i) => this.checkValue(address, `${where}[${i}]`, elems[i], v));
        return;
      }
      case 'object': {
        const attrTypes = type[1] as Record<string, CtyType>;
        const optional = new Set((type as [string, unknown, string[]?])[2] ?? []);
        if (!isRecord(value)) return mismatch();
        for (const [k, v] of entries(value)) {
          const t = attrTypes[k];
          if (t === undefined) this.error(address, where, `unknown object attribute "${k}"${suggest(k, Object.keys(attrTypes))}`);
          else this.checkValue(address, `${where}.${k}`, t, v);
        }
        for (const k of Object.keys(attrTypes)) {
          if (!optional.has(k) && value[k] === undefined) this.error(address, where, `object attribute "${k}" is required`);
        }
        return;
      }
    }
  }

  // -- outputs -------------------------------------------------------------

  private checkOutputs(): void {
    if (!isRecord(this.doc.output)) return;
    for (const [name, body] of entries(this.doc.output)) {
      const address = `output.${name}`;
      if (!isRecord(body)) {
        this.error(address, '', `expected an object, got ${describe(body)}`);
        continue;
      }
      for (const [key] of entries(body)) if (!OUTPUT_KEYS.has(key)) this.error(address, '', `unknown argument "${key}"`);
      if (body.value === undefined) this.error(address, '', 'missing required argument "value"');
      if (body.depends_on !== undefined) this.checkDependsOn(address, body.depends_on);
      this.checkReferencesIn(address, body.value, 'value');
    }
  }

  // -- references ------------------------------------------------------------

  /** Walks every string in `value` and checks each reference inside `${...}` resolves. */
  private checkReferencesIn(address: string, value: unknown, where = '', bound: ReadonlySet<string> = new Set()): void {
    if (typeof value === 'string') {
      for (const expr of extractTemplateExpressions(value)) {
        for (const ref of parseReferences(expr, bound)) {
          const problem = this.resolve(ref, bound);
          if (problem) this.error(address, where, problem);
        }
      }
      return;
    }
    if (Array.isArray(value)) {
      value.forEach((v, i) => this.checkReferencesIn(address, v, `${where}[${i}]`, bound));
      return;
    }
    if (!isRecord(value)) return;
    for (const [key, v] of entries(value)) {
      // depends_on holds plain addresses, checked separately; ignore_changes holds attribute names.
      if (key === 'depends_on' || key === 'ignore_changes') continue;
      const at = where ? `${where}.${key}` : key;
      if (key === 'dynamic' && isRecord(v)) {
        // Inside a dynamic block the iterator (default: the block type name) is a local binding.
        for (const [blockName, specs] of entries(v)) {
          for (const spec of asBlockList(specs)) {
            const iterator = isRecord(spec) && typeof spec.iterator === 'string' ? spec.iterator : blockName;
            this.checkReferencesIn(address, spec, `${at}.${blockName}`, new Set([...bound, iterator]));
          }
        }
        continue;
      }
      this.checkReferencesIn(address, v, at, bound);
    }
  }

  /** Returns a problem description, or undefined when the reference resolves. */
  private resolve(ref: Reference, bound: ReadonlySet<string>): string | undefined {
    const { root, steps } = ref;
    if (ALWAYS_BOUND.has(root) || bound.has(root)) return undefined;
    const names = steps.map((s) => (s.kind === 'attr' ? s.name : undefined));
    const text = [root, ...steps.map((s) => (s.kind === 'attr' ? `.${s.name}` : '[...]'))].join('');

    const simple = (what: string, declared: Set<string>): string | undefined => {
      const name = names[0];
      if (name === undefined) return `invalid reference "${text}": expected ${root}.<name>`;
      return declared.has(name) ? undefined : `reference to undeclared ${what} "${root}.${name}"${suggest(name, declared)}`;
    };
    switch (root) {
      case 'var':
        return simple('variable', this.index.variables);
      case 'local':
        return simple('local value', this.index.locals);
      case 'module':
        return simple('module', this.index.modules);
      case 'data': {
        const [type, name] = names;
        if (type === undefined || name === undefined) return `invalid reference "${text}": expected data.<type>.<name>`;
        if (!this.index.data.get(type)?.has(name)) return `reference to undeclared data source "data.${type}.${name}"`;
        return this.checkReferencedAttribute(`data.${type}.${name}`, this.lookup.dataSources.get(type), steps.slice(2));
      }
      default: {
        const name = names[0];
        if (name === undefined) return `invalid reference "${text}": a resource reference needs <type>.<name>`;
        if (!this.index.resources.get(root)?.has(name)) {
          const declared = this.index.resources.get(root) ?? new Set<string>();
          return `reference to undeclared resource "${root}.${name}"${suggest(name, declared)}`;
        }
        return this.checkReferencedAttribute(`${root}.${name}`, this.lookup.resources.get(root), steps.slice(1));
      }
    }
  }

  /**
   * The attributes after `<type>.<name>` (skipping `[index]`/splat) must exist in the schema, at
   * every depth the schema describes: nested attributes, nested blocks and object types.
   */
  private checkReferencedAttribute(target: string, block: SchemaBlock | undefined, rest: Step[]): string | undefined {
    if (!block) return undefined; // unknown type is reported where it is declared
    let scope: { names: string[]; child: (n: string) => unknown } | undefined = scopeOfBlock(block);
    let path = target;
    for (const step of rest) {
      if (step.kind !== 'attr') continue;
      if (!scope) return undefined; // a primitive, dynamic value or expression: nothing more to check
      if (step.name === 'id' && path === target) return undefined; // every resource has an id
      if (!scope.names.includes(step.name)) return `reference to unknown attribute "${step.name}" of ${path}${suggest(step.name, scope.names)}`;
      const child = scope.child(step.name);
      path = `${path}.${step.name}`;
      scope = scopeOf(child);
    }
    return undefined;
  }
}

/** What a reference may name below a schema element: attribute names and how to go deeper. */
function scopeOfBlock(block: SchemaBlock): { names: string[]; child: (n: string) => unknown } {
  const attrs = block.attributes ?? {};
  const blocks = block.block_types ?? {};
  return {
    names: [...Object.keys(attrs), ...Object.keys(blocks)],
    child: (n) => attrs[n] ?? blocks[n],
  };
}

function scopeOf(element: unknown): { names: string[]; child: (n: string) => unknown } | undefined {
  if (!isRecord(element)) return undefined;
  if (isRecord(element.nested_type)) return scopeOfBlock({ attributes: (element.nested_type as unknown as SchemaNestedType).attributes });
  if (isRecord(element.block)) return scopeOfBlock(element.block as SchemaBlock);
  if (element.type !== undefined) return scopeOfType(element.type as CtyType);
  return undefined;
}

function scopeOfType(t: CtyType): { names: string[]; child: (n: string) => unknown } | undefined {
  if (typeof t === 'string') return undefined;
  if (t[0] === 'list' || t[0] === 'set' || t[0] === 'map') return scopeOfType(t[1] as CtyType);
  if (t[0] === 'object') {
    const attrs = t[1] as Record<string, CtyType>;
    return { names: Object.keys(attrs), child: (n) => ({ type: attrs[n] }) };
  }
  return undefined;
}

// ---------------------------------------------------------------------------
// Expression scanning
// ---------------------------------------------------------------------------

/** Returns the bodies of all `${...}` and `%{...}` sequences in a template string (escapes `$${`, `%%{` skipped). */
export function extractTemplateExpressions(template: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < template.length) {
    const two = template.slice(i, i + 2);
    if ((two === '$$' || two === '%%') && template[i + 2] === '{') {
      i += 3;
      continue;
    }
    if (two === '${' || two === '%{') {
      const end = findClosingBrace(template, i + 2);
      out.push(template.slice(i + 2, end));
      i = end + 1;
      continue;
    }
    i++;
  }
  return out;
}

/** Index of the `}` closing an expression starting at `start`, skipping string literals (which may nest templates). */
function findClosingBrace(s: string, start: number): number {
  let depth = 0;
  let i = start;
  while (i < s.length) {
    const c = s[i];
    if (c === '"') {
      i = skipStringLiteral(s, i);
      continue;
    }
    if (c === '{') depth++;
    else if (c === '}') {
      if (depth === 0) return i;
      depth--;
    }
    i++;
  }
  return s.length; // unterminated: Terraform would reject it, we just scan to the end
}

/** Index just past the closing quote of the string literal starting at `start`. */
function skipStringLiteral(s: string, start: number): number {
  let i = start + 1;
  while (i < s.length) {
    const c = s[i];
    if (c === '\\') i += 2;
    else if (c === '"') return i + 1;
    else if ((c === '$' || c === '%') && s[i + 1] === '{') i = findClosingBrace(s, i + 2) + 1;
    else i++;
  }
  return s.length;
}

interface Token {
  kind: 'ident' | 'number' | 'string' | 'punct';
  text: string;
  /** A newline precedes the token (separates object items in multi-line object constructors). */
  newline?: boolean;
}

/** Tokenises an HCL expression. Templates inside string literals become parenthesised sub-expressions. */
function tokenize(expr: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let newline = false;
  const push = (t: Token) => {
    tokens.push(newline ? { ...t, newline } : t);
    newline = false;
  };
  while (i < expr.length) {
    const c = expr[i];
    if (/\s/.test(c)) {
      newline ||= c === '\n';
      i++;
    } else if (c === '"') {
      const end = skipStringLiteral(expr, i);
      push({ kind: 'string', text: expr.slice(i, end) });
      for (const inner of extractTemplateExpressions(expr.slice(i + 1, end - 1))) {
        tokens.push({ kind: 'punct', text: '(' }, ...tokenize(inner), { kind: 'punct', text: ')' });
      }
      i = end;
    } else if (/[A-Za-z_]/.test(c)) {
      // HCL identifiers may contain dashes (cdktf names like `master-1_port`).
      const m = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(expr.slice(i))!;
      push({ kind: 'ident', text: m[0] });
      i += m[0].length;
    } else if (/[0-9]/.test(c)) {
      // After a `.` only digits belong to the number (`a.0.b` is a traversal, not `0.b`).
      const afterDot = tokens.length > 0 && tokens[tokens.length - 1].text === '.';
      const m = (afterDot ? /^[0-9]+/ : /^[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?/).exec(expr.slice(i))!;
      push({ kind: 'number', text: m[0] });
      i += m[0].length;
    } else {
      const m = /^(\.\.\.|::|=>|==|!=|<=|>=|&&|\|\||.)/.exec(expr.slice(i))!;
      push({ kind: 'punct', text: m[0] });
      i += m[0].length;
    }
  }
  return tokens;
}

type Step = { kind: 'attr'; name: string } | { kind: 'index' } | { kind: 'splat' };

interface Reference {
  root: string;
  steps: Step[];
}

/** Index of the `]` matching the `[` at `open` (or the last token when unbalanced). */
function matchingBracket(tokens: Token[], open: number): number {
  let depth = 0;
  for (let k = open; k < tokens.length; k++) {
    if (tokens[k].text === '[') depth++;
    else if (tokens[k].text === ']' && --depth === 0) return k;
  }
  return tokens.length - 1;
}

const KEYWORDS = new Set(['for', 'in', 'if', 'true', 'false', 'null']);

/**
 * Extracts root traversals (`a.b[0].c`) from one expression, skipping function names,
 * object keys, keywords and names bound by for-expressions or the caller (`bound`).
 */
export function parseReferences(expr: string, bound: ReadonlySet<string> = new Set()): Reference[] {
  const tokens = tokenize(expr);
  const forBound = new Set<string>();
  tokens.forEach((t, i) => {
    if (t.text !== 'for' || t.kind !== 'ident') return;
    for (let j = i + 1; j < tokens.length && tokens[j].text !== 'in'; j++) {
      if (tokens[j].kind === 'ident') forBound.add(tokens[j].text);
    }
  });

  const refs: Reference[] = [];
  const brackets: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.text === '(' || t.text === '[' || t.text === '{') brackets.push(t.text);
    if (t.text === ')' || t.text === ']' || t.text === '}') brackets.pop();
    if (t.kind !== 'ident' || KEYWORDS.has(t.text)) continue;

    const prev = tokens[i - 1]?.text;
    const next = tokens[i + 1]?.text;
    if (prev === '.' || prev === '::' || next === '(' || next === '::') continue; // attribute or function name
    const inObject = brackets[brackets.length - 1] === '{';
    const startsItem = prev === '{' || prev === ',' || t.newline === true;
    if (inObject && startsItem && (next === '=' || next === ':')) continue; // object key
    if (forBound.has(t.text) || bound.has(t.text)) continue;

    const steps: Step[] = [];
    let j = i + 1;
    while (j < tokens.length) {
      const a = tokens[j];
      const b = tokens[j + 1];
      if (a.text === '.' && b && (b.kind === 'ident' || b.kind === 'number')) {
        steps.push(b.kind === 'ident' ? { kind: 'attr', name: b.text } : { kind: 'index' });
        j += 2;
      } else if (a.text === '.' && b?.text === '*') {
        steps.push({ kind: 'splat' });
        j += 2;
      } else if (a.text === '[') {
        // Skip over the index expression; references inside it are still visited by the outer loop.
        steps.push(b?.text === '*' ? { kind: 'splat' } : { kind: 'index' });
        j = matchingBracket(tokens, j) + 1;
      } else break;
    }
    refs.push({ root: t.text, steps });
  }
  return refs;
}

// ---------------------------------------------------------------------------
// Entry point
// ---------------------------------------------------------------------------

/**
 * Validates a synthesized Terraform JSON document against a provider schema.
 * Returns one message per problem, each prefixed with the offending address; [] means valid.
 */
export function validateTerraformJson(doc: unknown, schema: ProviderSchemaFile): string[] {
  if (!isRecord(doc)) return [`document: expected a JSON object, got ${describe(doc)}`];
  const validator = new Validator(doc, indexDocument(doc), buildLookup(schema));
  validator.run();
  return validator.errors;
}
