/**
 * `kpaas portal register` against a fake OpenBao (HTTPS, certificate from a test CA; it answers as
 * OpenBao's source says, config/contracts/openbao-api.ts) and a fake kubectl on PATH (a script keeping the cluster's Secrets in a JSON file): the exact requests
 * (method, path, payload, which carry the token), a second run that changes nothing, secret-ids
 * that do not pile up, one-line errors with exit 1, and no token in any file or output.
 */
import * as fs from 'fs';
import * as https from 'https';
import type { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import { parseConfig } from '../../config';
import { OPENBAO_API as API } from '../../config/contracts';
import { run } from '../../cli/program';
import {
  CLUSTER_TOKEN_SECRET, FIELD_MANAGER, OPENBAO_CLIENT_DEPLOYMENTS, openbaoAddress, PORTAL_APPROLE, PORTAL_KV_MOUNT, SECRET_ID_METADATA,
} from '../../cli/portal-register';
import { PORTAL } from '../../platform/portal/portal-service';
import { PORTAL_CLUSTER_ACCOUNT } from '../../platform/portal/portal-chart';
import { createCa, issueCertificate, loadCa } from '../../secrets/certificates';
import { manifestFiles, objectsOf, K8sObject } from '../support/manifests';

const CONFIG = parseConfig({});
const CLUSTER_ID = CONFIG.name;
/** Made of parts, so no tracked file holds a value that looks like a real token. */
const BAO_TOKEN = ['s', 'ROOTTOKENfake0123456789abcdef'].join('.');
const CLUSTER_TOKEN = ['eyJhbGciOiJSUzI1NiJ9', 'clusterTokenPayload0123', 'sig4567'].join('.');
const ROLE_ID = '11111111-2222-3333-4444-555555555555';
// the API's names from the contract; the mount, role and secret path are the project's own
const V1 = API.prefix.value;
const KV_DATA = `${V1}secret/${API.kv2.dataPrefix.value}cluster/${CLUSTER_ID}`;
const ROLE = `${V1}${API.approle.authPrefix.value}approle/${API.approle.rolePrefix.value}${PORTAL_APPROLE}`;
const HEALTH = `${V1}${API.health.path.value}?${API.health.standbyOk.value}=true`;
const ROLE_ID_PATH = `/${API.approle.roleId.path.value}`;
const SECRET_ID_PATH = `/${API.approle.secretId.path.value}`;
const LOOKUP_PATH = `/${API.approle.lookup.path.value}`;
const DESTROY_PATH = `/${API.approle.destroy.path.value}`;
const [GET, POST] = [API.methods.read.value, API.methods.write.value];
const S = {
  ok: API.status.ok.value, noContent: API.status.noContent.value, notFound: API.status.notFound.value,
  denied: API.status.permissionDenied.value, sealed: API.status.sealed.value,
};
/** The data of an answer, under the envelope's data field. */
const answer = (data: Record<string, unknown>) => ({ [API.body.data.value]: data });

// ---------------------------------------------------------------------------------------------
// The fake OpenBao

interface Seen { method: string; path: string; token?: string; body?: any }

class FakeOpenBao {
  public readonly seen: Seen[] = [];
  public initialized = true;
  public sealed = false;
  /** A standby server: sys/health answers it as active only with standbyok=true. */
  public standby = false;
  public roleExists = true;
  public kvMounted = true;
  public kv = new Map<string, { data: Record<string, string>; version: number }>();
  /** Live secret-ids, with the number made so far. */
  public secretIds = new Set<string>();
  public made = 0;
  /** `METHOD path` -> status to answer instead (after the log). */
  public faults = new Map<string, number>();
  /** Secret-ids OpenBao still has but whose expiration_time has passed (not tidied yet). */
  public expired = new Set<string>();
  /** Put the request's token into error messages (a server that echoes what it got). */
  public echoToken = false;
  public server!: https.Server;

  public get address(): string {
    return `https://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  public start(cert: string, key: string): Promise<void> {
    this.server = https.createServer({ cert, key }, (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const token = req.headers[API.tokenHeader.value.toLowerCase()] as string | undefined;
        const entry: Seen = { method: req.method as string, path: req.url as string, ...(token !== undefined ? { token } : {}), ...(text ? { body: JSON.parse(text) } : {}) };
        this.seen.push(entry);
        const [status, body] = this.answer(entry);
        res.writeHead(status, body === undefined ? {} : { 'content-type': 'application/json' });
        res.end(body === undefined ? undefined : JSON.stringify(body));
      });
    });
    return new Promise((resolve) => this.server.listen(0, '127.0.0.1', resolve));
  }

  public stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private error(status: number, message: string, token?: string): [number, any] {
    return [status, { [API.body.errors.value]: [this.echoToken ? `${message} (token ${token})` : message] }];
  }

  /** sys/health's status: the default code of the server's state; a standby is active with standbyok=true. */
  private health(r: Seen): number {
    const standbyOk = new URL(r.path, 'https://x').searchParams.get(API.health.standbyOk.value) === 'true';
    const h = API.health;
    return !this.initialized ? h.uninitialized.value : this.sealed ? h.sealed.value : this.standby && !standbyOk ? h.standby.value : h.active.value;
  }

  private answer(r: Seen): [number, any] {
    const fault = this.faults.get(`${r.method} ${r.path}`);
    if (fault !== undefined) return this.error(fault, `1 error occurred:\n\t* injected ${fault}\n\n`, r.token);
    if (r.path.split('?')[0] === `${V1}${API.health.path.value}`) {
      return [this.health(r), { initialized: this.initialized, sealed: this.sealed, standby: this.standby }];
    }
    if (this.sealed) return this.error(S.sealed, 'Vault is sealed');
    if (r.token !== BAO_TOKEN) return this.error(S.denied, '1 error occurred:\n\t* permission denied\n\n', r.token);
    const kvData = `${V1}secret/${API.kv2.dataPrefix.value}`;
    if (r.path.startsWith(`${V1}secret/`)) {
      if (!this.kvMounted) return this.error(S.notFound, `1 error occurred:\n\t* no handler for route "${r.path.slice(V1.length)}". route entry not found.\n\n`);
      if (!r.path.startsWith(kvData)) return this.error(S.notFound, 'unsupported path');
      const key = r.path.slice(kvData.length);
      if (r.method === GET) {
        const v = this.kv.get(key);
        return v ? [S.ok, answer({ [API.kv2.readField.value]: v.data, metadata: { version: v.version } })] : [S.notFound, { [API.body.errors.value]: [] }];
      }
      const data = r.body?.[API.kv2.writeField.value];
      if (r.method === POST && typeof data === 'object' && data !== null) {
        const version = (this.kv.get(key)?.version ?? 0) + 1;
        this.kv.set(key, { data, version });
        return [S.ok, answer({ version })];
      }
      return this.error(400, 'no data provided');
    }
    if (r.path.startsWith(ROLE)) {
      if (!this.roleExists) return [S.notFound, { [API.body.errors.value]: [] }];
      const rest = r.path.slice(ROLE.length);
      const secretIdIn = (field: string): string | undefined => (typeof r.body?.[field] === 'string' && r.body[field] !== '' ? r.body[field] : undefined);
      if (r.method === GET && rest === ROLE_ID_PATH) return [S.ok, answer({ [API.approle.roleId.field.value]: ROLE_ID })];
      if (r.method === POST && rest === SECRET_ID_PATH) {
        // metadata: a string of JSON with string values (go-secure-stdlib strutil ParseArbitraryKeyValues)
        const metadata = r.body?.[API.approle.secretId.metadataField.value];
        let parsed: unknown;
        try { parsed = JSON.parse(metadata); } catch { parsed = undefined; }
        if (typeof metadata !== 'string' || typeof parsed !== 'object' || parsed === null || Object.values(parsed).some((v) => typeof v !== 'string' || v === '')) {
          return this.error(400, 'failed to parse metadata');
        }
        this.made += 1;
        const id = `aaaaaaaa-0000-0000-0000-${String(this.made).padStart(12, '0')}`;
        this.secretIds.add(id);
        return [S.ok, answer({ [API.approle.secretId.field.value]: id, [API.approle.secretId.accessorField.value]: `acc-${this.made}`, secret_id_ttl: 0, secret_id_num_uses: 0 })];
      }
      if (r.method === POST && rest === LOOKUP_PATH) {
        const id = secretIdIn(API.approle.lookup.secretIdField.value);
        if (id === undefined) return this.error(400, 'missing secret_id');
        return this.secretIds.has(id)
          ? [S.ok, answer({ [API.approle.lookup.expirationField.value]: this.expired.has(id) ? '2001-02-03T04:05:06Z' : '0001-01-01T00:00:00Z', secret_id_num_uses: 0, metadata: {} })]
          : [S.noContent, undefined];
      }
      if (r.method === POST && rest === DESTROY_PATH) {
        const id = secretIdIn(API.approle.destroy.secretIdField.value);
        if (id === undefined) return this.error(400, 'missing secret_id');
        this.secretIds.delete(id);
        return [S.noContent, undefined];
      }
    }
    return this.error(S.notFound, `1 error occurred:\n\t* unsupported path\n\n`);
  }
}

// ---------------------------------------------------------------------------------------------
// The fake kubectl: Secrets in <dir>/cluster.json, every call appended to <dir>/kubectl.log

const FAKE_KUBECTL = `
const fs = require('fs');
const path = require('path');
const dir = path.dirname(process.argv[1]) + '/..';
const stateFile = dir + '/cluster.json';
const state = JSON.parse(fs.readFileSync(stateFile, 'utf8'));
const args = process.argv.slice(2);
let stdin = '';
try { stdin = fs.readFileSync(0, 'utf8'); } catch {}
fs.appendFileSync(dir + '/kubectl.log', JSON.stringify({ args, stdin, tokenInEnv: ['BAO_TOKEN', 'VAULT_TOKEN'].filter((v) => v in process.env) }) + '\\n');
if (state.forbidden) { process.stderr.write('Error from server (Forbidden): secrets is forbidden: User "dev" cannot get resource "secrets"\\n'); process.exit(1); }
const ns = args[args.indexOf('--namespace') + 1];
if (args.includes('get')) {
  const name = args[args.indexOf('secret') + 1];
  const s = state.secrets[ns + '/' + name];
  if (s) process.stdout.write(JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: ns }, data: s.data }));
  else if (!args.includes('--ignore-not-found')) { process.stderr.write('Error from server (NotFound): secrets "' + name + '" not found\\n'); process.exit(1); }
  process.exit(0);
}
if (args[0] === 'apply' && args.includes('--server-side') && args.join(' ').endsWith('-f -')) {
  const obj = JSON.parse(stdin);
  state.secrets[obj.metadata.namespace + '/' + obj.metadata.name] = { data: obj.data, labels: obj.metadata.labels };
  fs.writeFileSync(stateFile, JSON.stringify(state));
  process.stdout.write('secret/' + obj.metadata.name + ' serverside-applied\\n');
  process.exit(0);
}
process.stderr.write('fake kubectl: unexpected arguments ' + args.join(' ') + '\\n');
process.exit(1);
`;

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const unb64 = (s: string) => Buffer.from(s, 'base64').toString('utf8');

let work: string;
let bao: FakeOpenBao;
let ca: { cert: string; key: string };
let otherCa: string;
let savedEnv: NodeJS.ProcessEnv;

beforeAll(async () => {
  const now = new Date();
  ca = await createCa('test', now);
  const server = await issueCertificate(await loadCa(ca, { cert: 'ca.crt', key: 'ca.key' }), {
    name: 'openbao', commonName: 'openbao.test', dnsNames: ['openbao.test'], ipAddresses: ['127.0.0.1'], usages: ['serverAuth'], keyReadBy: 'the test',
  }, 'test', now);
  otherCa = (await createCa('someone else', now)).cert;
  bao = new FakeOpenBao();
  await bao.start(server.cert, server.key);
});
afterAll(() => bao.stop());

beforeEach(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'kpaas-register-'));
  fs.mkdirSync(path.join(work, 'bin'));
  fs.writeFileSync(path.join(work, 'bin', 'kubectl'), `#!${process.execPath}\n${FAKE_KUBECTL}`, { mode: 0o755 });
  fs.mkdirSync(path.join(work, 'secrets'));
  fs.writeFileSync(path.join(work, 'secrets', 'ca.crt'), ca.cert, { mode: 0o600 });
  setCluster({ secrets: { [`cp-portal/${CLUSTER_TOKEN_SECRET}`]: { data: { token: b64(CLUSTER_TOKEN), 'ca.crt': b64('x'), namespace: b64('cp-portal') } } } });
  Object.assign(bao, { initialized: true, sealed: false, standby: false, roleExists: true, kvMounted: true, echoToken: false, made: 0 });
  bao.kv.clear();
  bao.secretIds.clear();
  bao.expired.clear();
  bao.faults.clear();
  bao.seen.length = 0;
  savedEnv = { ...process.env };
  delete process.env.VAULT_TOKEN;
  process.env.BAO_TOKEN = BAO_TOKEN;
  process.env.PATH = `${path.join(work, 'bin')}${path.delimiter}${process.env.PATH}`;
});
afterEach(() => {
  process.env = savedEnv;
  fs.rmSync(work, { recursive: true, force: true });
});

interface Cluster { forbidden?: boolean; secrets: Record<string, { data: Record<string, string>; labels?: Record<string, string> }> }
const cluster = (): Cluster => JSON.parse(fs.readFileSync(path.join(work, 'cluster.json'), 'utf8'));
const setCluster = (c: Cluster) => fs.writeFileSync(path.join(work, 'cluster.json'), JSON.stringify(c));
const kubectlCalls = (): { args: string[]; stdin: string; tokenInEnv: string[] }[] => {
  const file = path.join(work, 'kubectl.log');
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l)) : [];
};
const portalSecret = () => {
  const s = cluster().secrets['cp-portal/cp-portal-openbao'];
  return s && { roleId: unb64(s.data.roleId), secretId: unb64(s.data.secretId), keys: Object.keys(s.data).sort(), labels: s.labels };
};

interface Result { code: number; stdout: string; stderr: string }

/** Runs the CLI in-process in the work folder (no config file there: the seed's cluster). */
async function register(...extra: string[]): Promise<Result> {
  const out: string[] = [];
  const err: string[] = [];
  const o = jest.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => { out.push(String(s)); return true; });
  const e = jest.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => { err.push(String(s)); return true; });
  const prev = process.cwd();
  process.chdir(work);
  try {
    const code = await run(['portal', 'register', '--secrets-dir', path.join(work, 'secrets'), '--address', bao.address, ...extra]);
    return { code, stdout: out.join(''), stderr: err.join('') };
  } finally {
    process.chdir(prev);
    o.mockRestore();
    e.mockRestore();
  }
}

/** The requests of the last run, as `METHOD path`. */
const requests = () => bao.seen.map((s) => `${s.method} ${s.path}`);

/** Every token the run handled: none may appear in its output. */
const secretValues = () => [BAO_TOKEN, CLUSTER_TOKEN, ...bao.secretIds, ...Array.from({ length: bao.made }, (_, i) => `aaaaaaaa-0000-0000-0000-${String(i + 1).padStart(12, '0')}`)];

function expectNoSecretIn(text: string): void {
  for (const v of secretValues()) expect(text).not.toContain(v);
}

/** Every file under dir with its content. */
function filesUnder(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.set(path.relative(work, p), fs.readFileSync(p, 'latin1'));
    }
  };
  walk(dir);
  return out;
}

describe('a first run', () => {
  it('sends exactly these requests and applies the Secret', async () => {
    const r = await register();
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(requests()).toEqual([
      `GET ${HEALTH}`,
      `GET ${KV_DATA}`,
      `POST ${KV_DATA}`,
      `GET ${ROLE}/role-id`,
      `POST ${ROLE}/secret-id`,
    ]);
    // the health check goes out without the token, every other request with it
    expect(bao.seen.map((s) => s.token)).toEqual([undefined, BAO_TOKEN, BAO_TOKEN, BAO_TOKEN, BAO_TOKEN]);
    expect(bao.seen[2].body).toEqual({ [API.kv2.writeField.value]: { clusterId: CLUSTER_ID, clusterApiUrl: 'https://kubernetes.default.svc', clusterToken: CLUSTER_TOKEN } });
    expect(bao.seen[4].body).toEqual({ [API.approle.secretId.metadataField.value]: JSON.stringify(SECRET_ID_METADATA) });
    expect(bao.kv.get(`cluster/${CLUSTER_ID}`)).toEqual({ version: 1, data: { clusterId: CLUSTER_ID, clusterApiUrl: 'https://kubernetes.default.svc', clusterToken: CLUSTER_TOKEN } });

    expect(portalSecret()).toEqual({
      roleId: ROLE_ID, secretId: [...bao.secretIds][0], keys: ['roleId', 'secretId'],
      labels: { 'app.kubernetes.io/managed-by': 'kpaas-cdk', 'app.kubernetes.io/part-of': 'k-paas' },
    });
    const calls = kubectlCalls();
    expect(calls.map((c) => c.args.join(' '))).toEqual([
      `--namespace cp-portal get secret ${CLUSTER_TOKEN_SECRET} --ignore-not-found -o json`,
      '--namespace cp-portal get secret cp-portal-openbao --ignore-not-found -o json',
      `apply --server-side --force-conflicts --field-manager=${FIELD_MANAGER} -f -`,
    ]);
    // kubectl never sees the OpenBao token, not even in its environment
    expect(calls.flatMap((c) => c.tokenInEnv)).toEqual([]);
    expect(r.stdout).toBe([
      `registered cluster ${CLUSTER_ID} with the CP-Portal in OpenBao at ${bao.address}:`,
      `  secret/cluster/${CLUSTER_ID}: written (clusterId, clusterApiUrl, clusterToken; the token from Secret cp-portal/${CLUSTER_TOKEN_SECRET})`,
      `  AppRole cp_role: secret-id created (Secret cp-portal/cp-portal-openbao did not exist)`,
      `  Secret cp-portal/cp-portal-openbao: created (kubectl apply --server-side)`,
      `next: ${OPENBAO_CLIENT_DEPLOYMENTS.join(', ')} start once they find the Secret (kubectl -n cp-portal get pods); then log in (docs/portal.md)`,
      '',
    ].join('\n'));
    expectNoSecretIn(r.stdout);
  });

  it('counts a standby server as up: sys/health answers it as active with standbyok', async () => {
    bao.standby = true;
    const r = await register();
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(requests()[0]).toBe(`GET ${HEALTH}`);
  });

  it('takes VAULT_TOKEN when BAO_TOKEN is not set', async () => {
    delete process.env.BAO_TOKEN;
    process.env.VAULT_TOKEN = BAO_TOKEN;
    const r = await register();
    expect(r.code).toBe(0);
    expect(bao.seen.slice(1).every((s) => s.token === BAO_TOKEN)).toBe(true);
    expect(kubectlCalls().flatMap((c) => c.tokenInEnv)).toEqual([]);
  });

  it('takes the cluster token from a file when asked, without reading the token Secret', async () => {
    const file = path.join(work, 'cluster-token');
    fs.writeFileSync(file, `other-${CLUSTER_TOKEN}\n`);
    const r = await register('--cluster-token-file', file);
    expect(r.code).toBe(0);
    expect(bao.seen[2].body[API.kv2.writeField.value].clusterToken).toBe(`other-${CLUSTER_TOKEN}`);
    expect(kubectlCalls().map((c) => c.args.join(' '))).toEqual([
      '--namespace cp-portal get secret cp-portal-openbao --ignore-not-found -o json',
      `apply --server-side --force-conflicts --field-manager=${FIELD_MANAGER} -f -`,
    ]);
    expect(r.stdout).toContain(`the token from ${file})`);
  });
});

describe('running it again', () => {
  it('changes nothing: no KV write, no new secret-id, no apply', async () => {
    expect((await register()).code).toBe(0);
    const before = portalSecret();
    bao.seen.length = 0;
    fs.rmSync(path.join(work, 'kubectl.log'));
    const r = await register();
    expect(r.code).toBe(0);
    expect(requests()).toEqual([`GET ${HEALTH}`, `GET ${KV_DATA}`, `GET ${ROLE}/role-id`, `POST ${ROLE}/secret-id/lookup`]);
    expect(bao.seen[3].body).toEqual({ [API.approle.lookup.secretIdField.value]: before.secretId });
    expect(kubectlCalls().map((c) => c.args[0])).toEqual(['--namespace', '--namespace']);
    expect(portalSecret()).toEqual(before);
    expect(bao.kv.get(`cluster/${CLUSTER_ID}`)?.version).toBe(1);
    expect(bao.made).toBe(1);
    expect(r.stdout).toContain(`secret/cluster/${CLUSTER_ID}: unchanged`);
    expect(r.stdout).toContain('secret-id kept (the one in the Secret is still valid)');
    expect(r.stdout).toContain('Secret cp-portal/cp-portal-openbao: unchanged\n');
    expect(r.stdout).not.toContain('next:');
  });

  it('rewrites the KV secret when the cluster token changed, keeping the secret-id', async () => {
    await register();
    const c = cluster();
    c.secrets[`cp-portal/${CLUSTER_TOKEN_SECRET}`].data.token = b64(`${CLUSTER_TOKEN}2`);
    setCluster(c);
    const r = await register();
    expect(r.code).toBe(0);
    expect(bao.kv.get(`cluster/${CLUSTER_ID}`)).toEqual({ version: 2, data: expect.objectContaining({ clusterToken: `${CLUSTER_TOKEN}2` }) });
    expect(bao.made).toBe(1);
    expect(r.stdout).toContain(`secret/cluster/${CLUSTER_ID}: written`);
  });

  it('makes a new secret-id only when OpenBao no longer knows the Secret\'s one; never more than one lives', async () => {
    await register();
    bao.secretIds.clear(); // e.g. OpenBao restored from an older snapshot
    const r = await register();
    expect(r.code).toBe(0);
    expect(bao.made).toBe(2);
    expect(bao.secretIds.size).toBe(1);
    expect(portalSecret()?.secretId).toBe([...bao.secretIds][0]);
    expect(r.stdout).toContain('secret-id replaced (the one in Secret cp-portal/cp-portal-openbao is unknown to OpenBao or expired)');
    expect(r.stdout).toContain(`next: restart what logs in with it: kubectl -n cp-portal rollout restart deployment ${OPENBAO_CLIENT_DEPLOYMENTS.join(' ')}\n`);
    for (let i = 0; i < 3; i++) expect((await register()).code).toBe(0);
    expect(bao.made).toBe(2);
    expect(bao.secretIds.size).toBe(1);
  });

  it('replaces a secret-id whose expiration time has passed', async () => {
    await register();
    const old = portalSecret()!.secretId;
    bao.expired.add(old);
    const r = await register();
    expect(r.code).toBe(0);
    expect(bao.made).toBe(2);
    expect(portalSecret()!.secretId).not.toBe(old);
    expect(r.stdout).toContain('secret-id replaced (the one in Secret cp-portal/cp-portal-openbao is unknown to OpenBao or expired)');
  });

  it('replaces the secret-id on request and destroys the old one after the Secret holds the new one', async () => {
    await register();
    const old = portalSecret()!.secretId;
    bao.seen.length = 0;
    const r = await register('--new-secret-id');
    expect(r.code).toBe(0);
    expect(requests()).toEqual([
      `GET ${HEALTH}`, `GET ${KV_DATA}`, `GET ${ROLE}/role-id`, `POST ${ROLE}/secret-id/lookup`, `POST ${ROLE}/secret-id`, `POST ${ROLE}/secret-id/destroy`,
    ]);
    expect(bao.seen[5].body).toEqual({ [API.approle.destroy.secretIdField.value]: old });
    expect([...bao.secretIds]).toEqual([portalSecret()!.secretId]);
    expect(portalSecret()!.secretId).not.toBe(old);
    expect(r.stdout).toContain('secret-id replaced (asked for (--new-secret-id)); the old one destroyed');
  });

  it('keeps a Secret made by hand with a valid secret-id, and fixes only its role-id', async () => {
    const made = `aaaaaaaa-0000-0000-0000-${'9'.repeat(12)}`;
    bao.secretIds.add(made);
    const c = cluster();
    c.secrets['cp-portal/cp-portal-openbao'] = { data: { roleId: b64('stale-role-id'), secretId: b64(made) } };
    setCluster(c);
    const r = await register();
    expect(r.code).toBe(0);
    expect(bao.made).toBe(0);
    expect(portalSecret()).toEqual(expect.objectContaining({ roleId: ROLE_ID, secretId: made }));
    expect(r.stdout).toContain('Secret cp-portal/cp-portal-openbao: updated');
  });
});

describe('one error line, exit 1, no token', () => {
  async function fails(expected: RegExp, ...extra: string[]): Promise<Result> {
    const r = await register(...extra);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error: [^\n]+\n$/);
    expect(r.stderr).toMatch(expected);
    expectNoSecretIn(r.stderr);
    return r;
  }
  const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

  it('403: a token OpenBao refuses', async () => {
    process.env.BAO_TOKEN = 'hvs.wrongtoken123';
    await fails(new RegExp(`^error: OpenBao at ${esc(bao.address)}: GET ${esc(KV_DATA)}: HTTP 403 \\(permission denied\\): the token in BAO_TOKEN was refused`));
  });

  it('403 with a server that echoes the token: the token is masked', async () => {
    bao.echoToken = true;
    bao.faults.set(`POST ${KV_DATA}`, 403);
    const r = await fails(new RegExp(`POST ${esc(KV_DATA)}: HTTP 403 \\(injected 403 \\(token \\*\\*\\*\\)\\)`));
    expect(r.stderr).not.toContain(BAO_TOKEN);
  });

  it('404: the AppRole is missing (the configuration stack is not applied)', async () => {
    bao.roleExists = false;
    await fails(new RegExp(`GET ${esc(ROLE)}/role-id: HTTP 404: not found; apply the OpenBao configuration stack first`));
  });

  it('404: the KV engine secret/ is not mounted (its read looks like an absent secret, its write fails)', async () => {
    bao.kvMounted = false;
    await fails(new RegExp(`POST ${esc(KV_DATA)}: HTTP 404 \\(no handler for route "secret/data/cluster/${CLUSTER_ID}". route entry not found.\\): not found`));
  });

  it('503: sealed (at the health check, and in the middle of a run)', async () => {
    bao.sealed = true;
    await fails(new RegExp(`^error: OpenBao at ${esc(bao.address)} is sealed: unseal it with the key shares first`));
    bao.sealed = false;
    bao.faults.set(`GET ${ROLE}/role-id`, 503);
    await fails(new RegExp(`GET ${esc(ROLE)}/role-id: HTTP 503 \\(injected 503\\): OpenBao is sealed or not ready`));
  });

  it('501: not initialised', async () => {
    bao.initialized = false;
    await fails(/is not initialised: run `bao operator init` and unseal it first/);
  });

  it('unreachable: nothing listens at the address', async () => {
    const closed = https.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const r = await register('--address', `https://127.0.0.1:${port}`);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`error: cannot reach OpenBao at https://127.0.0.1:${port}: connect ECONNREFUSED 127.0.0.1:${port}\n`);
  });

  it('a certificate the platform CA did not issue', async () => {
    fs.writeFileSync(path.join(work, 'secrets', 'ca.crt'), otherCa);
    await fails(/^error: cannot reach OpenBao at [^:]+:\/\/[^:]+:\d+: .+; OpenBao's certificate must be issued by the CA in the secrets folder \(ca\.crt\)/);
    expect(bao.seen).toEqual([]);
  });

  it('no CA, no token, a plain-HTTP address', async () => {
    fs.rmSync(path.join(work, 'secrets', 'ca.crt'));
    await fails(/^error: cannot read the platform CA .*ca\.crt: no such file or directory \(ENOENT\); run `kpaas secrets` first, or pass --secrets-dir\n$/);
    fs.writeFileSync(path.join(work, 'secrets', 'ca.crt'), ca.cert);
    delete process.env.BAO_TOKEN;
    process.env.VAULT_TOKEN = '';
    await fails(/^error: no OpenBao token: set BAO_TOKEN or VAULT_TOKEN in the environment/);
    process.env.BAO_TOKEN = BAO_TOKEN;
    await fails(/^error: --address http:\/\/openbao\.test: must be https/, '--address', 'http://openbao.test');
    expect(bao.seen).toEqual([]);
  });

  it('kubectl: missing, forbidden, no token Secret, a token Secret not filled yet', async () => {
    process.env.PATH = path.join(work, 'empty');
    await fails(/^error: kubectl not found on PATH: install kubectl/);
    process.env.PATH = `${path.join(work, 'bin')}${path.delimiter}${savedEnv.PATH}`;
    setCluster({ forbidden: true, secrets: {} });
    await fails(new RegExp(`^error: kubectl --namespace cp-portal get secret ${CLUSTER_TOKEN_SECRET} --ignore-not-found -o json: Error from server \\(Forbidden\\): secrets is forbidden`));
    setCluster({ secrets: {} });
    await fails(new RegExp(`^error: Secret cp-portal/${CLUSTER_TOKEN_SECRET} does not exist: apply dist/manifests first`));
    setCluster({ secrets: { [`cp-portal/${CLUSTER_TOKEN_SECRET}`]: { data: {} } } });
    await fails(new RegExp(`^error: Secret cp-portal/${CLUSTER_TOKEN_SECRET} has no token yet`));
    expect(bao.seen).toEqual([]); // nothing reached OpenBao before the inputs were complete
  });

  it('a failed apply destroys the secret-id it made: none is left behind', async () => {
    await register();
    bao.secretIds.clear(); // the Secret's secret-id is no longer known: the run makes one
    const script = path.join(work, 'bin', 'kubectl');
    const good = fs.readFileSync(script, 'utf8');
    fs.writeFileSync(script, good.replace("if (args[0] === 'apply'", "if (args[0] === 'apply') { process.stderr.write('error: apply refused\\n'); process.exit(1); }\nif (false"));
    bao.seen.length = 0;
    await fails(new RegExp(`^error: kubectl apply --server-side --force-conflicts --field-manager=${FIELD_MANAGER} -f -: error: apply refused\n$`));
    expect(requests().slice(-2)).toEqual([`POST ${ROLE}/secret-id`, `POST ${ROLE}/secret-id/destroy`]);
    expect(bao.secretIds.size).toBe(0);
    fs.writeFileSync(script, good);
    expect((await register()).code).toBe(0);
    expect([...bao.secretIds]).toEqual([portalSecret()!.secretId]);
  });
});

describe('nothing holds a token but OpenBao and the Secret', () => {
  it('no file the run wrote, no kubectl argument or input, no output holds the OpenBao token; only OpenBao holds the cluster token', async () => {
    const secretsBefore = filesUnder(path.join(work, 'secrets'));
    const outputs: string[] = [];
    for (const extra of [[], [], ['--new-secret-id']]) {
      const r = await register(...extra);
      expect(r.code).toBe(0);
      outputs.push(r.stdout, r.stderr);
    }
    bao.echoToken = true;
    bao.faults.set(`GET ${KV_DATA}`, 403);
    const failed = await register();
    outputs.push(failed.stdout, failed.stderr);

    expect(filesUnder(path.join(work, 'secrets'))).toEqual(secretsBefore);
    const files = filesUnder(work);
    // what exists besides the fakes' own files: nothing (the command writes no file)
    expect([...files.keys()].sort()).toEqual(['bin/kubectl', 'cluster.json', 'kubectl.log', 'secrets/ca.crt']);
    for (const [name, content] of files) {
      expect({ name, hasBaoToken: content.includes(BAO_TOKEN) }).toEqual({ name, hasBaoToken: false });
      // the cluster token is in the cluster (its Secret) and in OpenBao; never in what kubectl was handed
      if (name !== 'cluster.json') expect({ name, hasClusterToken: content.includes(CLUSTER_TOKEN) }).toEqual({ name, hasClusterToken: false });
    }
    expect(Object.keys(cluster().secrets['cp-portal/cp-portal-openbao'].data).sort()).toEqual(['roleId', 'secretId']);
    for (const text of outputs) {
      expect(text).not.toContain(BAO_TOKEN);
      expect(text).not.toContain(CLUSTER_TOKEN);
      expect(text).not.toContain(ROLE_ID);
      for (let i = 1; i <= bao.made; i++) expect(text).not.toContain(`aaaaaaaa-0000-0000-0000-${String(i).padStart(12, '0')}`);
    }
  });
});

describe('the names it uses are the ones the manifests and the OpenBao stack use', () => {
  const objects: K8sObject[] = [...manifestFiles().values()].flatMap(objectsOf);

  it('reads the token Secret the portal chart makes for its cluster ServiceAccount', () => {
    const s = objects.filter((o) => o.kind === 'Secret' && o.metadata.name === CLUSTER_TOKEN_SECRET);
    expect(s).toHaveLength(1);
    expect(s[0].metadata.namespace).toBe('cp-portal');
    expect(s[0].type).toBe('kubernetes.io/service-account-token');
    expect(s[0].metadata.annotations?.['kubernetes.io/service-account.name']).toBe(PORTAL_CLUSTER_ACCOUNT);
  });

  it('names for a restart exactly the Deployments that read cp-portal-openbao', () => {
    const readers = objects
      .filter((o) => o.kind === 'Deployment' && JSON.stringify(o.spec.template.spec).includes('"cp-portal-openbao"'))
      .map((o) => o.metadata.name).sort();
    expect(readers).toEqual([...OPENBAO_CLIENT_DEPLOYMENTS].sort());
  });

  it('uses the KV mount and AppRole the portal asks the OpenBao stack for', () => {
    expect(PORTAL.openbao?.appRoles).toEqual([expect.objectContaining({ kvMount: PORTAL_KV_MOUNT, role: PORTAL_APPROLE })]);
    expect([PORTAL_KV_MOUNT, PORTAL_APPROLE]).toEqual(['secret', 'cp_role']);
  });

  it('reaches OpenBao at its ingress host by default', () => {
    expect(openbaoAddress(CONFIG)).toBe(`https://openbao.${CONFIG.domain}`);
  });
});
