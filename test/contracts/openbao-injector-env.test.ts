/**
 * The OpenBao agent injector's contract (config/contracts/openbao-injector-env.ts): the injector
 * Deployment dist renders sets only variables vault-k8s reads, every one it needs, values it can
 * parse, with the meaning intended (the webhook configuration it patches, the Service name its
 * certificate must carry, the port it listens on, the probe path, the lock and Secret names its
 * RBAC grants); and, where a fetched copy of hashicorp/vault-k8s is at hand in ../.mirror, every
 * entry of the contract is found in the source at the pinned tag: the variable names envconfig
 * derives from the Specification struct, the Command field and flag each sets, how it is parsed,
 * and the fixed names and paths.
 */
import { Chart, Testing } from 'cdk8s';
import { parseConfig, VERSIONS } from '../../config';
import { knownEnvName } from '../../config/contracts/harbor-env';
import {
  INJECTOR_CALLS, INJECTOR_ENV, OPENBAO_INJECTOR, OPENBAO_INJECTOR_ENV, OPENBAO_INJECTOR_SCHEME, OPERATOR_LIB_TAG, VAULT_K8S_TAG,
} from '../../config/contracts/openbao-injector-env';
import type { InjectorCall, InjectorEnvVar, InjectorFact } from '../../config/contracts/openbao-injector-env';
import { OpenbaoAgentInjector } from '../../platform/openbao/openbao-agent-injector';
import { OPENBAO_CONNECTIONS } from '../../platform/openbao/openbao-connections';
import { renderManifests } from '../support/k8s-manifests';
import { hasMirror, showAt } from '../support/mirror';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Obj = any;

const VARS: readonly InjectorEnvVar[] = Object.values(INJECTOR_ENV);
const byName = new Map(VARS.map((v) => [v.name, v]));
/** The texts Go's strconv.ParseBool (behind parseutil.ParseBool) takes, and those it takes as true. */
const GO_BOOL = ['1', 't', 'T', 'TRUE', 'true', 'True', '0', 'f', 'F', 'FALSE', 'false', 'False'];
const GO_TRUE = new Set(GO_BOOL.slice(0, 6));

interface EnvEntry { readonly name: string; readonly value?: string; readonly valueFrom?: Obj }

/** What is wrong with the injector container's environment against the contract. */
export function envProblems(env: readonly EnvEntry[]): string[] {
  const problems: string[] = [];
  const names = env.map((e) => e.name);
  const values = new Map(env.map((e) => [e.name, e.value]));
  for (const e of env) {
    const v = byName.get(e.name);
    if (!v || !knownEnvName(OPENBAO_INJECTOR_ENV, e.name)) { problems.push(`${e.name} is not a variable vault-k8s ${VAULT_K8S_TAG} reads`); continue; }
    if (e.value === undefined) continue; // from the downward API or a Secret: checked by meaning below
    if (v.kind === 'bool' && !GO_BOOL.includes(e.value)) problems.push(`${e.name}=${e.value} is no bool ParseBool takes`);
    if (v.kind === 'int' && !/^-?\d+$/.test(e.value)) problems.push(`${e.name}=${e.value} is no integer`);
    if (v.kind === 'float' && Number.isNaN(Number(e.value))) problems.push(`${e.name}=${e.value} is no number`);
    if (v.accepts && !v.accepts.includes(e.value)) problems.push(`${e.name}=${e.value} is not one of ${v.accepts.join(', ')}`);
  }
  for (const v of VARS) {
    const needed = v.required || (v.requiredWith !== undefined && GO_TRUE.has(values.get(v.requiredWith) ?? ''));
    if (needed && !names.includes(v.name)) problems.push(`${v.name} is missing: ${v.because}`);
  }
  for (const n of new Set(names.filter((n, i) => names.indexOf(n) !== i))) problems.push(`${n} is set twice`);
  return problems;
}

const find = (objs: readonly Obj[], kind: string, name?: string) => objs.filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name));

/** What is wrong with what the values mean, across the injector's objects. */
export function meaningProblems(objs: readonly Obj[]): string[] {
  const problems: string[] = [];
  const [deployment] = find(objs, 'Deployment');
  const container = deployment.spec.template.spec.containers[0];
  const env = new Map<string, EnvEntry>(container.env.map((e: EnvEntry) => [e.name, e]));
  const value = (v: InjectorEnvVar) => env.get(v.name)?.value;
  const E = INJECTOR_ENV;
  const O = OPENBAO_INJECTOR;

  if (JSON.stringify(container.args) !== JSON.stringify([O.subcommand.value])) problems.push(`args ${JSON.stringify(container.args)} do not run ${O.subcommand.value}`);
  // listens on the container's https port, which is the injector's default port
  const https = (container.ports ?? []).find((p: Obj) => p.name === 'https');
  if (!https || value(E.listen) !== `:${https.containerPort}`) problems.push(`${E.listen.name}=${value(E.listen)} is not the container's https port (${https?.containerPort})`);
  if (https?.containerPort !== O.listenPort.value) problems.push(`the container's https port ${https?.containerPort} is not the injector's listen port ${O.listenPort.value}`);
  for (const probe of ['readinessProbe', 'livenessProbe', 'startupProbe']) {
    const get = container[probe]?.httpGet;
    if (!get || get.path !== O.healthPath.value || get.scheme !== OPENBAO_INJECTOR_SCHEME || (get.port !== 'https' && get.port !== O.listenPort.value)) {
      problems.push(`${probe} ${JSON.stringify(get)} is not ${OPENBAO_INJECTOR_SCHEME} ${O.healthPath.value} on the listen port`);
    }
  }
  // AGENT_INJECT_TLS_AUTO names the webhook configuration whose first webhook gets the CA
  const webhooks = find(objs, 'MutatingWebhookConfiguration', value(E.tlsAuto));
  const [service] = find(objs, 'Service');
  if (webhooks.length !== 1) problems.push(`${E.tlsAuto.name}=${value(E.tlsAuto)} names no MutatingWebhookConfiguration of the injector`);
  else {
    const hooks = webhooks[0].webhooks;
    if (hooks.length !== 1) problems.push(`the injector writes the CA into ${O.caBundlePath.value} only, but ${value(E.tlsAuto)} has ${hooks.length} webhooks`);
    const svc = hooks[0].clientConfig.service;
    if (svc.name !== service.metadata.name || svc.namespace !== service.metadata.namespace || svc.path !== O.mutatePath.value) {
      problems.push(`the webhook calls ${svc.namespace}/${svc.name}${svc.path}, not the injector's Service at ${O.mutatePath.value}`);
    }
  }
  // the API server verifies the certificate against <service>.<namespace>.svc
  const dnsName = `${service.metadata.name}.${service.metadata.namespace}.svc`;
  if (!(value(E.tlsAutoHosts) ?? '').split(',').includes(dnsName)) problems.push(`${E.tlsAutoHosts.name}=${value(E.tlsAutoHosts)} lacks ${dnsName}, the name the API server calls`);
  if (!/^https:\/\//.test(value(E.vaultAddr) ?? '')) problems.push(`${E.vaultAddr.name}=${value(E.vaultAddr)} is not an https URL`);
  if (!env.get(E.vaultCaCertBytes.name)?.valueFrom?.secretKeyRef) problems.push(`${E.vaultCaCertBytes.name} does not come from the CA Secret`);
  if (!/\/openbao\/openbao:/.test(value(E.vaultImage) ?? '')) problems.push(`${E.vaultImage.name}=${value(E.vaultImage)} is not the OpenBao image`);
  const fieldOf = (v: InjectorEnvVar) => env.get(v.name)?.valueFrom?.fieldRef?.fieldPath;
  if (env.has(E.namespace.name) && fieldOf(E.namespace) !== 'metadata.namespace') problems.push(`${E.namespace.name} is not the pod's namespace`);
  if (env.has(E.podName.name) && fieldOf(E.podName) !== 'metadata.name') problems.push(`${E.podName.name} is not the pod's name`);
  // leader election: the Role grants the Secret and the lock by the names the code uses
  if (GO_TRUE.has(value(E.useLeaderElector) ?? '')) {
    const rules = find(objs, 'Role').flatMap((r) => r.rules);
    const named = (resource: string) => rules.filter((r: Obj) => r.resources.includes(resource)).flatMap((r: Obj) => r.resourceNames ?? []);
    if (!named('secrets').includes(O.certSecret.value)) problems.push(`no Role names the certificate Secret ${O.certSecret.value} (names: ${named('secrets').join(', ')})`);
    if (!named('configmaps').includes(O.leaderLock.value)) problems.push(`no Role names the leader lock ${O.leaderLock.value} (names: ${named('configmaps').join(', ')})`);
    // every call on the lock, the Secret, the pods and the leader's node is allowed (by the Role or
    // the ClusterRole): by name where the request names it (pods and nodes: names known only at run time)
    const granted = [...rules, ...find(objs, 'ClusterRole').flatMap((r) => r.rules)];
    const targets = [
      ['configmaps', O.leaderLock.value, INJECTOR_CALLS.leaderLock], ['secrets', O.certSecret.value, INJECTOR_CALLS.certSecret],
      ['pods', '', INJECTOR_CALLS.pods], ['nodes', '', INJECTOR_CALLS.nodes],
    ] as const;
    for (const [resource, name, calls] of targets) {
      for (const c of calls as readonly InjectorCall[]) {
        const allowed = granted.some((r: Obj) => (r.apiGroups ?? []).includes('') && r.resources.includes(resource) && r.verbs.includes(c.verb) && (!r.resourceNames || (c.named && r.resourceNames.includes(name))));
        if (!allowed) problems.push(`no Role or ClusterRole lets it ${c.verb} ${resource}${name ? ` ${name}` : ''} (${c.source.repo}@${c.source.ref}:${c.source.path})`);
      }
    }
    // and nothing more: every verb granted on those resources is one of the recorded calls
    for (const [resource, , calls] of targets) {
      const made = new Set((calls as readonly InjectorCall[]).map((c) => c.verb as string));
      const extra = granted.filter((r: Obj) => (r.apiGroups ?? []).includes('') && r.resources.includes(resource)).flatMap((r: Obj) => r.verbs as string[]).filter((v) => !made.has(v));
      for (const v of [...new Set(extra)]) problems.push(`a Role or ClusterRole lets it ${v} ${resource}, a call neither vault-k8s ${VAULT_K8S_TAG} nor operator-lib ${OPERATOR_LIB_TAG} makes`);
    }
  }
  return problems;
}

const rendered = renderManifests().objects.map((m) => m.object as Obj).filter((o) => o.metadata.labels?.['app.kubernetes.io/name'] === 'openbao-agent-injector');
const single = (() => {
  const c = new Chart(Testing.app(), 'test', { namespace: 'openbao' });
  new OpenbaoAgentInjector(c, 'injector', { config: parseConfig({}), connections: OPENBAO_CONNECTIONS, openbaoAddress: 'https://bao:8200', caSecret: { name: 'ca' }, replicas: 1 });
  return Testing.synth(c);
})();
const envOf = (objs: readonly Obj[]): EnvEntry[] => find(objs, 'Deployment')[0].spec.template.spec.containers[0].env;
/** The rendered objects with the injector container changed. */
const withContainer = (objs: readonly Obj[], change: (c: Obj) => Obj) => {
  const copy = JSON.parse(JSON.stringify(objs));
  const d = find(copy, 'Deployment')[0];
  d.spec.template.spec.containers[0] = change(d.spec.template.spec.containers[0]);
  return copy;
};
const setEnv = (env: readonly EnvEntry[], name: string, value: string) => env.map((e) => (e.name === name ? { name, value } : e));

describe('the injector Deployment in dist', () => {
  it('is found, with leader election (two replicas)', () => {
    expect(find(rendered, 'Deployment').map((d) => d.metadata.name)).toEqual(['openbao-agent-injector']);
    expect(envOf(rendered).find((e) => e.name === INJECTOR_ENV.useLeaderElector.name)?.value).toBe('true');
  });

  it('sets only variables vault-k8s reads, each once, with values it parses, and every one it needs', () => {
    expect(envProblems(envOf(rendered))).toEqual([]);
    expect(envProblems(envOf(single))).toEqual([]);
  });

  it('gives them the meaning intended: its webhook configuration, Service name, port, probes, lock and Secret', () => {
    expect(meaningProblems(rendered)).toEqual([]);
    expect(meaningProblems(single)).toEqual([]);
  });

  it('was read at the version dist runs: a version bump fails here until the contract is read again', () => {
    expect(VAULT_K8S_TAG).toBe(`v${VERSIONS.openbaoAgentInjector}`);
  });

  describe('catches', () => {
    const env = envOf(rendered);
    it('a misspelt variable (the flag\'s name, not the variable\'s)', () => {
      expect(envProblems([...env, { name: 'AGENT_INJECT_VAULT_ADDRESS', value: 'https://x' }])).toEqual([`AGENT_INJECT_VAULT_ADDRESS is not a variable vault-k8s ${VAULT_K8S_TAG} reads`]);
    });
    it('a variable it needs', () => {
      expect(envProblems(env.filter((e) => e.name !== INJECTOR_ENV.vaultAddr.name))).toEqual([`AGENT_INJECT_VAULT_ADDR is missing: ${INJECTOR_ENV.vaultAddr.because}`]);
    });
    it('leader election without the pod name operator-lib needs', () => {
      expect(envProblems(env.filter((e) => e.name !== 'POD_NAME'))).toEqual([`POD_NAME is missing: ${INJECTOR_ENV.podName.because}`]);
    });
    it('a value it cannot parse or does not accept, and a variable set twice', () => {
      expect(envProblems([...setEnv(setEnv(env, 'AGENT_INJECT_REVOKE_ON_SHUTDOWN', 'no'), 'AGENT_INJECT_DEFAULT_TEMPLATE', 'yaml'), { name: 'AGENT_INJECT_LOG_LEVEL', value: 'info' }])).toEqual([
        'AGENT_INJECT_REVOKE_ON_SHUTDOWN=no is no bool ParseBool takes',
        'AGENT_INJECT_DEFAULT_TEMPLATE=yaml is not one of map, json',
        'AGENT_INJECT_LOG_LEVEL is set twice',
      ]);
    });
    it('a listen address off the container port, and a probe on another path', () => {
      const objs = withContainer(rendered, (c) => ({ ...c, env: setEnv(c.env, 'AGENT_INJECT_LISTEN', ':8443'), readinessProbe: { ...c.readinessProbe, httpGet: { ...c.readinessProbe.httpGet, path: '/healthz' } } }));
      expect(meaningProblems(objs)).toEqual([
        'AGENT_INJECT_LISTEN=:8443 is not the container\'s https port (8080)',
        'readinessProbe {"path":"/healthz","port":"https","scheme":"HTTPS"} is not HTTPS /health/ready on the listen port',
      ]);
    });
    it('a webhook configuration name that is not the rendered one, and hosts without the Service\'s name', () => {
      const objs = withContainer(rendered, (c) => ({ ...c, env: setEnv(setEnv(c.env, 'AGENT_INJECT_TLS_AUTO', 'openbao-agent-injector'), 'AGENT_INJECT_TLS_AUTO_HOSTS', 'openbao-agent-injector-svc') }));
      expect(meaningProblems(objs)).toEqual([
        'AGENT_INJECT_TLS_AUTO=openbao-agent-injector names no MutatingWebhookConfiguration of the injector',
        'AGENT_INJECT_TLS_AUTO_HOSTS=openbao-agent-injector-svc lacks openbao-agent-injector-svc.openbao.svc, the name the API server calls',
      ]);
    });
    it('a Role that does not allow a call the injector makes on its lock or Secret', () => {
      const objs = JSON.parse(JSON.stringify(rendered));
      const role = find(objs, 'Role')[0];
      role.rules = role.rules.map((r: Obj) => ({ ...r, verbs: r.verbs.filter((v: string) => !(v === 'create' && r.resources.includes('secrets'))) }));
      expect(meaningProblems(objs)).toEqual([
        'no Role or ClusterRole lets it create secrets vault-injector-certs (hashicorp/vault-k8s@v1.7.2:helper/cert/source_gen.go)',
      ]);
    });
    it('a ClusterRole without the leader\'s node, and a Role that cannot delete the leader\'s pod', () => {
      const objs = JSON.parse(JSON.stringify(rendered));
      for (const kind of ['Role', 'ClusterRole']) {
        for (const r of find(objs, kind)[0].rules) if (r.resources.includes('nodes') || r.resources.includes('pods')) r.verbs = r.verbs.filter((v: string) => v !== (kind === 'Role' ? 'delete' : 'get'));
      }
      expect(meaningProblems(objs)).toEqual([
        'no Role or ClusterRole lets it delete pods (operator-framework/operator-lib@v0.19.0:leader/leader.go)',
        'no Role or ClusterRole lets it get nodes (operator-framework/operator-lib@v0.19.0:leader/leader.go)',
      ]);
    });
    it('a Role that grants more than the code calls (the OpenBao chart\'s patch on pods and update on the lock)', () => {
      const objs = JSON.parse(JSON.stringify(rendered));
      for (const r of find(objs, 'Role')[0].rules) {
        if (r.resources.includes('pods')) r.verbs = [...r.verbs, 'patch'];
        if (r.resourceNames?.includes(OPENBAO_INJECTOR.leaderLock.value)) r.verbs = [...r.verbs, 'update'];
      }
      expect(meaningProblems(objs)).toEqual([
        `a Role or ClusterRole lets it update configmaps, a call neither vault-k8s ${VAULT_K8S_TAG} nor operator-lib ${OPERATOR_LIB_TAG} makes`,
        `a Role or ClusterRole lets it patch pods, a call neither vault-k8s ${VAULT_K8S_TAG} nor operator-lib ${OPERATOR_LIB_TAG} makes`,
      ]);
    });
    it('a Role that grants another lock or Secret name', () => {
      const objs = JSON.parse(JSON.stringify(rendered));
      for (const r of find(objs, 'Role')[0].rules) r.resourceNames = r.resourceNames?.map((n: string) => `${n}-x`);
      expect(meaningProblems(objs)).toEqual([
        'no Role names the certificate Secret vault-injector-certs (names: vault-injector-certs-x)',
        'no Role names the leader lock vault-k8s-leader (names: vault-k8s-leader-x)',
        'no Role or ClusterRole lets it get configmaps vault-k8s-leader (operator-framework/operator-lib@v0.19.0:leader/leader.go)',
        'no Role or ClusterRole lets it delete configmaps vault-k8s-leader (operator-framework/operator-lib@v0.19.0:leader/leader.go)',
        'no Role or ClusterRole lets it update secrets vault-injector-certs (hashicorp/vault-k8s@v1.7.2:helper/cert/source_gen.go)',
      ]);
    });
  });
});

const VAULT_K8S = 'hashicorp/vault-k8s';
const present = hasMirror(VAULT_K8S);
if (!present) console.warn('SKIPPED: no fetched copy of hashicorp/vault-k8s in ../.mirror; the injector contract is not compared with its source');

const show = (repo: string, ref: string, file: string) => showAt({ repo, ref, path: file });
const flat = (s: string) => s.replace(/\s+/g, ' ').trim();

/** One field of the Specification struct: its name and tags. */
interface SpecField { readonly field: string; readonly splitWords: boolean; readonly tag?: string }

/** The fields of `type Specification struct` in flags.go. */
export function specFields(flagsGo: string): SpecField[] {
  const body = /type Specification struct \{([\s\S]*?)\n\}/.exec(flagsGo)?.[1] ?? '';
  return [...body.matchAll(/^\s*([A-Z]\w*)\s+\w+\s+`([^`]*)`/gm)].map(([, field, tags]) => ({
    field,
    splitWords: /split_words:"true"/.test(tags),
    tag: /envconfig:"([^"]*)"/.exec(tags)?.[1],
  }));
}

/**
 * The names envconfig (v1.4.0, envconfig.go gatherInfo and Process) looks a field up by with the
 * prefix `agent_inject`: the prefixed key (the tag, the split words or the field name), then the
 * tag alone.
 */
export function envconfigNames(f: SpecField, prefix = 'agent_inject'): string[] {
  let key = f.field;
  if (f.splitWords) {
    const words = f.field.match(/([^A-Z]+|[A-Z]+[^A-Z]+|[A-Z]+)/g) ?? [];
    key = words.flatMap((w) => { const m = /^([A-Z]+)([A-Z][^A-Z]+)$/.exec(w); return m ? [m[1], m[2]] : [w]; }).join('_');
  }
  if (f.tag) key = f.tag;
  return [`${prefix}_${key}`.toUpperCase(), ...(f.tag ? [f.tag.toUpperCase()] : [])];
}

/** How parseEnvs sets a Command field from a Specification field: the parser, or undefined when not set. */
export function parsedKind(flagsGo: string, field: string, sets: string): InjectorEnvVar['kind'] | undefined {
  const m = new RegExp(`c\\.${sets}(?:, err)? = (parseutil\\.ParseBool|parseutil\\.ParseInt|strconv\\.ParseFloat)?\\(?envs\\.${field}\\b`).exec(flagsGo);
  if (!m) return undefined;
  return ({ 'parseutil.ParseBool': 'bool', 'parseutil.ParseInt': 'int', 'strconv.ParseFloat': 'float' } as const)[m[1] as 'parseutil.ParseBool'] ?? 'text';
}

/** What in the contract does not agree with vault-k8s's flags.go. */
export function sourceProblems(vars: readonly InjectorEnvVar[], flagsGo: string): string[] {
  const fields = specFields(flagsGo);
  const problems: string[] = [];
  for (const v of vars.filter((x) => x.field)) {
    const f = fields.find((x) => x.field === v.field);
    if (!f) { problems.push(`${v.name}: Specification has no field ${v.field}`); continue; }
    if (!envconfigNames(f).includes(v.name)) problems.push(`${v.name}: envconfig reads ${v.field} as ${envconfigNames(f).join(' or ')}`);
    const kind = parsedKind(flagsGo, v.field!, v.sets!);
    if (kind === undefined) problems.push(`${v.name}: parseEnvs does not set c.${v.sets} from envs.${v.field}`);
    else if (kind !== v.kind) problems.push(`${v.name}: parseEnvs parses it as ${kind}, not ${v.kind}`);
    if (v.flag && !flat(flagsGo).includes(`(&c.${v.sets}, "${v.flag}"`)) problems.push(`${v.name}: c.${v.sets} is not the flag ${v.flag}`);
  }
  for (const f of fields) if (!vars.some((v) => v.field === f.field)) problems.push(`Specification field ${f.field} (${envconfigNames(f)[0]}) is not in the contract`);
  return problems;
}

const maybe = present ? describe : describe.skip;
maybe(`the contract against hashicorp/vault-k8s@${VAULT_K8S_TAG}`, () => {
  const flagsGo = present ? show(VAULT_K8S, VAULT_K8S_TAG, INJECTOR_ENV.listen.source.path) : '';
  const commandGo = present ? show(VAULT_K8S, VAULT_K8S_TAG, 'subcommand/injector/command.go') : '';

  it('records every Specification field by the name envconfig reads, the Command field and flag it sets, and how it is parsed', () => {
    expect(specFields(flagsGo).length).toBeGreaterThan(35);
    expect(sourceProblems(VARS, flagsGo)).toEqual([]);
  });

  it.each(Object.entries(OPENBAO_INJECTOR) as Array<[string, InjectorFact<string | number>]>)('%s: the text is in its file and holds the value', (_k, f) => {
    expect(f.source.repo).toBe('hashicorp/vault-k8s');
    expect(f.text).toContain(String(f.value));
    expect(flat(show(VAULT_K8S, f.source.ref, f.source.path))).toContain(flat(f.text));
  });

  it.each(([...INJECTOR_CALLS.leaderLock, ...INJECTOR_CALLS.certSecret] as readonly InjectorCall[]).filter((c) => c.source.repo === 'hashicorp/vault-k8s').map((c) => [c.verb, c] as const))('the Secret call %s is in its file', (_v, c) => {
    expect(flat(show(VAULT_K8S, c.source.ref, c.source.path))).toContain(flat(c.text));
  });

  it('finds the variables read by name, and the values it checks', () => {
    expect(flat(commandGo)).toContain(flat(INJECTOR_ENV.namespace.text));
    const cases = [...`${flagsGo}\n${commandGo}`.matchAll(/^\s*case (.*):$/gm)].map((m) => m[1]);
    for (const v of VARS.filter((x) => x.accepts)) {
      expect(v.accepts!.filter((a) => !cases.some((c) => c.includes(`"${a}"`)))).toEqual([]);
    }
  });

  it('links the envconfig and operator-lib releases the contract was read with', () => {
    const goMod = show(VAULT_K8S, VAULT_K8S_TAG, 'go.mod');
    expect(goMod).toContain('github.com/kelseyhightower/envconfig v1.4.0');
    expect(goMod).toContain(`github.com/operator-framework/operator-lib ${OPERATOR_LIB_TAG}`);
  });

  const OPERATOR_LIB = INJECTOR_ENV.podName.source.repo;
  const ENVCONFIG = 'kelseyhightower/envconfig';
  if (!hasMirror(OPERATOR_LIB)) console.warn('SKIPPED: no fetched copy of operator-framework/operator-lib in ../.mirror; POD_NAME is not compared with its source');
  if (!hasMirror(ENVCONFIG)) console.warn('SKIPPED: no fetched copy of kelseyhightower/envconfig in ../.mirror; the name rule is not compared with its source');
  (hasMirror(OPERATOR_LIB) ? it : it.skip)('finds POD_NAME and the calls on the lock in operator-lib\'s leader election', () => {
    const leader = show(OPERATOR_LIB, OPERATOR_LIB_TAG, INJECTOR_ENV.podName.source.path);
    expect(leader).toContain(INJECTOR_ENV.podName.text);
    expect(leader).toContain('os.Getenv(podNameEnvVar)');
    for (const c of [...INJECTOR_CALLS.leaderLock, ...INJECTOR_CALLS.pods, ...INJECTOR_CALLS.nodes]) expect(flat(leader)).toContain(flat(c.text));
  });
  (hasMirror(ENVCONFIG) ? it : it.skip)('derives names as envconfig v1.4.0 does: its word and acronym patterns, the tag, then the tag alone', () => {
    const src = flat(show(ENVCONFIG, 'v1.4.0', 'envconfig.go'));
    expect(src).toContain('regexp.MustCompile("([^A-Z]+|[A-Z]+[^A-Z]+|[A-Z]+)")');
    expect(src).toContain('regexp.MustCompile("([A-Z]+)([A-Z][^A-Z]+)")');
    expect(src).toContain('Alt: strings.ToUpper(ftype.Tag.Get("envconfig")),');
    expect(src).toContain('if info.Alt != "" { info.Key = info.Alt }');
    expect(src).toContain('value, ok := lookupEnv(info.Key) if !ok && info.Alt != "" { value, ok = lookupEnv(info.Alt)');
  });

  describe('catches', () => {
    const seeded = (name: keyof typeof INJECTOR_ENV, change: Partial<InjectorEnvVar>) => VARS.map((v) => (v === INJECTOR_ENV[name] ? { ...v, ...change } : v));
    it('a name envconfig does not derive (split words where the tag decides)', () => {
      expect(sourceProblems(seeded('vaultCaCertBytes', { name: 'AGENT_INJECT_VAULT_CA_CERT_BYTES' }), flagsGo)).toEqual([
        'AGENT_INJECT_VAULT_CA_CERT_BYTES: envconfig reads VaultCACertBytes as AGENT_INJECT_AGENT_INJECT_VAULT_CACERT_BYTES or AGENT_INJECT_VAULT_CACERT_BYTES',
      ]);
    });
    it('a variable given another meaning (flag), a wrong parser, a field parseEnvs does not set', () => {
      expect(sourceProblems(seeded('vaultAddr', { flag: 'vault-auth-path' }), flagsGo)).toEqual(['AGENT_INJECT_VAULT_ADDR: c.flagVaultService is not the flag vault-auth-path']);
      expect(sourceProblems(seeded('runAsUser', { kind: 'int' }), flagsGo)).toEqual(['AGENT_INJECT_RUN_AS_USER: parseEnvs parses it as text, not int']);
      expect(sourceProblems(seeded('listen', { sets: 'flagLogLevel' }), flagsGo)).toEqual([
        'AGENT_INJECT_LISTEN: parseEnvs does not set c.flagLogLevel from envs.Listen',
        'AGENT_INJECT_LISTEN: c.flagLogLevel is not the flag listen',
      ]);
    });
    it('a field of Specification missing from the contract', () => {
      expect(sourceProblems(VARS.filter((v) => v !== INJECTOR_ENV.disableKeepAlives), flagsGo)).toEqual([
        'Specification field DisableKeepAlives (AGENT_INJECT_DISABLE_KEEP_ALIVES) is not in the contract',
      ]);
    });
  });
});
