/**
 * Environment contract: every Harbor and Keycloak container in dist sets only variables its
 * program reads, and every variable the program needs (config/contracts/harbor-env.ts,
 * config/contracts/keycloak-env.ts, each name with the upstream file it comes from).
 *
 * A variable is also accepted when the kubelet reads it: the source of a `$(NAME)` in the same
 * container's env values, command or args (the Redis password inside the Redis URLs). For Keycloak,
 * a variable is accepted when a realm file mounted into the pod names it as a `${NAME}` placeholder.
 */
import { VERSIONS } from '../../config';
import { HARBOR_ENV_CONTRACTS, HARBOR_TAG, deprecatedEnv, knownEnvName, ProgramEnvContract, requiredEnv } from '../../config/contracts/harbor-env';
import { keycloakEnvName, KEYCLOAK_ENV, KEYCLOAK_REALM_IMPORT, KEYCLOAK_TAG } from '../../config/contracts/keycloak-env';
import { containers, K8sObject, renderManifests, WorkloadContainer, workloads } from '../support/k8s-manifests';

const CONTRACTS: readonly ProgramEnvContract[] = [...HARBOR_ENV_CONTRACTS, KEYCLOAK_ENV];

/** `docker.io/goharbor/harbor-core:v2.15.1` → `goharbor/harbor-core` (any registry host, tag or digest). */
export function imageRepository(image: string): string {
  const withoutDigest = image.split('@')[0];
  const parts = withoutDigest.split('/');
  if (parts.length > 1 && (parts[0].includes('.') || parts[0].includes(':') || parts[0] === 'localhost')) parts.shift();
  const path = parts.join('/');
  const colon = path.lastIndexOf(':');
  return colon > path.lastIndexOf('/') ? path.slice(0, colon) : path;
}

interface EnvEntry { readonly name: string; readonly value?: string; readonly valueFrom?: unknown }
interface ContainerEnv {
  readonly id: string;
  readonly env: readonly EnvEntry[];
  readonly command?: readonly string[];
  readonly args?: readonly string[];
}

/** Names a `$(NAME)` in the container refers to: the kubelet reads them. */
function expansionSources(c: ContainerEnv): Set<string> {
  const texts = [...c.env.map((e) => e.value ?? ''), ...(c.command ?? []), ...(c.args ?? [])];
  return new Set(texts.flatMap((t) => [...t.matchAll(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g)].map((m) => m[1])));
}

/** What is wrong with a container's environment against its program's contract. */
export function envProblems(contract: ProgramEnvContract, c: ContainerEnv, placeholders: ReadonlySet<string> = new Set()): string[] {
  const problems: string[] = [];
  const kubelet = expansionSources(c);
  const names = c.env.map((e) => e.name);
  for (const name of names) {
    if (knownEnvName(contract, name) || kubelet.has(name) || placeholders.has(name)) continue;
    problems.push(`${c.id}: ${name} is not a variable ${contract.program} reads`);
  }
  for (const { name, instead } of deprecatedEnv(contract)) {
    if (names.includes(name)) problems.push(`${c.id}: ${name} is deprecated in ${contract.program}, use ${instead}`);
  }
  for (const { name, because } of requiredEnv(contract)) {
    if (!names.includes(name)) problems.push(`${c.id}: ${name} is missing, ${contract.program} needs it (${because})`);
  }
  const repeated = names.filter((n, i) => names.indexOf(n) !== i);
  for (const name of new Set(repeated)) problems.push(`${c.id}: ${name} is set twice`);
  return problems;
}

function contractOf(image: string | undefined): ProgramEnvContract | undefined {
  return image ? CONTRACTS.find((c) => c.image === imageRepository(image)) : undefined;
}

const { objects } = renderManifests();
const all = containers(workloads(objects));

/** The files (name, text) of the ConfigMaps a pod mounts. */
function mountedFiles(wc: WorkloadContainer): Array<[string, string]> {
  const maps = (wc.workload.podSpec.volumes ?? []).flatMap((v) => (v.configMap?.name ? [v.configMap.name] : []));
  return objects
    .map((o) => o.object as K8sObject & { data?: Record<string, string> })
    .filter((o) => o.kind === 'ConfigMap' && o.metadata.namespace === wc.workload.namespace && maps.includes(o.metadata.name ?? ''))
    .flatMap((o) => Object.entries(o.data ?? {}));
}

/** `${NAME}` placeholders of the ConfigMaps a pod mounts (Keycloak's realm import fills them from the environment). */
function mountedPlaceholders(wc: WorkloadContainer): Set<string> {
  return new Set(mountedFiles(wc).flatMap(([, t]) => [...t.matchAll(KEYCLOAK_REALM_IMPORT.placeholder)].map((m) => m[1])));
}

/** The realm files a pod mounts, parsed. */
function mountedRealms(wc: WorkloadContainer): Array<Record<string, unknown>> {
  return mountedFiles(wc).filter(([file]) => file.endsWith('.json')).map(([, text]) => JSON.parse(text) as Record<string, unknown>);
}

/** What is wrong with the realm import's secrets: each client secret and password a whole `${NAME}` placeholder, each NAME set from a Secret. */
export function realmSecretProblems(realms: ReadonlyArray<Record<string, unknown>>, env: readonly EnvEntry[]): string[] {
  const whole = new RegExp(`^${KEYCLOAK_REALM_IMPORT.placeholder.source}$`);
  const secrets = realms.flatMap((r) => [
    ...((r.clients ?? []) as Array<{ clientId: string; secret?: string }>).filter((c) => c.secret !== undefined).map((c) => [`client ${c.clientId} secret`, c.secret!] as const),
    ...((r.users ?? []) as Array<{ username: string; credentials?: Array<{ value?: string }> }>)
      .flatMap((u) => (u.credentials ?? []).map((c) => [`user ${u.username} credentials.value`, c.value ?? ''] as const)),
  ]);
  return secrets.flatMap(([what, value]) => {
    const name = whole.exec(value)?.[1];
    if (!name) return [`${what} is not a \${NAME} placeholder (the import would store it as written)`];
    const set = env.find((e) => e.name === name);
    if (!set) return [`${what}: ${name} is not set on the container (the import would keep \${${name}} as the value)`];
    return set.valueFrom && (set.valueFrom as { secretKeyRef?: unknown }).secretKeyRef ? [] : [`${what}: ${name} is not taken from a Secret`];
  });
}

function asContainerEnv(wc: WorkloadContainer): ContainerEnv {
  return { id: wc.id, env: (wc.container.env ?? []) as EnvEntry[], command: wc.container.command, args: wc.container.args };
}

const harbor = all.filter((wc) => wc.workload.namespace === 'harbor' && !wc.workload.name.endsWith('-postgres'));
const keycloak = all.filter((wc) => wc.workload.namespace === 'keycloak' && wc.workload.name === 'keycloak');

describe('environment contract', () => {
  it('has a contract for every Harbor container (except PostgreSQL) and for Keycloak', () => {
    expect(harbor.length).toBeGreaterThanOrEqual(7);
    expect(keycloak).toHaveLength(1);
    const without = [...harbor, ...keycloak].filter((wc) => !contractOf(wc.container.image)).map((wc) => `${wc.id} (${wc.container.image})`);
    expect(without).toEqual([]);
  });

  it('sets in every Harbor and Keycloak container only variables its program reads, and every one it needs', () => {
    const problems = [...harbor, ...keycloak].flatMap((wc) => {
      const contract = contractOf(wc.container.image)!;
      const placeholders = contract === KEYCLOAK_ENV ? mountedPlaceholders(wc) : new Set<string>();
      return envProblems(contract, asContainerEnv(wc), placeholders);
    });
    expect(problems).toEqual([]);
  });

  it('accepts Keycloak\'s realm-import placeholders only because the mounted realm file names them', () => {
    const wc = keycloak[0];
    expect([...mountedPlaceholders(wc)].sort()).toEqual(['KC_CLIENT_SECRET_HARBOR', 'KC_CLIENT_SECRET_PORTAL', 'KC_USER_PASSWORD_PORTAL_ADMIN']);
    expect(envProblems(KEYCLOAK_ENV, asContainerEnv(wc))).toEqual([
      'keycloak/keycloak/keycloak: KC_CLIENT_SECRET_PORTAL is not a variable keycloak reads',
      'keycloak/keycloak/keycloak: KC_CLIENT_SECRET_HARBOR is not a variable keycloak reads',
      'keycloak/keycloak/keycloak: KC_USER_PASSWORD_PORTAL_ADMIN is not a variable keycloak reads',
    ]);
  });

  it('fills every client secret and password of the realm import from a Secret, through a placeholder the import replaces', () => {
    const realms = mountedRealms(keycloak[0]);
    expect(realms.length).toBeGreaterThan(0);
    expect(realmSecretProblems(realms, asContainerEnv(keycloak[0]).env)).toEqual([]);
  });

  describe('catches', () => {
    const kc = asContainerEnv(keycloak[0]);
    const placeholders = mountedPlaceholders(keycloak[0]);
    const core = asContainerEnv(harbor.find((wc) => wc.container.name === 'core')!);
    const registry = asContainerEnv(harbor.find((wc) => wc.container.name === 'registry')!);

    it('a realm placeholder the container does not set, a password written as is, and one set from a literal', () => {
      const realms = mountedRealms(keycloak[0]);
      expect(realmSecretProblems(realms, kc.env.filter((e) => e.name !== 'KC_USER_PASSWORD_PORTAL_ADMIN'))).toEqual([
        'user portal-admin credentials.value: KC_USER_PASSWORD_PORTAL_ADMIN is not set on the container (the import would keep ${KC_USER_PASSWORD_PORTAL_ADMIN} as the value)',
      ]);
      const users = (realms[0].users as Array<Record<string, unknown>>).map((u) => ({ ...u, credentials: [{ type: 'password', value: 'changeme' }] }));
      expect(realmSecretProblems([{ ...realms[0], users }], kc.env)).toEqual(['user portal-admin credentials.value is not a ${NAME} placeholder (the import would store it as written)']);
      const literal = kc.env.map((e) => (e.name === 'KC_CLIENT_SECRET_HARBOR' ? { name: e.name, value: 'x' } : e));
      expect(realmSecretProblems(realms, literal)).toEqual(['client harbor secret: KC_CLIENT_SECRET_HARBOR is not taken from a Secret']);
    });

    it('a misspelt Keycloak option', () => {
      const env = [...kc.env, { name: 'KC_DB_URL_HOTS', value: 'keycloak-postgres' }];
      expect(envProblems(KEYCLOAK_ENV, { ...kc, env }, placeholders)).toEqual([
        'keycloak/keycloak/keycloak: KC_DB_URL_HOTS is not a variable keycloak reads',
      ]);
    });

    it('a deprecated-and-dropped setting that is no option (JAVA_OPTS_APPEND is read by kc.sh, not recorded)', () => {
      const env = [...kc.env, { name: 'JAVA_OPTS_APPEND', value: '-Djgroups.dns.query=x' }];
      expect(envProblems(KEYCLOAK_ENV, { ...kc, env }, placeholders)).toHaveLength(1);
    });

    it('a Keycloak option that still exists but is deprecated (KC_PROXY, replaced by KC_PROXY_HEADERS)', () => {
      const env = [...kc.env, { name: 'KC_PROXY', value: 'edge' }];
      expect(envProblems(KEYCLOAK_ENV, { ...kc, env }, placeholders)).toEqual([
        'keycloak/keycloak/keycloak: KC_PROXY is deprecated in keycloak, use proxy-headers (and http-enabled)',
      ]);
    });

    it('a variable Keycloak needs', () => {
      const env = kc.env.filter((e) => e.name !== 'KC_DB_URL');
      expect(envProblems(KEYCLOAK_ENV, { ...kc, env }, placeholders)).toEqual([
        'keycloak/keycloak/keycloak: KC_DB_URL is missing, keycloak needs it (the default points at localhost)',
      ]);
    });

    it('a Harbor variable core does not read, and one it needs', () => {
      const env = [...core.env.filter((e) => e.name !== 'POSTGRESQL_HOST'), { name: 'POSTGRESQL_MAX_OPEN_CONN', value: '25' }];
      expect(envProblems(HARBOR_ENV_CONTRACTS[0], { ...core, env })).toEqual([
        'harbor/harbor-core/core: POSTGRESQL_MAX_OPEN_CONN is not a variable harbor-core reads',
        'harbor/harbor-core/core: POSTGRESQL_HOST is missing, harbor-core needs it (the default, postgresql, is a docker-compose host)',
      ]);
    });

    it('a registry variable with no configuration field behind it', () => {
      const contract = HARBOR_ENV_CONTRACTS.find((c) => c.program === 'registry')!;
      const env = [...registry.env, { name: 'REGISTRY_REDIS_PASSWRD', value: 'x' }, { name: 'REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY', value: '/s' }];
      expect(envProblems(contract, { ...registry, env })).toEqual([
        'harbor/harbor-registry/registry: REGISTRY_REDIS_PASSWRD is not a variable registry reads',
      ]);
    });

    it('a $(NAME) source is accepted only while something refers to it', () => {
      const env = [{ name: 'REDIS_PASSWORD', value: 'x' }];
      const redis = HARBOR_ENV_CONTRACTS.find((c) => c.program === 'valkey')!;
      expect(envProblems(redis, { id: 'r', env, args: ['--requirepass', '$(REDIS_PASSWORD)'] })).toEqual([]);
      expect(envProblems(redis, { id: 'r', env, args: [] })).toEqual(['r: REDIS_PASSWORD is not a variable valkey reads']);
    });
  });

  it('was read at the versions dist runs: a version bump fails here until the lists are read again', () => {
    expect(HARBOR_TAG).toBe(VERSIONS.harbor);
    expect(VERSIONS.harborTrivyAdapter).toBe(HARBOR_TAG); // the adapter release is the one Harbor's Makefile names
    expect(VERSIONS.harborRedis).toBe(HARBOR_TAG);
    expect(KEYCLOAK_TAG).toBe(VERSIONS.keycloak);
  });

  it('derives Keycloak variable names from option names', () => {
    expect(keycloakEnvName('db-pool-max-size')).toBe('KC_DB_POOL_MAX_SIZE');
    expect(keycloakEnvName('cache')).toBe('KC_CACHE');
  });

  it('reads image repositories whatever the registry host and tag', () => {
    expect(imageRepository('docker.io/goharbor/harbor-core:v2.15.1')).toBe('goharbor/harbor-core');
    expect(imageRepository('mirror.example.org:5000/goharbor/harbor-core:v2.15.1')).toBe('goharbor/harbor-core');
    expect(imageRepository('quay.io/keycloak/keycloak:26.7.5')).toBe('keycloak/keycloak');
    expect(imageRepository('quay.io/keycloak/keycloak@sha256:abc')).toBe('keycloak/keycloak');
  });
});
