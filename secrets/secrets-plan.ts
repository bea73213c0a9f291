/**
 * What a run of `kpaas secrets` makes of the folder it finds: every value is kept unless it is
 * missing, rotated, or derived from something that changed (a re-issued certificate, a copy's
 * source, an htpasswd's password). The result is the complete content of every file the command
 * owns, computed in memory, so nothing is written unless all of it succeeded.
 */
import { CertificateSpec, keyFormatOf, SecretKeySpec, SecretSpec } from './catalog';
import { CatalogIndex, secretId, valueId } from './catalog-index';
import {
  caRenewalReason, certificateRenewalReason, CertificateFiles, convertKeyFormat, createCa, generateKeys, issueCertificate, KEY_FORMAT_NAME,
  KeyGenerator, LoadedCa, loadCa, pemKeyFormat,
} from './certificates';
import { SecretsError } from './errors';
import { HTPASSWD_COST, htpasswdLine, htpasswdMatches } from './htpasswd';
import { randomHex, randomPassword } from './random-values';
import type { Rotation } from './rotation';
import {
  CA_CERT_FILE, CA_KEY_FILE, certificatePaths, FolderFiles, GITIGNORE_FILE, MANIFESTS_DIR,
} from './secrets-folder';
import { KUSTOMIZATION_FILE, manifestFileName, parseSecretManifest, renderKustomization, renderSecretManifest } from './secret-manifest';

/**
 * What happened to a certificate (or the CA) in this run. `converted`: the same key and
 * certificate, the key file rewritten in the PEM format its reader accepts.
 */
export type CertificateStatus = 'created' | 'kept' | 'rotated' | 'reissued' | 'converted';

/** What happened to one value: `updated` is a change that is neither a rotation nor a re-issue (a fixed value the catalog changed, a copy realigned with its source). */
export type ValueStatus = CertificateStatus | 'updated';

export interface CertificateOutcome {
  readonly name: string;
  readonly status: CertificateStatus;
  /** Why it was re-issued (never a value). */
  readonly reason?: string;
}

export interface SecretOutcome {
  readonly spec: SecretSpec;
  /** Path in the folder, `manifests/<namespace>.<name>.yaml`. */
  readonly file: string;
  /** created: no manifest before; kept: byte-identical; changed: anything else. */
  readonly status: 'created' | 'kept' | 'changed';
  /** Status of each data key. */
  readonly values: ReadonlyMap<string, ValueStatus>;
  /** Keys the old manifest had that the catalog no longer lists (dropped). */
  readonly dropped: readonly string[];
}

export interface SecretsPlan {
  /** Every file the command owns, with its full content. */
  readonly files: FolderFiles;
  readonly ca: CertificateOutcome;
  readonly certificates: readonly CertificateOutcome[];
  readonly secrets: readonly SecretOutcome[];
  /** Manifest files in the folder that are not of the catalog (left as they are). */
  readonly strays: readonly string[];
}

export interface PlanInput {
  readonly index: CatalogIndex;
  /** The O= of every subject (the cluster name). */
  readonly organization: string;
  readonly existing: FolderFiles;
  readonly rotation: Rotation;
  readonly now: Date;
  /** The folder as shown in messages. */
  readonly displayDir: string;
  /** @default DEFAULT_COSTS */
  readonly costs?: SecretsCosts;
}

/**
 * The two costs of a run that are not about what it writes: key generation and the htpasswd hash's
 * work factor. Every run uses the defaults; the crash drills, which run the command hundreds of
 * times to check where files end up, take pre-made keys and a cheap hash instead.
 */
export interface SecretsCosts {
  readonly generateKeys: KeyGenerator;
  /** bcrypt work factor of the htpasswd lines. */
  readonly bcryptCost: number;
}

export const DEFAULT_COSTS: SecretsCosts = { generateKeys, bcryptCost: HTPASSWD_COST };

const GITIGNORE = '# Made by `kpaas secrets`: nothing in this folder belongs in version control.\n*\n';

export async function planSecrets(input: PlanInput): Promise<SecretsPlan> {
  const { index, existing, rotation } = input;
  const shown = (rel: string) => `${input.displayDir}/${rel}`;
  const files = new Map<string, string>();
  files.set(GITIGNORE_FILE, GITIGNORE);

  // Read every manifest first: a broken one stops the run before any key is generated.
  const previous = new Map<string, Map<string, string>>();
  for (const spec of index.catalog.secrets) {
    const rel = `${MANIFESTS_DIR}/${manifestFileName(spec)}`;
    const text = existing.get(rel);
    if (text !== undefined) previous.set(secretId(spec), parseSecretManifest(shown(rel), text, spec));
  }

  const { ca, outcome: caOutcome } = await planCa(input, shown);
  files.set(CA_CERT_FILE, ca.files.cert);
  files.set(CA_KEY_FILE, ca.files.key);

  const certificates = new Map<string, CertificateFiles>();
  const certificateOutcomes: CertificateOutcome[] = [];
  for (const spec of index.catalog.certificates) {
    const { files: material, outcome } = await planCertificate(spec, ca, caOutcome, input);
    certificates.set(spec.name, material);
    certificateOutcomes.push(outcome);
    const paths = certificatePaths(spec.name);
    files.set(paths.cert, material.cert);
    files.set(paths.key, material.key);
  }
  const certificateStatus = new Map(certificateOutcomes.map((o) => [o.name, o.status]));

  // Values in dependency order: plain values, then htpasswd lines (their Secret's user and
  // password), then copies (any other value).
  const values = new Map<string, { value: string; status: ValueStatus }>();
  const phase = (k: SecretKeySpec) => (k.kind === 'copy' ? 2 : k.kind === 'htpasswd' ? 1 : 0);
  for (const p of [0, 1, 2]) {
    for (const spec of index.catalog.secrets) {
      for (const [key, k] of Object.entries(spec.keys)) {
        if (phase(k) !== p) continue;
        const id = valueId(spec, key);
        const old = previous.get(secretId(spec))?.get(key);
        const lookup = (s: SecretSpec, ref: string) => values.get(valueId(s, ref)) as { value: string; status: ValueStatus };
        values.set(id, planValue(k, old, {
          rotated: rotation.values.has(id),
          ca: { value: ca.files.cert, status: caOutcome.status },
          certificate: (name) => ({ files: certificates.get(name) as CertificateFiles, status: certificateStatus.get(name) as CertificateStatus }),
          own: (ref) => lookup(spec, ref),
          copy: (ref) => lookup(ref.secret, ref.key),
          index,
          bcryptCost: (input.costs ?? DEFAULT_COSTS).bcryptCost,
        }));
      }
    }
  }

  const secrets: SecretOutcome[] = [];
  const manifests: string[] = [];
  for (const spec of index.catalog.secrets) {
    const file = manifestFileName(spec);
    const rel = `${MANIFESTS_DIR}/${file}`;
    const keys = Object.keys(spec.keys);
    const content = renderSecretManifest(spec, new Map(keys.map((k) => [k, values.get(valueId(spec, k))!.value])));
    files.set(rel, content);
    manifests.push(file);
    const before = existing.get(rel);
    const old = previous.get(secretId(spec));
    secrets.push({
      spec,
      file: rel,
      status: before === undefined ? 'created' : before === content ? 'kept' : 'changed',
      values: new Map(keys.map((k) => [k, values.get(valueId(spec, k))!.status])),
      dropped: old ? [...old.keys()].filter((k) => !keys.includes(k)).sort() : [],
    });
  }
  files.set(`${MANIFESTS_DIR}/${KUSTOMIZATION_FILE}`, renderKustomization(manifests));

  const strays = [...existing.keys()]
    .filter((rel) => rel.startsWith(`${MANIFESTS_DIR}/`) && !files.has(rel))
    .sort();
  return { files, ca: caOutcome, certificates: certificateOutcomes, secrets, strays };
}

async function planCa(input: PlanInput, shown: (rel: string) => string): Promise<{ ca: LoadedCa; outcome: CertificateOutcome }> {
  const { existing, rotation, now, organization } = input;
  const where = { cert: shown(CA_CERT_FILE), key: shown(CA_KEY_FILE) };
  const cert = existing.get(CA_CERT_FILE);
  const key = existing.get(CA_KEY_FILE);
  const fresh = async (status: CertificateStatus, reason?: string) => ({
    ca: await loadCa(await createCa(organization, now, (input.costs ?? DEFAULT_COSTS).generateKeys), where),
    outcome: { name: 'ca', status, reason },
  });
  if (rotation.ca) return fresh('rotated');
  if (cert === undefined && key === undefined) return fresh('created');
  if (cert === undefined || key === undefined) {
    // a lone half is a broken folder, not a first run: a silent new CA would break trust everywhere
    throw new SecretsError(`${cert === undefined ? where.cert : where.key} is missing while ${cert === undefined ? where.key : where.cert} exists; restore it from a backup, or run with --rotate ca to make a new CA`);
  }
  const ca = await loadCa({ cert, key }, where);
  const reason = caRenewalReason(ca, now);
  if (reason) return fresh('reissued', reason);
  return { ca, outcome: { name: 'ca', status: 'kept' } };
}

async function planCertificate(
  spec: CertificateSpec, ca: LoadedCa, caOutcome: CertificateOutcome, input: PlanInput,
): Promise<{ files: CertificateFiles; outcome: CertificateOutcome }> {
  const paths = certificatePaths(spec.name);
  const cert = input.existing.get(paths.cert);
  const key = input.existing.get(paths.key);
  const issue = async (status: CertificateStatus, reason?: string) => ({
    files: await issueCertificate(ca, spec, input.organization, input.now, (input.costs ?? DEFAULT_COSTS).generateKeys),
    outcome: { name: spec.name, status, reason },
  });
  if (cert === undefined && key === undefined) return issue('created');
  if (input.rotation.certificates.has(spec.name)) return issue('rotated');
  if (caOutcome.status === 'rotated') return issue('rotated', 'the CA was rotated');
  if (caOutcome.status === 'reissued') return issue('reissued', 'the CA was re-issued');
  if (cert === undefined || key === undefined) return issue('reissued', `its ${cert === undefined ? 'certificate' : 'key'} file was missing`);
  const reason = certificateRenewalReason({ cert, key }, spec, ca, input.now);
  if (reason) return issue('reissued', reason);
  // A key in another PEM format than its reader accepts (an older version wrote every key as
  // PKCS#8) is the right key in the wrong encoding: re-encode it, keep the certificate.
  const want = keyFormatOf(spec);
  const have = pemKeyFormat(key);
  if (have !== want) {
    const was = have ? `${KEY_FORMAT_NAME[have]} PEM` : 'in another PEM form';
    return {
      files: { cert, key: convertKeyFormat(key, want) },
      outcome: { name: spec.name, status: 'converted', reason: `its key file was ${was}, its reader needs ${KEY_FORMAT_NAME[want]}` },
    };
  }
  return { files: { cert, key }, outcome: { name: spec.name, status: 'kept' } };
}

interface PlannedValue {
  readonly value: string;
  readonly status: ValueStatus;
}

interface ValueContext {
  /** Whether --rotate named this value. */
  readonly rotated: boolean;
  readonly ca: PlannedValue;
  certificate(name: string): { readonly files: CertificateFiles; readonly status: CertificateStatus };
  /** Another key of the same Secret (planned in an earlier phase). */
  own(key: string): PlannedValue;
  /** The planned value a copy reads. */
  copy(ref: ReturnType<CatalogIndex['copySource']>): PlannedValue;
  readonly index: CatalogIndex;
  readonly bcryptCost: number;
}

/** The new value of one key and why it is what it is. */
function planValue(k: SecretKeySpec, old: string | undefined, ctx: ValueContext): PlannedValue {
  // A derived value: unchanged is kept; a change takes the status of what changed it.
  const derived = (value: string, origin: ValueStatus): PlannedValue => {
    if (old === undefined) return { value, status: 'created' };
    if (old === value) return { value, status: 'kept' };
    return { value, status: origin === 'rotated' || origin === 'reissued' ? origin : 'updated' };
  };
  switch (k.kind) {
    case 'password':
    case 'hex': {
      if (old !== undefined && !ctx.rotated) return { value: old, status: 'kept' };
      const value = k.kind === 'password' ? randomPassword(k.length) : randomHex(k.bytes);
      return { value, status: old === undefined ? 'created' : 'rotated' };
    }
    case 'literal':
      return derived(k.value, 'updated');
    case 'ca-cert':
      return derived(ctx.ca.value, ctx.ca.status);
    case 'certificate': {
      if (k.part === 'ca') return derived(ctx.ca.value, ctx.ca.status);
      const c = ctx.certificate(k.certificate);
      return derived(k.part === 'cert' ? c.files.cert : c.files.key, c.status);
    }
    case 'copy': {
      const source = ctx.copy(ctx.index.copySource(k));
      return derived(source.value, source.status);
    }
    case 'htpasswd': {
      const user = ctx.own(k.userKey);
      const password = ctx.own(k.passwordKey);
      // a bcrypt line has a random salt: keep the old one while it still verifies
      if (old !== undefined && !ctx.rotated && htpasswdMatches(old, user.value, password.value)) return { value: old, status: 'kept' };
      const value = htpasswdLine(user.value, password.value, ctx.bcryptCost);
      if (old === undefined) return { value, status: 'created' };
      return { value, status: ctx.rotated || password.status === 'rotated' ? 'rotated' : 'updated' };
    }
  }
}
