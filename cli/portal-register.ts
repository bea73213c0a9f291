/**
 * `kpaas portal register`: the steps of the CP-Portal's set-up that need OpenBao initialised,
 * unsealed and configured (its configuration stack applied), run once by an operator:
 * 1. the host cluster's credentials into the portal's KV engine, `secret/cluster/<id>` =
 *    {clusterId, clusterApiUrl, clusterToken}, where cp-portal-api and the metric API (and
 *    terraman, where deployed) read them (KV v2: the API path is `secret/data/cluster/<id>`);
 * 2. the AppRole `cp_role`'s role-id and a secret-id into the Secret `cp-portal/cp-portal-openbao`
 *    (keys roleId, secretId), which those components log in with.
 *
 * The cluster token is the long-lived token of the ServiceAccount the portal chart makes for it
 * (Secret `cp-portal/cp-portal-cluster-manager-token`), read with kubectl, or from a file. The
 * Secret is applied with kubectl (server-side apply, the manifest on standard input): neither the
 * role-id and secret-id nor the cluster token are written to any file. OpenBao is reached at
 * https://openbao.<domain> and verified against the platform CA of the secrets folder; the
 * OpenBao token comes from BAO_TOKEN or VAULT_TOKEN and is sent to OpenBao only (never printed,
 * never passed to kubectl).
 *
 * A second run changes nothing: the KV secret is written only when its data differs, and the
 * secret-id in the Secret is kept while OpenBao still knows it (a lookup, which mints no token),
 * so secret-ids do not pile up. `newSecretId` replaces it on purpose and destroys the old one once
 * the new one is in the Secret; a run whose apply fails destroys the secret-id it made.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as https from 'https';
import * as path from 'path';
import type { PlatformConfig } from '../config';
import { PLATFORM } from '../config';
import type { OpenBaoMethod, PortalClusterSecretKey } from '../config/contracts';
import { OPENBAO_API, openbaoHealthPath } from '../config/contracts';
import { describeErrno } from '../config/errors';
import { CA_CERT_FILE, platformUrl } from '../config/platform';
import { DESCRIPTION_ANNOTATION, PART_OF_LABEL } from '../secrets/secret-manifest';
import { MANAGED_BY, PART_OF } from '../constructs/k8s/labels';
import { PORTAL_CLUSTER_ACCOUNT } from '../platform/portal/portal-chart';
import { PORTAL_COMPONENT_IMAGES, PORTAL_NAMESPACE, PORTAL_OPENBAO_KEYS, PORTAL_SECRETS, portalClusterSecretPath, portalHostCluster } from '../platform/portal/portal-names';

/** Expected failures: one line, naming what failed (exit 1). */
export class PortalRegisterError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'PortalRegisterError';
  }
}

/** The environment variables the OpenBao token is taken from, in this order (bao's, then Vault's). */
export const TOKEN_VARIABLES = ['BAO_TOKEN', 'VAULT_TOKEN'] as const;

/** The long-lived token Secret of the portal's cluster ServiceAccount (platform/portal/portal-chart.ts). */
export const CLUSTER_TOKEN_SECRET = `${PORTAL_CLUSTER_ACCOUNT}-token`;

/** The AppRole, its auth mount and the portal's KV mount (config/platform.ts, as the OpenBao stack creates them). */
export const PORTAL_APPROLE = PLATFORM.portal.openbaoRole;
export const APPROLE_MOUNT = PLATFORM.openbao.authMounts.approle;
export const PORTAL_KV_MOUNT = PLATFORM.portal.openbaoKv;

/**
 * The Deployments that read `cp-portal-openbao` (their env VAULT_ROLE_ID / VAULT_SECRET_ID): the
 * components among these that the portal deploys, by the chart's `<image>-deployment` names
 * (test/cli/portal-register.test.ts checks the list against the rendered manifests).
 */
export const OPENBAO_CLIENT_DEPLOYMENTS: readonly string[] = ['cp-portal-api', 'cp-portal-terraman', 'cp-portal-metric-api']
  .filter((image) => (PORTAL_COMPONENT_IMAGES as readonly string[]).includes(image))
  .map((image) => `${image}-deployment`);

/** Field manager of the server-side apply (who owns the Secret's fields). */
export const FIELD_MANAGER = 'kpaas-portal-register';

/** The API's names and statuses (config/contracts/openbao-api.ts: OpenBao's source). */
const API = OPENBAO_API;
const GET = API.methods.read.value;
const POST = API.methods.write.value;

/** The health check: sys/health, a standby counting as up (it forwards to the active server). */
export const HEALTH_PATH = openbaoHealthPath({ standbyOk: true });

/** Metadata OpenBao keeps with each secret-id this command makes (shown by a lookup). */
export const SECRET_ID_METADATA = { 'created-by': 'kpaas portal register' } as const;

export interface PortalRegisterOptions {
  readonly config: PlatformConfig;
  /** The secrets folder (its ca.crt verifies OpenBao's certificate). */
  readonly secretsDir: string;
  /** OpenBao's address. @default https://openbao.<domain> */
  readonly address?: string;
  /** A file holding the cluster token, instead of the Secret read with kubectl. */
  readonly clusterTokenFile?: string;
  /** Make a new secret-id even when the Secret's one is still valid, and destroy the old one. */
  readonly newSecretId?: boolean;
  /** The environment: the OpenBao token and what kubectl runs with. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** The kubectl command. @default 'kubectl' (on PATH) */
  readonly kubectl?: string;
  /** Timeout of each request and kubectl call, in milliseconds. @default 30000 */
  readonly timeoutMs?: number;
}

export interface PortalRegisterReport {
  readonly address: string;
  readonly clusterId: string;
  /** The KV path, `secret/cluster/<id>`. */
  readonly kvPath: string;
  readonly kv: 'written' | 'unchanged';
  readonly clusterTokenFrom: string;
  readonly secretId: 'kept' | 'created' | 'replaced';
  /** Why a secret-id was made (created/replaced). */
  readonly secretIdReason?: string;
  readonly secret: 'created' | 'updated' | 'unchanged';
  /** An old secret-id destroyed after the Secret took the new one (newSecretId). */
  readonly destroyedOld: boolean;
}

/** The address the operator's machine reaches OpenBao at: its ingress host (docs/openbao.md). */
export function openbaoAddress(config: PlatformConfig): string {
  return platformUrl(config.hosts.openbao);
}

/** The OpenBao API path (after /v1/) of a KV v2 secret's data. */
export function kvDataPath(mount: string, secretPath: string): string {
  return `${mount}/${API.kv2.dataPrefix.value}${secretPath}`;
}

/** The OpenBao API path (after /v1/) of an AppRole role. */
export function appRolePath(mount: string, role: string): string {
  return `${API.approle.authPrefix.value}${mount}/${API.approle.rolePrefix.value}${role}`;
}

/** What `secret/cluster/<id>` holds: the keys cp-portal-api, terraman and the metric API read. */
export function clusterSecretData(config: PlatformConfig, clusterToken: string): Record<PortalClusterSecretKey, string> {
  const host = portalHostCluster(config);
  return { clusterId: host.id, clusterApiUrl: host.apiUrl, clusterToken };
}

/** The Secret the portal logs in to OpenBao with, as applied (data base64, as the API stores it). */
export function openbaoSecretManifest(roleId: string, secretId: string): Record<string, unknown> {
  const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: PORTAL_SECRETS.openbao,
      namespace: PORTAL_NAMESPACE,
      labels: { 'app.kubernetes.io/managed-by': MANAGED_BY, [PART_OF_LABEL]: PART_OF },
      annotations: { [DESCRIPTION_ANNOTATION]: `CP-Portal's OpenBao AppRole login (role ${PORTAL_APPROLE}), made by kpaas portal register` },
    },
    type: 'Opaque',
    data: { [PORTAL_OPENBAO_KEYS.roleId]: b64(roleId), [PORTAL_OPENBAO_KEYS.secretId]: b64(secretId) },
  };
}

// ---------------------------------------------------------------------------------------------
// OpenBao over HTTPS

interface BaoResponse {
  readonly status: number;
  readonly body: unknown;
}

/** Text with every secret value replaced, for a message that may quote what a server said. */
type Scrub = (text: string) => string;

/** OpenBao's first error message, on one line (it writes "1 error occurred:\n\t* ..."). */
function baoErrorText(body: unknown): string {
  const errors = (body as Record<string, unknown> | null)?.[API.body.errors.value];
  if (!Array.isArray(errors) || errors.length === 0 || typeof errors[0] !== 'string') return '';
  const text = errors[0].replace(/\s+/g, ' ').replace(/^\d+ errors? occurred: \* /, '').trim();
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

class OpenBaoClient {
  private readonly url: URL;

  public constructor(
    address: string,
    private readonly ca: string,
    private readonly token: string,
    private readonly tokenVariable: string,
    private readonly timeoutMs: number,
    private readonly scrub: Scrub,
  ) {
    this.url = new URL(address);
  }

  /** One request; a response of any status is returned, a failure to get one is an error. */
  public send(method: OpenBaoMethod, apiPath: string, body?: unknown, authenticated = true): Promise<BaoResponse> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (authenticated) headers[API.tokenHeader.value] = this.token;
    if (payload !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(Buffer.byteLength(payload));
    }
    return new Promise((resolve, reject) => {
      const req = https.request({
        protocol: 'https:',
        hostname: this.url.hostname.replace(/^\[|\]$/g, ''),
        port: this.url.port || 443,
        path: `${API.prefix.value}${apiPath}`,
        method,
        headers,
        ca: this.ca,
        timeout: this.timeoutMs,
        agent: false,
      }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (e) => reject(this.unreachable(e)));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown;
          try {
            parsed = text.trim() === '' ? undefined : JSON.parse(text);
          } catch {
            parsed = undefined;
          }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
      });
      req.on('timeout', () => req.destroy(Object.assign(new Error(`no answer within ${this.timeoutMs / 1000} s`), { code: 'ETIMEDOUT' })));
      req.on('error', (e) => reject(this.unreachable(e)));
      req.end(payload);
    });
  }

  /** A request that must succeed (2xx); `allowed` statuses are returned as well. */
  public async call(method: OpenBaoMethod, apiPath: string, body?: unknown, allowed: readonly number[] = []): Promise<BaoResponse> {
    const res = await this.send(method, apiPath, body);
    if ((res.status >= 200 && res.status < 300) || allowed.includes(res.status)) return res;
    throw this.refused(method, apiPath, res);
  }

  /** One line for a status OpenBao answered with: method, path, status, its message, what to do. */
  public refused(method: string, apiPath: string, res: BaoResponse): PortalRegisterError {
    const said = baoErrorText(res.body);
    const hint = res.status === API.status.permissionDenied.value
      ? `: the token in ${this.tokenVariable} was refused (expired, revoked, or without the rights docs/portal.md lists)`
      : res.status === API.status.notFound.value
        ? ': not found; apply the OpenBao configuration stack first (dist/terraform/openbao-config, docs/openbao.md)'
        : res.status === API.status.sealed.value
          ? ': OpenBao is sealed or not ready; unseal it (docs/openbao.md) and run again'
          : '';
    return new PortalRegisterError(this.scrub(`OpenBao at ${this.url.origin}: ${method} ${API.prefix.value}${apiPath}: HTTP ${res.status}${said ? ` (${said})` : ''}${hint}`));
  }

  private unreachable(e: Error): PortalRegisterError {
    const code = (e as NodeJS.ErrnoException).code;
    const tls = code !== undefined && /CERT|SELF_SIGNED|SIGNATURE|ISSUER|ALTNAME/.test(code);
    const detail = e.message.replace(/\s+/g, ' ').trim();
    const hint = tls ? `; OpenBao's certificate must be issued by the CA in the secrets folder (${CA_CERT_FILE}) and name the host` : '';
    return new PortalRegisterError(this.scrub(`cannot reach OpenBao at ${this.url.origin}: ${detail}${hint}`));
  }
}

// ---------------------------------------------------------------------------------------------
// kubectl

interface Kubectl {
  run(args: readonly string[], input?: string): Promise<string>;
}

function kubectlRunner(command: string, env: NodeJS.ProcessEnv, timeoutMs: number, scrub: Scrub): Kubectl {
  // kubectl has no use for the OpenBao token: it never sees it
  const childEnv = Object.fromEntries(Object.entries(env).filter(([k]) => !(TOKEN_VARIABLES as readonly string[]).includes(k)));
  return {
    run: (args, input) => new Promise((resolve, reject) => {
      const shown = `kubectl ${args.join(' ')}`;
      const child = spawn(command, [...args], { env: childEnv, stdio: ['pipe', 'pipe', 'pipe'] });
      let timedOut = false;
      // its own timer: spawn's `timeout` outlives a command that never started (ENOENT)
      const timer = setTimeout(() => { timedOut = true; child.kill('SIGTERM'); }, timeoutMs);
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on('data', (c: Buffer) => out.push(c));
      child.stderr.on('data', (c: Buffer) => err.push(c));
      child.stdin.on('error', () => { /* the exit status says what went wrong */ });
      child.on('error', (e: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        reject(new PortalRegisterError(e.code === 'ENOENT'
          ? `${command} not found on PATH: install kubectl, configured for the cluster (KUBECONFIG), and run again`
          : scrub(`${shown}: ${e.message}`)));
      });
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        if (code === 0) {
          resolve(Buffer.concat(out).toString('utf8'));
          return;
        }
        const first = Buffer.concat(err).toString('utf8').split('\n').map((l) => l.trim()).find((l) => l !== '') ?? '';
        const why = timedOut ? `no answer within ${timeoutMs / 1000} s` : signal ? `stopped by ${signal}` : `exit ${code}`;
        const said = first.length > 300 ? `${first.slice(0, 300)}…` : first;
        reject(new PortalRegisterError(scrub(`${shown}: ${timedOut ? why : said || why}`)));
      });
      child.stdin.end(input ?? '');
    }),
  };
}

/** A Secret's data as read with kubectl (`-o json`), decoded; undefined when it does not exist. */
async function readSecret(kubectl: Kubectl, name: string): Promise<Map<string, string> | undefined> {
  const text = await kubectl.run(['--namespace', PORTAL_NAMESPACE, 'get', 'secret', name, '--ignore-not-found', '-o', 'json']);
  if (text.trim() === '') return undefined;
  let obj: { data?: Record<string, unknown> };
  try {
    obj = JSON.parse(text) as { data?: Record<string, unknown> };
  } catch {
    throw new PortalRegisterError(`kubectl get secret ${PORTAL_NAMESPACE}/${name}: its output is not JSON`);
  }
  const data = new Map<string, string>();
  for (const [k, v] of Object.entries(obj.data ?? {})) {
    if (typeof v === 'string') data.set(k, Buffer.from(v, 'base64').toString('utf8'));
  }
  return data;
}

// ---------------------------------------------------------------------------------------------

function readFileOrFail(file: string, what: string, hint: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new PortalRegisterError(`cannot read ${what} ${file}: ${describeErrno(e)}${hint}`);
  }
}

/** A token as given: no surrounding whitespace, nothing an HTTP header or a JWT cannot hold. */
function cleanToken(raw: string, where: string): string {
  const token = raw.trim();
  if (token === '') throw new PortalRegisterError(`${where} is empty`);
  // eslint-disable-next-line no-control-regex
  if (/[\s\x00-\x1f\x7f]/.test(token)) throw new PortalRegisterError(`${where} holds whitespace or control characters inside the token; it must be the token alone`);
  return token;
}

function openbaoToken(env: NodeJS.ProcessEnv): { token: string; variable: string } {
  for (const variable of TOKEN_VARIABLES) {
    const value = env[variable];
    if (value !== undefined && value !== '') return { token: cleanToken(value, variable), variable };
  }
  throw new PortalRegisterError(`no OpenBao token: set ${TOKEN_VARIABLES.join(' or ')} in the environment (e.g. \`read -rs BAO_TOKEN && export BAO_TOKEN\`); it is never written anywhere`);
}

function checkAddress(address: string): string {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    throw new PortalRegisterError(`--address ${address}: not a URL (e.g. https://openbao.example.com)`);
  }
  if (url.protocol !== 'https:') throw new PortalRegisterError(`--address ${address}: must be https (the token is sent with each request)`);
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash || url.username || url.password) {
    throw new PortalRegisterError(`--address ${address}: give the scheme, host and port only`);
  }
  return url.origin;
}

/** Whether a secret-id lookup's answer describes a secret-id that still logs in. */
function stillValid(res: BaoResponse, now: Date): boolean {
  if (res.status !== API.status.ok.value) return false; // 204: OpenBao does not know it
  const data = responseData(res.body);
  if (!data) return false;
  const expiration = data[API.approle.lookup.expirationField.value];
  const expires = typeof expiration === 'string' ? Date.parse(expiration) : NaN;
  // never expires: Go's zero time (0001-01-01T00:00:00Z)
  return Number.isNaN(expires) || expires <= 0 ? true : expires > now.getTime() + 60_000;
}

/** The handler's data in an answer (its `data` object). */
function responseData(body: unknown): Record<string, unknown> | undefined {
  const data = (body as Record<string, unknown> | null)?.[API.body.data.value];
  return typeof data === 'object' && data !== null && !Array.isArray(data) ? data as Record<string, unknown> : undefined;
}

function stringField(body: unknown, field: string, method: string, apiPath: string, origin: string): string {
  const value = responseData(body)?.[field];
  if (typeof value !== 'string' || value === '') {
    throw new PortalRegisterError(`OpenBao at ${origin}: ${method} ${API.prefix.value}${apiPath}: the answer has no ${API.body.data.value}.${field}`);
  }
  return value;
}

function sameData(a: unknown, b: Record<string, string>): boolean {
  if (typeof a !== 'object' || a === null || Array.isArray(a)) return false;
  const keys = Object.keys(a as object);
  return keys.length === Object.keys(b).length && keys.every((k) => (a as Record<string, unknown>)[k] === b[k]);
}

/** Runs the command (see the module comment); throws PortalRegisterError for expected failures. */
export async function runPortalRegister(options: PortalRegisterOptions): Promise<PortalRegisterReport> {
  const env = options.env ?? process.env;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const { config } = options;
  const address = checkAddress(options.address ?? openbaoAddress(config));
  const { token, variable } = openbaoToken(env);
  const secrets: string[] = [token];
  const scrub: Scrub = (text) => secrets.reduce((t, s) => (s.length >= 4 ? t.split(s).join('***') : t), text);
  const caFile = path.join(options.secretsDir, CA_CERT_FILE);
  const ca = readFileOrFail(caFile, 'the platform CA', '; run `kpaas secrets` first, or pass --secrets-dir');
  if (!ca.includes('-----BEGIN CERTIFICATE-----')) throw new PortalRegisterError(`${caFile} holds no PEM certificate`);
  const kubectl = kubectlRunner(options.kubectl ?? 'kubectl', env, timeoutMs, scrub);

  // the cluster's token: the portal's ServiceAccount token Secret, or a file
  let clusterToken: string;
  let clusterTokenFrom: string;
  if (options.clusterTokenFile !== undefined) {
    clusterToken = cleanToken(readFileOrFail(options.clusterTokenFile, 'the cluster token', ''), options.clusterTokenFile);
    clusterTokenFrom = options.clusterTokenFile;
  } else {
    const where = `Secret ${PORTAL_NAMESPACE}/${CLUSTER_TOKEN_SECRET}`;
    const data = await readSecret(kubectl, CLUSTER_TOKEN_SECRET);
    if (data === undefined) throw new PortalRegisterError(`${where} does not exist: apply dist/manifests first (the portal chart makes it), or pass --cluster-token-file`);
    const raw = data.get('token') ?? '';
    if (raw.trim() === '') throw new PortalRegisterError(`${where} has no token yet: Kubernetes fills it shortly after the ServiceAccount ${PORTAL_CLUSTER_ACCOUNT} exists; run again in a moment`);
    clusterToken = cleanToken(raw, `${where} key token`);
    clusterTokenFrom = where;
  }
  secrets.push(clusterToken);

  const bao = new OpenBaoClient(address, ca, token, variable, timeoutMs, scrub);

  // initialised and unsealed? (unauthenticated: no token goes out before the server is known)
  const health = await bao.send(GET, HEALTH_PATH, undefined, false);
  if (health.status === API.health.uninitialized.value) throw new PortalRegisterError(`OpenBao at ${address} is not initialised: run \`bao operator init\` and unseal it first (docs/openbao.md)`);
  if (health.status === API.health.sealed.value) throw new PortalRegisterError(`OpenBao at ${address} is sealed: unseal it with the key shares first (docs/openbao.md)`);
  if (health.status !== API.health.active.value) throw bao.refused(GET, HEALTH_PATH, health);

  // 1. the host cluster's credentials, rewritten only when they differ
  const host = portalHostCluster(config);
  const kvPath = `${PORTAL_KV_MOUNT}/${portalClusterSecretPath(host.id)}`;
  const dataPath = kvDataPath(PORTAL_KV_MOUNT, portalClusterSecretPath(host.id));
  const wanted = clusterSecretData(config, clusterToken);
  const current = await bao.call(GET, dataPath, undefined, [API.status.notFound.value]);
  const currentData = current.status === API.status.ok.value ? responseData(current.body)?.[API.kv2.readField.value] : undefined;
  const kv = sameData(currentData, wanted) ? 'unchanged' : 'written';
  if (kv === 'written') await bao.call(POST, dataPath, { [API.kv2.writeField.value]: wanted });

  // 2. the AppRole's role-id and a secret-id that logs in
  const rolePath = appRolePath(APPROLE_MOUNT, PORTAL_APPROLE);
  const roleIdPath = `${rolePath}/${API.approle.roleId.path.value}`;
  const secretIdPath = `${rolePath}/${API.approle.secretId.path.value}`;
  const lookupPath = `${rolePath}/${API.approle.lookup.path.value}`;
  const destroyPath = `${rolePath}/${API.approle.destroy.path.value}`;
  const destroy = (secretId: string) => ({ [API.approle.destroy.secretIdField.value]: secretId });
  const roleId = stringField((await bao.call(GET, roleIdPath)).body, API.approle.roleId.field.value, GET, roleIdPath, address);
  const existing = await readSecret(kubectl, PORTAL_SECRETS.openbao);
  const oldSecretId = existing?.get(PORTAL_OPENBAO_KEYS.secretId);
  if (oldSecretId) secrets.push(oldSecretId);
  let oldValid = false;
  if (oldSecretId) {
    oldValid = stillValid(await bao.call(POST, lookupPath, { [API.approle.lookup.secretIdField.value]: oldSecretId }), new Date());
  }
  let secretId: string;
  let secretIdState: PortalRegisterReport['secretId'];
  let secretIdReason: string | undefined;
  if (oldValid && !options.newSecretId) {
    secretId = oldSecretId as string;
    secretIdState = 'kept';
  } else {
    const made = await bao.call(POST, secretIdPath, { [API.approle.secretId.metadataField.value]: JSON.stringify(SECRET_ID_METADATA) });
    secretId = stringField(made.body, API.approle.secretId.field.value, POST, secretIdPath, address);
    secrets.push(secretId);
    secretIdState = oldSecretId ? 'replaced' : 'created';
    secretIdReason = !existing ? `Secret ${PORTAL_NAMESPACE}/${PORTAL_SECRETS.openbao} did not exist`
      : !oldSecretId ? `Secret ${PORTAL_NAMESPACE}/${PORTAL_SECRETS.openbao} had no secretId`
        : oldValid ? 'asked for (--new-secret-id)' : `the one in Secret ${PORTAL_NAMESPACE}/${PORTAL_SECRETS.openbao} is unknown to OpenBao or expired`;
  }

  // 3. the Secret, applied only when it changes
  const secret = !existing ? 'created' : existing.get(PORTAL_OPENBAO_KEYS.roleId) === roleId && existing.get(PORTAL_OPENBAO_KEYS.secretId) === secretId ? 'unchanged' : 'updated';
  if (secret !== 'unchanged') {
    const manifest = JSON.stringify(openbaoSecretManifest(roleId, secretId));
    try {
      await kubectl.run(['apply', '--server-side', '--force-conflicts', `--field-manager=${FIELD_MANAGER}`, '-f', '-'], manifest);
    } catch (e) {
      // a secret-id that no Secret holds would be left in OpenBao for good: take it back
      if (secretIdState !== 'kept') await bao.send(POST, destroyPath, destroy(secretId)).catch(() => undefined);
      throw e;
    }
  }

  // 4. the replaced secret-id, once nothing is meant to use it
  let destroyedOld = false;
  if (options.newSecretId && oldValid && oldSecretId && oldSecretId !== secretId) {
    await bao.call(POST, destroyPath, destroy(oldSecretId));
    destroyedOld = true;
  }

  return { address, clusterId: host.id, kvPath, kv, clusterTokenFrom, secretId: secretIdState, secretIdReason, secret, destroyedOld };
}

/** The report: what was done, never a value. */
export function formatPortalRegisterReport(r: PortalRegisterReport): string {
  const secretName = `${PORTAL_NAMESPACE}/${PORTAL_SECRETS.openbao}`;
  const lines = [
    `registered cluster ${r.clusterId} with the CP-Portal in OpenBao at ${r.address}:`,
    `  ${r.kvPath}: ${r.kv} (clusterId, clusterApiUrl, clusterToken; the token from ${r.clusterTokenFrom})`,
    `  AppRole ${PORTAL_APPROLE}: secret-id ${r.secretId === 'kept' ? 'kept (the one in the Secret is still valid)' : `${r.secretId} (${r.secretIdReason})`}`
      + `${r.destroyedOld ? '; the old one destroyed' : ''}`,
    `  Secret ${secretName}: ${r.secret}${r.secret === 'unchanged' ? '' : ' (kubectl apply --server-side)'}`,
  ];
  if (r.secret === 'updated') {
    lines.push(`next: restart what logs in with it: kubectl -n ${PORTAL_NAMESPACE} rollout restart deployment ${OPENBAO_CLIENT_DEPLOYMENTS.join(' ')}`);
  } else if (r.secret === 'created') {
    lines.push(`next: ${OPENBAO_CLIENT_DEPLOYMENTS.join(', ')} start once they find the Secret (kubectl -n ${PORTAL_NAMESPACE} get pods); then log in (docs/portal.md)`);
  }
  return `${lines.join('\n')}\n`;
}
