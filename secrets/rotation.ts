/**
 * `--rotate NAME`: which values a run replaces. A NAME is `ca`, a certificate name, a Secret
 * (`<secret>` or `<namespace>/<secret>`, every generated key of it) or one key of a Secret
 * (`<secret>.<key>`). Keys are resolved to what produces them: a TLS key to its certificate, a
 * copy to its source, so the copies and derived values follow in the run itself.
 */
import type { SecretSpec } from './catalog';
import { CA_NAME, CatalogIndex, secretId, valueId } from './catalog-index';
import { SecretsError } from './errors';

export interface Rotation {
  /** Make a new CA (and therefore re-issue every certificate). */
  readonly ca: boolean;
  /** Certificates to re-issue, by name. */
  readonly certificates: ReadonlySet<string>;
  /** Generated values (password, hex, htpasswd) to replace, by valueId. */
  readonly values: ReadonlySet<string>;
}

export const NO_ROTATION: Rotation = { ca: false, certificates: new Set(), values: new Set() };

interface MutableRotation {
  ca: boolean;
  readonly certificates: Set<string>;
  readonly values: Set<string>;
}

/** Resolves every NAME, or throws a SecretsError naming the first bad one (before anything is read). */
export function resolveRotation(index: CatalogIndex, names: readonly string[]): Rotation {
  const out: MutableRotation = { ca: false, certificates: new Set(), values: new Set() };
  for (const name of names) resolveOne(index, name, out);
  return out;
}

/** How a Secret is named unambiguously on the command line. */
function displayName(index: CatalogIndex, spec: SecretSpec): string {
  return (index.byName.get(spec.name) ?? []).length > 1 ? secretId(spec) : spec.name;
}

/** Whether rotating a whole Secret replaces anything (a Secret of literals and the CA alone does not). */
function rotatable(spec: SecretSpec): boolean {
  return Object.values(spec.keys).some((k) => k.kind !== 'literal' && k.kind !== 'ca-cert');
}

/** Every name `--rotate` accepts without a key, for the error message. */
export function rotatableNames(index: CatalogIndex): string[] {
  return [
    CA_NAME,
    ...index.certificates.keys(),
    ...index.catalog.secrets.filter(rotatable).map((s) => displayName(index, s)),
  ];
}

function resolveOne(index: CatalogIndex, name: string, out: MutableRotation): void {
  if (name === CA_NAME) {
    out.ca = true;
    return;
  }
  if (index.certificates.has(name)) {
    out.certificates.add(name);
    return;
  }
  const slash = name.indexOf('/');
  const namespace = slash >= 0 ? name.slice(0, slash) : undefined;
  const rest = slash >= 0 ? name.slice(slash + 1) : name;
  // Secret names have no dots; keys may (`tls.crt`), so the first dot ends the Secret name.
  const dot = rest.indexOf('.');
  const secretName = dot >= 0 ? rest.slice(0, dot) : rest;
  const key = dot >= 0 ? rest.slice(dot + 1) : undefined;
  const candidates = (index.byName.get(secretName) ?? []).filter((s) => namespace === undefined || s.namespace === namespace);
  if (candidates.length === 0) {
    throw new SecretsError(`--rotate ${name}: no such certificate or Secret; valid names: ${rotatableNames(index).join(', ')}, or <secret>.<key> for one key (e.g. keycloak-db.password)`);
  }
  if (key === undefined && !candidates.some(rotatable)) {
    throw new SecretsError(`--rotate ${name}: ${secretName} holds only fixed values and the CA certificate; rotate ca to replace the CA`);
  }
  if (candidates.length > 1) {
    throw new SecretsError(`--rotate ${name}: Secret ${secretName} is in several namespaces; name one: ${candidates.map((s) => `${secretId(s)}${key ? `.${key}` : ''}`).join(', ')}`);
  }
  const spec = candidates[0];
  if (key === undefined) {
    for (const k of Object.keys(spec.keys)) rotateKey(index, spec, k, name, out, false);
    return;
  }
  if (!Object.prototype.hasOwnProperty.call(spec.keys, key)) {
    throw new SecretsError(`--rotate ${name}: ${displayName(index, spec)} has no key "${key}"; its keys: ${Object.keys(spec.keys).sort().join(', ')}`);
  }
  rotateKey(index, spec, key, name, out, true);
}

/** Adds what produces one key; `explicit` when the user named the key (fixed values are then an error). */
function rotateKey(index: CatalogIndex, spec: SecretSpec, key: string, name: string, out: MutableRotation, explicit: boolean): void {
  const k = spec.keys[key];
  switch (k.kind) {
    case 'password':
    case 'hex':
    case 'htpasswd':
      out.values.add(valueId(spec, key));
      return;
    case 'certificate':
      // the `ca` part of a certificate is the CA's certificate: only `--rotate ca` changes it
      if (k.part !== 'ca') out.certificates.add(k.certificate);
      else if (explicit) throw new SecretsError(`--rotate ${name}: ${key} is the platform CA certificate; rotate ca to replace the CA`);
      return;
    case 'copy': {
      // a copy has no value of its own: rotating it rotates its source, which it then follows
      const source = index.copySource(k);
      rotateKey(index, source.secret, source.key, name, out, explicit);
      return;
    }
    case 'literal':
      if (explicit) throw new SecretsError(`--rotate ${name}: ${key} is a fixed value from the catalog, not a generated one`);
      return;
    case 'ca-cert':
      if (explicit) throw new SecretsError(`--rotate ${name}: ${key} is the platform CA certificate; rotate ca to replace the CA`);
      return;
  }
}
