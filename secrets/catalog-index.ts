/**
 * Lookups over a secret catalog, and the checks that make its cross-references safe to follow:
 * every certificate a key names exists, every copy has exactly one source, htpasswd keys point at
 * plain values. A catalog that fails them is a bug in the code, not in the user's input.
 */
import type { CertificateSpec, SecretCatalog, SecretKeySpec, SecretSpec } from './catalog';

/** The name `--rotate` takes for the platform CA. */
export const CA_NAME = 'ca';

export type CopyKeySpec = Extract<SecretKeySpec, { kind: 'copy' }>;

/** `<namespace>/<name>`: unique across the catalog. */
export function secretId(spec: Pick<SecretSpec, 'name' | 'namespace'>): string {
  return `${spec.namespace}/${spec.name}`;
}

/** `<namespace>/<name>.<key>`: one value. */
export function valueId(spec: Pick<SecretSpec, 'name' | 'namespace'>, key: string): string {
  return `${secretId(spec)}.${key}`;
}

/** Where a copy reads its value. */
export interface ValueRef {
  readonly secret: SecretSpec;
  readonly key: string;
}

export interface CatalogIndex {
  readonly catalog: SecretCatalog;
  readonly certificates: ReadonlyMap<string, CertificateSpec>;
  /** By secretId. */
  readonly secrets: ReadonlyMap<string, SecretSpec>;
  /** By name alone: more than one entry where a name is used in several namespaces. */
  readonly byName: ReadonlyMap<string, readonly SecretSpec[]>;
  /** The value a copy key takes (validated to exist, be unique and not be a copy itself). */
  copySource(copy: CopyKeySpec): ValueRef;
}

/** Indexes and validates a catalog; throws a plain Error on an inconsistent one. */
export function indexCatalog(catalog: SecretCatalog): CatalogIndex {
  const certificates = new Map<string, CertificateSpec>();
  for (const c of catalog.certificates) {
    if (c.name === CA_NAME || certificates.has(c.name)) throw new Error(`secret catalog: certificate name "${c.name}" is reserved or used twice`);
    const algorithm = c.algorithm ?? 'ecdsa-p256';
    if ((c.keyFormat === 'pkcs1' && algorithm !== 'rsa-2048') || (c.keyFormat === 'sec1' && algorithm !== 'ecdsa-p256')) {
      throw new Error(`secret catalog: certificate ${c.name} has key format ${c.keyFormat}, which cannot hold a ${algorithm} key`);
    }
    certificates.set(c.name, c);
  }
  const secrets = new Map<string, SecretSpec>();
  const byName = new Map<string, SecretSpec[]>();
  for (const s of catalog.secrets) {
    if (secrets.has(secretId(s))) throw new Error(`secret catalog: Secret ${secretId(s)} is listed twice`);
    if (certificates.has(s.name)) throw new Error(`secret catalog: Secret ${s.name} has the name of a certificate, so --rotate ${s.name} would be ambiguous`);
    secrets.set(secretId(s), s);
    byName.set(s.name, [...(byName.get(s.name) ?? []), s]);
  }

  const copySource = (copy: CopyKeySpec): ValueRef => {
    const found = byName.get(copy.secret) ?? [];
    if (found.length !== 1) throw new Error(`secret catalog: a copy names Secret ${copy.secret}, which ${found.length === 0 ? 'does not exist' : 'is in several namespaces'}`);
    const source = found[0].keys[copy.key];
    if (!source) throw new Error(`secret catalog: a copy names ${copy.secret}.${copy.key}, which does not exist`);
    if (source.kind === 'copy') throw new Error(`secret catalog: ${copy.secret}.${copy.key} is itself a copy; copy its source instead`);
    return { secret: found[0], key: copy.key };
  };

  for (const s of catalog.secrets) {
    for (const [key, k] of Object.entries(s.keys)) {
      const where = `secret catalog: ${valueId(s, key)}`;
      if (k.kind === 'certificate' && !certificates.has(k.certificate)) throw new Error(`${where} names certificate ${k.certificate}, which does not exist`);
      if (k.kind === 'copy') copySource(k);
      if (k.kind === 'htpasswd') {
        for (const ref of [k.userKey, k.passwordKey]) {
          const target = s.keys[ref];
          if (!target || !['literal', 'password', 'hex'].includes(target.kind)) throw new Error(`${where}: htpasswd key ${ref} must be a literal, password or hex key of the same Secret`);
        }
      }
    }
  }
  return { catalog, certificates, secrets, byName, copySource };
}
