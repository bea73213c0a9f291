/**
 * `kpaas secrets` on real folders: what it makes, that a second run changes no byte, that
 * --rotate changes exactly the values it names (and what follows them), automatic re-issues,
 * and failures that write nothing.
 */
import { execFileSync } from 'child_process';
import { X509Certificate } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { parseConfig } from '../../config';
import { run } from '../../cli/program';
import { secretCatalog } from '../../secrets/catalog';
import { formatSecretsReport } from '../../secrets/secrets-command';
import { K8sValidator } from '../support/k8s-validate';
import { changedFiles, changedValues, DEFAULT_CONFIG, readManifests, readValues, secrets, snapshot, tempDir } from './secrets-fixture';

const catalog = secretCatalog(DEFAULT_CONFIG);
let base: { dir: string; remove: () => void };
let work: { dir: string; remove: () => void };
let firstRunMs = 0;

beforeAll(async () => {
  base = tempDir();
  const started = Date.now();
  await secrets(path.join(base.dir, 's'));
  firstRunMs = Date.now() - started;
});
afterAll(() => base.remove());

/** A fresh copy of the folder the first run made. */
function folder(): string {
  const dir = path.join(work.dir, 's');
  fs.cpSync(path.join(base.dir, 's'), dir, { recursive: true });
  return dir;
}

beforeEach(() => { work = tempDir(); });
afterEach(() => work.remove());

describe('kpaas secrets: what it makes', () => {
  it('makes a Secret manifest for every catalog Secret, with exactly its keys, listed in the kustomization', () => {
    const dir = folder();
    const docs = readManifests(dir);
    expect(docs.map((d) => `${d.metadata.namespace}/${d.metadata.name}`).sort())
      .toEqual(catalog.secrets.map((s) => `${s.namespace}/${s.name}`).sort());
    for (const spec of catalog.secrets) {
      const doc = docs.find((d) => d.metadata.name === spec.name && d.metadata.namespace === spec.namespace)!;
      expect(doc.file).toBe(`${spec.namespace}.${spec.name}.yaml`);
      expect([doc.apiVersion, doc.kind, doc.type]).toEqual(['v1', 'Secret', spec.type]);
      expect(doc.metadata.labels).toEqual({ 'app.kubernetes.io/part-of': 'k-paas', 'app.kubernetes.io/managed-by': 'kpaas-cdk' });
      expect(doc.metadata.annotations).toEqual({ 'kpaas.io/description': spec.description });
      expect(Object.keys(doc.data)).toEqual(Object.keys(spec.keys).sort());
    }
    const kustomization = fs.readFileSync(path.join(dir, 'manifests/kustomization.yaml'), 'utf8');
    expect(kustomization).toContain('kind: Kustomization');
    const listed = [...kustomization.matchAll(/^ {2}- (\S+)$/gm)].map((m) => m[1]);
    expect(listed).toEqual(docs.map((d) => d.file));
    expect([...listed].sort()).toEqual(listed);
  });

  it('gives every value its kind: passwords over [A-Za-z0-9] of the catalog length, literals as written, copies equal to their source', () => {
    const dir = folder();
    const values = readValues(dir);
    for (const spec of catalog.secrets) {
      for (const [key, k] of Object.entries(spec.keys)) {
        const v = values.get(`${spec.namespace}/${spec.name}.${key}`) as string;
        if (k.kind === 'password') expect(v).toMatch(new RegExp(`^[A-Za-z0-9]{${k.length}}$`));
        if (k.kind === 'hex') expect(v).toMatch(new RegExp(`^[0-9a-f]{${2 * k.bytes}}$`));
        if (k.kind === 'literal') expect(v).toBe(k.value);
        if (k.kind === 'copy') expect(v).toBe(values.get(`${catalog.secrets.find((x) => x.name === k.secret)!.namespace}/${k.secret}.${k.key}`));
        if (k.kind === 'certificate' && k.part === 'key') expect(v).toBe(fs.readFileSync(path.join(dir, `certs/${k.certificate}.key`), 'utf8'));
      }
    }
    const copies = new Set(catalog.secrets.flatMap((spec) => Object.entries(spec.keys).filter(([, k]) => k.kind === 'copy').map(([key]) => `${spec.namespace}/${spec.name}.${key}`)));
    const passwords = [...values].filter(([id]) => /password$/i.test(id) && !copies.has(id)).map(([, v]) => v);
    expect(new Set(passwords).size).toBe(passwords.length); // independent draws
  });

  it('writes manifests that validate as Kubernetes 1.32 Secrets and build with kustomize', () => {
    const dir = folder();
    const validator = K8sValidator.fromShared();
    if (!validator.hasDefinitions) console.warn('SKIPPED: Kubernetes definitions not found; Secret manifests checked by kubernetes-models only');
    const objects = readManifests(dir).map(({ file, ...object }, i) => ({ file, index: i, object: object as never }));
    expect(validator.validateAll(objects)).toEqual([]);
    let kubectl = true;
    try { execFileSync('kubectl', ['version', '--client'], { stdio: 'ignore' }); } catch { kubectl = false; }
    if (!kubectl) {
      console.warn('SKIPPED: kubectl not found; kustomize build not checked');
      return;
    }
    const built = execFileSync('kubectl', ['kustomize', path.join(dir, 'manifests')], { encoding: 'utf8' });
    expect(built.match(/^kind: Secret$/gm)).toHaveLength(catalog.secrets.length);
  });

  it('keeps the folder to its owner: folders 0700, every file 0600, and a .gitignore of everything', () => {
    const dir = folder();
    for (const d of ['', 'certs', 'manifests']) expect((fs.statSync(path.join(dir, d)).mode & 0o777).toString(8)).toBe('700');
    const files = snapshot(dir);
    expect(files.size).toBe(1 + 2 + 2 * catalog.certificates.length + catalog.secrets.length + 1);
    for (const [rel, f] of files) expect(`${rel} ${f.mode.toString(8)}`).toBe(`${rel} 600`);
    expect(files.get('.gitignore')?.content).toMatch(/^\*$/m);
    expect(fs.readdirSync(path.join(dir, 'manifests')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('changes no byte on a second run, and says so', async () => {
    const dir = folder();
    const before = snapshot(dir);
    const mtimes = [...before.keys()].map((rel) => fs.statSync(path.join(dir, rel)).mtimeMs);
    const result = await secrets(dir);
    expect(result.written).toEqual([]);
    expect(snapshot(dir)).toEqual(before);
    expect([...before.keys()].map((rel) => fs.statSync(path.join(dir, rel)).mtimeMs)).toEqual(mtimes);
    const report = formatSecretsReport(result);
    expect(report).toMatch(/nothing to change\n {2}CA kept; certificates: 7 kept; values: \d+ kept\n/);
    expect(firstRunMs).toBeLessThan(5000);
  });

  it('tightens permissions an earlier copy or umask left loose', async () => {
    const dir = folder();
    fs.chmodSync(path.join(dir, 'ca.key'), 0o644);
    fs.chmodSync(path.join(dir, 'manifests'), 0o755);
    const result = await secrets(dir);
    expect(result.written).toEqual([]);
    expect([...result.permissionsFixed].sort()).toEqual(['ca.key', 'manifests/']);
    expect(fs.statSync(path.join(dir, 'ca.key')).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.join(dir, 'manifests')).mode & 0o777).toBe(0o700);
  });

  it('keeps every existing value and adds only what is missing (a lost key, a lost Secret)', async () => {
    const dir = folder();
    const before = readValues(dir);
    const db = path.join(dir, 'manifests/keycloak.keycloak-db.yaml');
    fs.writeFileSync(db, fs.readFileSync(db, 'utf8').replace(/^ {2}password: .*\n/m, ''));
    fs.rmSync(path.join(dir, 'manifests/harbor.harbor-redis.yaml'));
    const result = await secrets(dir);
    // the lost password is drawn again, and its copy in cp-portal follows it
    expect([...result.written].sort()).toEqual(['manifests/cp-portal.cp-portal-keycloak-db.yaml', 'manifests/harbor.harbor-redis.yaml', 'manifests/keycloak.keycloak-db.yaml']);
    const after = readValues(dir);
    expect(changedValues(before, after)).toEqual(['cp-portal/cp-portal-keycloak-db.password', 'harbor/harbor-redis.password', 'keycloak/keycloak-db.password']);
    expect(result.plan.secrets.find((s) => s.spec.name === 'harbor-redis')?.status).toBe('created');
  });

  it('realigns a copy with its source when they differ', async () => {
    const dir = folder();
    const before = readValues(dir);
    const copy = path.join(dir, 'manifests/cp-portal.cp-portal-keycloak.yaml');
    fs.writeFileSync(copy, fs.readFileSync(copy, 'utf8').replace(/clientSecret: .*/, `clientSecret: ${Buffer.from('stale').toString('base64')}`));
    const result = await secrets(dir);
    expect(result.written).toEqual(['manifests/cp-portal.cp-portal-keycloak.yaml']);
    expect(readValues(dir)).toEqual(before);
    expect(result.plan.secrets.find((s) => s.spec.name === 'cp-portal-keycloak')?.values.get('clientSecret')).toBe('updated');
  });
});

describe('kpaas secrets --rotate', () => {
  async function rotate(names: string[]) {
    const dir = folder();
    const files = snapshot(dir);
    const values = readValues(dir);
    const result = await secrets(dir, { rotate: names });
    return { dir, result, files: changedFiles(files, snapshot(dir)), values: changedValues(values, readValues(dir)) };
  }

  it('keycloak-db.password changes exactly that value and nothing else in any file', async () => {
    const r = await rotate(['keycloak-db.password']);
    expect(r.values).toEqual(['cp-portal/cp-portal-keycloak-db.password', 'keycloak/keycloak-db.password']);
    expect(r.files).toEqual(['manifests/cp-portal.cp-portal-keycloak-db.yaml', 'manifests/keycloak.keycloak-db.yaml']);
  });

  it('keycloak-clients.harbor also changes its copy harbor-oidc.clientSecret, and nothing else', async () => {
    const r = await rotate(['keycloak-clients.harbor']);
    expect(r.values).toEqual(['harbor/harbor-oidc.clientSecret', 'keycloak/keycloak-clients.harbor']);
    expect(r.files).toEqual(['manifests/harbor.harbor-oidc.yaml', 'manifests/keycloak.keycloak-clients.yaml']);
    const v = readValues(r.dir);
    expect(v.get('harbor/harbor-oidc.clientSecret')).toBe(v.get('keycloak/keycloak-clients.harbor'));
  });

  it('harbor-oidc (a Secret of copies) rotates the source it copies', async () => {
    const r = await rotate(['harbor-oidc']);
    expect(r.values).toEqual(['harbor/harbor-oidc.clientSecret', 'keycloak/keycloak-clients.harbor']);
  });

  it('a Secret name rotates all its generated keys, never its fixed ones', async () => {
    const r = await rotate(['cp-portal/cp-portal-db']);
    expect(r.values).toEqual(['cp-portal/cp-portal-db.password', 'cp-portal/cp-portal-db.rootPassword']);
  });

  it('harbor-registry.password regenerates the htpasswd line, which verifies against the new password', async () => {
    const bcrypt = await import('bcryptjs');
    const r = await rotate(['harbor-registry.password']);
    expect(r.values).toEqual(['harbor/harbor-registry.htpasswd', 'harbor/harbor-registry.password']);
    const v = readValues(r.dir);
    const [user, hash] = (v.get('harbor/harbor-registry.htpasswd') as string).split(':');
    expect(user).toBe(v.get('harbor/harbor-registry.username'));
    expect(hash).toMatch(/^\$2y\$10\$/);
    expect(bcrypt.compareSync(v.get('harbor/harbor-registry.password') as string, hash)).toBe(true);
  });

  it('a certificate name (harbor) re-issues that certificate: harbor-tls and its files change, nothing else', async () => {
    const r = await rotate(['harbor']);
    expect(r.values).toEqual(['harbor/harbor-tls.tls.crt', 'harbor/harbor-tls.tls.key']);
    expect(r.files).toEqual(['certs/harbor.crt', 'certs/harbor.key', 'manifests/harbor.harbor-tls.yaml']);
  });

  it('ca makes a new CA and re-issues every certificate; passwords stay', async () => {
    const r = await rotate(['ca']);
    const certValues = catalog.secrets.flatMap((s) => Object.entries(s.keys)
      .filter(([, k]) => k.kind === 'certificate' || k.kind === 'ca-cert')
      .map(([key]) => `${s.namespace}/${s.name}.${key}`)).sort();
    expect(r.values).toEqual(certValues);
    expect(r.files).toEqual(['ca.crt', 'ca.key', ...catalog.certificates.flatMap((c) => [`certs/${c.name}.crt`, `certs/${c.name}.key`]).sort(),
      ...catalog.secrets.filter((s) => Object.values(s.keys).some((k) => k.kind === 'certificate' || k.kind === 'ca-cert'))
        .map((s) => `manifests/${s.namespace}.${s.name}.yaml`)].sort());
    expect(formatSecretsReport(r.result)).toContain('rotated certificates keycloak, openbao, openbao-server, harbor, harbor-token, chartmuseum, portal: the CA was rotated');
  });

  it('fails on an unknown name with one line listing the valid names, and writes nothing', async () => {
    const dir = folder();
    const before = snapshot(dir);
    await expect(secrets(dir, { rotate: ['keycloak-db.password', 'harbour'] }))
      .rejects.toThrow(/^--rotate harbour: no such certificate or Secret; valid names: ca, keycloak, .*harbor-tls, .*, or <secret>\.<key> for one key \(e\.g\. keycloak-db\.password\)$/);
    expect(snapshot(dir)).toEqual(before);
  });

  it('fails on an ambiguous Secret name, a fixed value, the CA certificate in a Secret, and an unknown key', async () => {
    const dir = folder();
    await expect(secrets(dir, { rotate: ['platform-ca.ca.crt'] }))
      .rejects.toThrow(/^--rotate platform-ca\.ca\.crt: Secret platform-ca is in several namespaces; name one: harbor\/platform-ca\.ca\.crt, cp-portal\/platform-ca\.ca\.crt$/);
    await expect(secrets(dir, { rotate: ['harbor/platform-ca.ca.crt'] })).rejects.toThrow(/ca\.crt is the platform CA certificate; rotate ca/);
    await expect(secrets(dir, { rotate: ['cp-portal-db.database'] })).rejects.toThrow(/database is a fixed value from the catalog/);
    await expect(secrets(dir, { rotate: ['harbor-tls.ca.crt'] })).rejects.toThrow(/ca\.crt is the platform CA certificate; rotate ca/);
    await expect(secrets(dir, { rotate: ['platform-ca'] })).rejects.toThrow(/platform-ca holds only fixed values and the CA certificate/);
    await expect(secrets(dir, { rotate: ['keycloak-db.pasword'] })).rejects.toThrow(/keycloak-db has no key "pasword"; its keys: database, password, username/);
  });
});

describe('kpaas secrets: automatic re-issue', () => {
  it('re-issues the host certificates after a domain change, and says why', async () => {
    const dir = folder();
    const before = readValues(dir);
    const result = await secrets(dir, { config: parseConfig({ domain: 'example.org' }) });
    const reissued = result.plan.certificates.filter((c) => c.status === 'reissued').map((c) => c.name);
    expect(reissued).toEqual(['keycloak', 'openbao', 'openbao-server', 'harbor', 'chartmuseum', 'portal']);
    expect(formatSecretsReport(result)).toContain('reissued certificates keycloak, openbao, openbao-server, harbor, chartmuseum, portal: its SANs no longer match the catalog');
    const changed = changedValues(before, readValues(dir));
    expect(changed.every((id) => /\.tls\.(crt|key)$/.test(id))).toBe(true);
    expect(changed).not.toContain('harbor/harbor-token-service.tls.crt');
    expect(new X509Certificate(fs.readFileSync(path.join(dir, 'certs/harbor.crt'))).subjectAltName).toBe('DNS:harbor.example.org');
  });

  it('re-issues certificates that expire within 30 days (and keeps the CA)', async () => {
    const dir = folder();
    const later = new Date(Date.now() + 340 * 24 * 3600 * 1000);
    const result = await secrets(dir, { now: later });
    expect(result.plan.ca.status).toBe('kept');
    expect(result.plan.certificates.map((c) => c.status)).toEqual(catalog.certificates.map(() => 'reissued'));
    expect(result.plan.certificates[0].reason).toMatch(/^expires on \d{4}-\d{2}-\d{2}$/);
    expect((await secrets(dir, { now: later })).written).toEqual([]);
  });

  it('converts a key an older version wrote as PKCS#8 to the format its reader needs, keeping key and certificate', async () => {
    const { createPrivateKey } = await import('crypto');
    const dir = folder();
    const keyFile = path.join(dir, 'certs/harbor-token.key');
    const pkcs1 = fs.readFileSync(keyFile, 'utf8');
    const pkcs8 = createPrivateKey(pkcs1).export({ type: 'pkcs8', format: 'pem' }) as string;
    // the folder as the previous version left it: key file and Secret both PKCS#8
    fs.writeFileSync(keyFile, pkcs8);
    const manifest = path.join(dir, 'manifests/harbor.harbor-token-service.yaml');
    const b64 = (v: string) => Buffer.from(v).toString('base64');
    fs.writeFileSync(manifest, fs.readFileSync(manifest, 'utf8').replace(b64(pkcs1), b64(pkcs8)));
    const cert = fs.readFileSync(path.join(dir, 'certs/harbor-token.crt'), 'utf8');
    const before = readValues(dir);

    const result = await secrets(dir);
    expect(result.plan.certificates.find((c) => c.name === 'harbor-token'))
      .toEqual({ name: 'harbor-token', status: 'converted', reason: 'its key file was PKCS#8 PEM, its reader needs PKCS#1' });
    expect([...result.written].sort()).toEqual(['certs/harbor-token.key', 'manifests/harbor.harbor-token-service.yaml']);
    expect(fs.readFileSync(keyFile, 'utf8')).toBe(pkcs1); // the same key, re-encoded
    expect(fs.readFileSync(path.join(dir, 'certs/harbor-token.crt'), 'utf8')).toBe(cert);
    expect(changedValues(before, readValues(dir))).toEqual(['harbor/harbor-token-service.tls.key']);
    expect(formatSecretsReport(result)).toContain('  converted certificate harbor-token: its key file was PKCS#8 PEM, its reader needs PKCS#1\n');
    expect((await secrets(dir)).written).toEqual([]);
  });

  it('--rotate harbor-token makes a new key in the format its reader needs', async () => {
    const dir = folder();
    const old = fs.readFileSync(path.join(dir, 'certs/harbor-token.key'), 'utf8');
    await secrets(dir, { rotate: ['harbor-token'] });
    const key = fs.readFileSync(path.join(dir, 'certs/harbor-token.key'), 'utf8');
    expect(key).not.toBe(old);
    expect(key.split('\n')[0]).toBe(`-----BEGIN ${['RSA', 'PRIVATE', 'KEY'].join(' ')}-----`);
  });

  it('re-issues a certificate whose key file was lost', async () => {
    const dir = folder();
    fs.rmSync(path.join(dir, 'certs/portal.key'));
    const result = await secrets(dir);
    expect(result.plan.certificates.find((c) => c.name === 'portal')).toEqual({ name: 'portal', status: 'reissued', reason: 'its key file was missing' });
  });
});

describe('kpaas secrets: failures write nothing', () => {
  it('fails when ca.key is missing but ca.crt exists (a new CA would break trust silently)', async () => {
    const dir = folder();
    fs.rmSync(path.join(dir, 'ca.key'));
    const before = snapshot(dir);
    await expect(secrets(dir)).rejects.toThrow(/ca\.key is missing while .*ca\.crt exists; restore it from a backup, or run with --rotate ca/);
    expect(snapshot(dir)).toEqual(before);
  });

  it('fails on a manifest that is not the Secret its name says', async () => {
    const dir = folder();
    const file = path.join(dir, 'manifests/keycloak.keycloak-db.yaml');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('name: keycloak-db', 'name: other'));
    fs.rmSync(path.join(dir, 'manifests/harbor.harbor-admin.yaml'));
    const before = snapshot(dir);
    await expect(secrets(dir)).rejects.toThrow(/keycloak\.keycloak-db\.yaml: holds Secret keycloak\/other, expected keycloak\/keycloak-db; fix or remove the file/);
    expect(snapshot(dir)).toEqual(before);
  });

  it('fails on data that is not base64', async () => {
    const dir = folder();
    const file = path.join(dir, 'manifests/harbor.harbor-admin.yaml');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/password: .*/, 'password: not base64!'));
    await expect(secrets(dir)).rejects.toThrow(/harbor\.harbor-admin\.yaml: data\.password is not base64/);
  });

  it('fails when the folder path is a file', async () => {
    const file = path.join(work.dir, 'file');
    fs.writeFileSync(file, '');
    await expect(secrets(file)).rejects.toThrow(/exists and is not a folder/);
  });
});

describe('kpaas secrets through the CLI', () => {
  let out: string;
  let err: string;
  beforeEach(() => {
    out = '';
    err = '';
    jest.spyOn(process.stdout, 'write').mockImplementation((s) => { out += String(s); return true; });
    jest.spyOn(process.stderr, 'write').mockImplementation((s) => { err += String(s); return true; });
  });
  afterEach(() => jest.restoreAllMocks());

  it('prints the report, the manifests and the next step, and never a value', async () => {
    const dir = folder();
    expect(await run(['secrets', '--dir', dir, '--rotate', 'keycloak-admin'])).toBe(0);
    expect(err).toBe('');
    expect(out).toContain('values: ');
    expect(out).toMatch(/keycloak\/keycloak-admin +changed \(password rotated\)/);
    expect(out).toContain(`kubectl apply -k ${dir}/manifests`);
    for (const [id, v] of readValues(dir)) {
      if (v.length >= 8 && !/^[a-z_]+$/.test(v)) expect(`${id} ${out.includes(v)}`).toBe(`${id} false`);
      if (v.length >= 8 && !/^[a-z_]+$/.test(v)) expect(`${id} ${out.includes(Buffer.from(v).toString('base64'))}`).toBe(`${id} false`);
    }
  });

  it('fails on a bad --rotate name with one error line and exit code 1', async () => {
    const dir = folder();
    expect(await run(['secrets', '--dir', dir, '--rotate', 'nope'])).toBe(1);
    expect(out).toBe('');
    expect(err).toMatch(/^error: --rotate nope: no such certificate or Secret; valid names: ca, .*\n$/);
    expect(err.split('\n')).toHaveLength(2);
  });

  it('takes the folder from secrets.dir of the config, relative to the config file', async () => {
    const project = path.join(work.dir, 'project');
    fs.mkdirSync(project);
    fs.writeFileSync(path.join(project, 'kpaas.config.yaml'), 'secrets:\n  dir: vault/files\n');
    fs.cpSync(path.join(base.dir, 's'), path.join(project, 'vault/files'), { recursive: true });
    expect(await run(['secrets', '--config', path.join(project, 'kpaas.config.yaml')])).toBe(0);
    expect(out).toMatch(/nothing to change/);
  });
});
