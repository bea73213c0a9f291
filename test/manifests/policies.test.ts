/**
 * Policies every object in dist/manifests must follow, each test named with the reason for its
 * rule. Each test collects every violation (object and rule) and expects none, so a failure lists
 * all offenders at once. Exceptions are named below, each with its justification; a test fails
 * when an exception is no longer needed, so they cannot outlive their reason.
 */
import {
  containers,
  describeObject,
  imagePinProblem,
  isEmptySelector,
  objectId,
  ofKind,
  renderManifests,
  selectorMatches,
  workloadId,
  workloads,
} from '../support/k8s-manifests';
import type { ILabelSelector, K8sObject, ManifestObject, RenderedManifests, Workload, WorkloadContainer } from '../support/k8s-manifests';
import { K8sValidator, missingCrdSources } from '../support/k8s-validate';

/** Containers (`namespace/workload/container`) allowed to run as root, and why. */
const EXCEPTIONS: Readonly<Record<string, string>> = {
  'nfs-provisioner/nfs-subdir-external-provisioner/nfs-subdir-external-provisioner':
    'removes volume directories owned by any user on the NFS share; needs root over no_root_squash',
};

/** hostPath volumes (`namespace/workload/volume`) allowed, and why. */
const HOST_PATH_EXCEPTIONS: Readonly<Record<string, string>> = {};

/** Long-running containers (`namespace/workload/container`) allowed to go without liveness/readiness probes, and why. */
const PROBE_EXCEPTIONS: Readonly<Record<string, string>> = {
  'nfs-provisioner/nfs-subdir-external-provisioner/nfs-subdir-external-provisioner':
    'distroless image (no shell, no tools) and the program serves no port (config/contracts/images.ts); upstream has no probes',
};

/** Workloads (`namespace/workload`) that talk to the Kubernetes API, so they need a service-account token. */
const API_CLIENTS: Readonly<Record<string, string>> = {
  'nfs-provisioner/nfs-subdir-external-provisioner':
    'watches PersistentVolumeClaims, creates and deletes PersistentVolumes, holds a leader-election lock',
  'openbao/openbao': 'registers its active/standby role on its own pod (service registration) and reviews tokens for the Kubernetes auth method',
  'openbao/openbao-agent-injector': 'patches its own MutatingWebhookConfiguration with its generated CA, holds a leader-election lock',
};

/** API clients of the configurations with `ingress.controller: envoy-gateway` only. */
const ENVOY_GATEWAY_API_CLIENTS: Readonly<Record<string, string>> = {
  'envoy-gateway-system/envoy-gateway': 'watches the Gateway API and its own resources, deploys the proxies, holds a leader-election lease (config/contracts/envoy-gateway.ts)',
  'envoy-gateway-system/envoy-gateway-certgen': 'writes the control plane\'s certificate Secrets',
};

/**
 * Files of dist/manifests that are pinned upstream files (CRDs in a subfolder), applied verbatim:
 * they carry upstream's labels, not the platform's.
 */
const isPinnedUpstreamFile = (file: string) => /^manifests\/[^/]+\/[^/]+\.yaml$/.test(file);

/** The labels every object carries, and the value of managed-by. */
const COMMON_LABELS = ['app.kubernetes.io/name', 'app.kubernetes.io/part-of', 'app.kubernetes.io/managed-by', 'app.kubernetes.io/version'];
const MANAGED_BY = 'kpaas-cdk';
/** What cdk8s appends when a name is left to it: a dash and 8 hex digits (at least one a digit). */
const HASH_SUFFIX = /-(?=[a-f]*[0-9])[0-9a-f]{8}$/;

// The seed's configuration, and one that exercises lists and counts (more workers, extra pool ranges).
const CONFIGS = [
  { title: 'default config', input: {} },
  {
    title: 'bigger config',
    input: { nodes: { workers: { count: 5, ipRange: '172.16.0.20-172.16.0.40' } }, metallb: { extraRanges: ['172.16.0.100-172.16.0.120'] } },
  },
  {
    title: 'scaled config',
    input: { domain: 'paas.example.org', nodes: { workers: { ips: ['172.16.0.12'] } }, openbao: { replicas: 5 }, identity: { keycloakReplicas: 3, realm: 'acme' } },
  },
  { title: 'envoy-gateway config', input: { versions: { track: 'kpaas-1.7.0' as const }, ingress: { controller: 'envoy-gateway' as const } }, apiClients: ENVOY_GATEWAY_API_CLIENTS },
];

/** Knows which kinds are namespaced: built-ins, and custom resources by their CRD's scope. */
const validator = K8sValidator.fromShared();
const missingCrds = missingCrdSources();
if (missingCrds.length > 0) console.warn(`SKIPPED: ${missingCrds.join(', ')} not found; the namespace-scope policy does not run`);
const withCrds = missingCrds.length === 0 ? it : it.skip;

describe.each(CONFIGS)('dist/manifests policies ($title)', (configCase) => {
  const { input } = configCase;
  const apiClients: Readonly<Record<string, string>> = { ...API_CLIENTS, ...('apiClients' in configCase ? configCase.apiClients : {}) };
  let out: RenderedManifests;
  let objects: readonly ManifestObject[];
  let ws: Workload[];
  let cs: WorkloadContainer[];

  beforeAll(() => {
    out = renderManifests(input);
    objects = out.objects;
    ws = workloads(objects);
    cs = containers(ws);
    validator.addCrdsOf(objects);
  });

  const violations = (list: Array<string | undefined | false>) => list.filter((v): v is string => typeof v === 'string');

  it('renders at least one manifest file and one workload, so none of these policies passes vacuously', () => {
    expect(out.files.size).toBeGreaterThan(0);
    expect(objects.length).toBeGreaterThan(0);
    expect(ws.length).toBeGreaterThan(0);
  });

  it('pins every image to a version tag or digest, because latest changes under a running cluster', () => {
    expect(violations(cs.map((c) => {
      const problem = imagePinProblem(c.container.image);
      return problem && `${where(c)}: image ${JSON.stringify(c.container.image)} ${problem}`;
    }))).toEqual([]);
  });

  it('sets cpu and memory requests and a memory limit on every container, so pods are scheduled where they fit and one leak cannot starve a node', () => {
    expect(violations(cs.flatMap((c) => {
      const r = c.container.resources ?? {};
      const missing = [
        r.requests?.cpu === undefined && 'requests.cpu',
        r.requests?.memory === undefined && 'requests.memory',
        r.limits?.memory === undefined && 'limits.memory',
      ].filter(Boolean);
      return missing.length > 0 && `${where(c)}: no resources.${missing.join(', resources.')}`;
    }))).toEqual([]);
  });

  it('gives every long-running container liveness and readiness probes (except the named PROBE_EXCEPTIONS), so a hung process is restarted and traffic only reaches ready pods', () => {
    expect(violations(cs.filter((c) => c.workload.longRunning && !c.init && !(c.id in PROBE_EXCEPTIONS)).flatMap((c) => [
      !c.container.livenessProbe && `${where(c)}: no livenessProbe`,
      !c.container.readinessProbe && `${where(c)}: no readinessProbe`,
    ]))).toEqual([]);
  });

  it('runs every container with runAsNonRoot (except the named EXCEPTIONS), so a breakout does not start as root on the node', () => {
    expect(violations(cs.map((c) => {
      if (c.id in EXCEPTIONS) return undefined;
      if (runsAsNonRoot(c) !== true) return `${where(c)}: runAsNonRoot is not true (pod or container securityContext)`;
      if (runAsUser(c) === 0) return `${where(c)}: runAsNonRoot with runAsUser 0 (the kubelet refuses to start it)`;
      return undefined;
    }))).toEqual([]);
  });

  it('sets allowPrivilegeEscalation: false on every container, so setuid binaries cannot gain privileges', () => {
    expect(violations(cs.map((c) => c.container.securityContext?.allowPrivilegeEscalation !== false
      && `${where(c)}: allowPrivilegeEscalation is not false`))).toEqual([]);
  });

  it('runs no privileged container, because a privileged container owns its node', () => {
    expect(violations(cs.map((c) => c.container.securityContext?.privileged === true && `${where(c)}: privileged`))).toEqual([]);
  });

  it('shares no host namespace (network, PID, IPC), because that exposes the node to the pod', () => {
    expect(violations(ws.flatMap((w) => (['hostNetwork', 'hostPID', 'hostIPC'] as const)
      .map((f) => w.podSpec[f] === true && `${describeObject(w.source)}: ${f}: true`)))).toEqual([]);
  });

  it('mounts no hostPath volume except the named HOST_PATH_EXCEPTIONS, because host paths expose node files to pods', () => {
    expect(violations(ws.flatMap((w) => (w.podSpec.volumes ?? []).map((v) =>
      v.hostPath && !(`${workloadId(w)}/${v.name}` in HOST_PATH_EXCEPTIONS)
      && `${describeObject(w.source)}: volume ${v.name}: hostPath ${v.hostPath.path}`)))).toEqual([]);
  });

  it('runs every workload under its own ServiceAccount, which the output creates, so RBAC grants stay per workload', () => {
    const accounts = new Set(ofKind(objects, 'ServiceAccount', 'v1').map(({ object }) => `${object.metadata.namespace}/${object.metadata.name}`));
    const users = new Map<string, string[]>();
    const problems = ws.map((w) => {
      const sa = w.podSpec.serviceAccountName ?? w.podSpec.serviceAccount;
      if (!sa || sa === 'default') return `${describeObject(w.source)}: runs as the namespace's default ServiceAccount`;
      const id = `${w.namespace}/${sa}`;
      users.set(id, [...(users.get(id) ?? []), w.name]);
      return !accounts.has(id) && `${describeObject(w.source)}: ServiceAccount ${id} is not in the output`;
    });
    const shared = [...users].filter(([, names]) => names.length > 1).map(([id, names]) => `ServiceAccount ${id} is shared by ${names.join(', ')}`);
    expect(violations([...problems, ...shared])).toEqual([]);
  });

  it('turns off service-account token automount on every pod except the named API_CLIENTS, so a compromised pod holds no API credentials', () => {
    expect(violations(ws.map((w) => !(workloadId(w) in apiClients) && w.podSpec.automountServiceAccountToken !== false
      && `${describeObject(w.source)}: automountServiceAccountToken is not false, and it is not in API_CLIENTS`))).toEqual([]);
  });

  it('lists only exceptions that are still needed, so an exception does not outlive its reason', () => {
    const byContainer = new Map(cs.map((c) => [c.id, c]));
    const volumes = new Map<string, { hostPath?: unknown }>(ws.flatMap((w) => (w.podSpec.volumes ?? []).map((v) => [`${workloadId(w)}/${v.name}`, v] as const)));
    const byWorkload = new Map(ws.map((w) => [workloadId(w), w]));
    expect(violations([
      ...Object.keys(EXCEPTIONS).map((id) => {
        const c = byContainer.get(id);
        if (!c) return `EXCEPTIONS: ${id}: no such container`;
        return runsAsNonRoot(c) === true && `EXCEPTIONS: ${id}: already runs as non-root`;
      }),
      ...Object.keys(PROBE_EXCEPTIONS).map((id) => {
        const c = byContainer.get(id);
        if (!c || c.init || !c.workload.longRunning) return `PROBE_EXCEPTIONS: ${id}: no such long-running container`;
        return Boolean(c.container.livenessProbe && c.container.readinessProbe) && `PROBE_EXCEPTIONS: ${id}: already has both probes`;
      }),
      ...Object.keys(HOST_PATH_EXCEPTIONS).map((id) => !volumes.get(id)?.hostPath && `HOST_PATH_EXCEPTIONS: ${id}: no such hostPath volume`),
      ...Object.keys(apiClients).map((id) => {
        const w = byWorkload.get(id);
        if (!w) return `API_CLIENTS: ${id}: no such workload`;
        return w.podSpec.automountServiceAccountToken === false && `API_CLIENTS: ${id}: already turns token automount off`;
      }),
    ])).toEqual([]);
  });

  it('gives every workload with more than one replica a PodDisruptionBudget, so a node drain cannot take all replicas down at once', () => {
    const pdbs = ofKind<PdbObject>(objects, 'PodDisruptionBudget', 'policy/v1');
    const hpaMin = new Map(ofKind<HpaObject>(objects, 'HorizontalPodAutoscaler', 'autoscaling/v2')
      .map(({ object: h }) => [`${h.metadata.namespace}/${h.spec.scaleTargetRef.kind}/${h.spec.scaleTargetRef.name}`, h.spec.minReplicas ?? 1]));
    expect(violations(ws.flatMap((w) => {
      const replicas = hpaMin.get(`${w.namespace}/${w.kind}/${w.name}`) ?? w.replicas ?? 1;
      if (replicas <= 1) return [];
      const covering = pdbs.filter(({ object: p }) => p.metadata.namespace === w.namespace && selectorMatches(p.spec?.selector ?? {}, w.podLabels));
      if (covering.length === 0) return [`${describeObject(w.source)}: ${replicas} replicas and no PodDisruptionBudget selects its pods`];
      // A budget that allows no disruption blocks every drain instead of pacing it.
      return covering.map(({ source, object: p }) => blocksDrains(p, replicas) && `${describeObject(source)}: allows no disruption of ${objectId(w.source.object)} (${replicas} replicas)`);
    }))).toEqual([]);
  });

  it('has a default-deny NetworkPolicy (all pods, Ingress and Egress, no rules) in every namespace the platform creates, so only allowed traffic flows', () => {
    const policies = networkPolicies(objects);
    expect(violations(ofKind(objects, 'Namespace', 'v1').map(({ source, object: ns }) => {
      const denies = policies.some(({ object: p }) => p.metadata.namespace === ns.metadata.name
        && isEmptySelector(p.spec.podSelector)
        && ['Ingress', 'Egress'].every((t) => (p.spec.policyTypes ?? []).includes(t))
        && (p.spec.ingress ?? []).length === 0 && (p.spec.egress ?? []).length === 0);
      return !denies && `${describeObject(source)}: no default-deny NetworkPolicy in it`;
    }))).toEqual([]);
  });

  it('selects every workload\'s pods with a NetworkPolicy of its own that allows some traffic, so default-deny does not silently cut a component off', () => {
    const policies = networkPolicies(objects);
    expect(violations(ws.map((w) => {
      // Namespace-wide policies (allow-dns) do not count: they say nothing of what the component needs.
      const allowed = policies.some(({ object: p }) => p.metadata.namespace === w.namespace
        && !isEmptySelector(p.spec.podSelector) && selectorMatches(p.spec.podSelector, w.podLabels)
        && ((p.spec.ingress ?? []).length > 0 || (p.spec.egress ?? []).length > 0));
      return !allowed && `${describeObject(w.source)}: no NetworkPolicy selecting its pods (by label) allows any traffic`;
    }))).toEqual([]);
  });

  it('names every object explicitly, without a generated hash suffix, so names are stable across synths and readable in kubectl', () => {
    expect(violations(objects.map((m) => {
      const name = m.object.metadata.name;
      if (!name) return `${describeObject(m)}: no metadata.name`;
      return HASH_SUFFIX.test(name) && `${describeObject(m)}: name ends in a hash-like suffix`;
    }))).toEqual([]);
  });

  it('names no two objects alike (kind, namespace, name), because the second would overwrite the first', () => {
    const seen = new Map<string, string>();
    expect(violations(objects.map((m) => {
      const id = `${m.object.apiVersion.split('/')[0]} ${objectId(m.object)}`;
      const first = seen.get(id);
      seen.set(id, first ?? m.file);
      return first !== undefined && `${describeObject(m)}: also in ${first}`;
    }))).toEqual([]);
  });

  it(`labels every object with the common app.kubernetes.io labels and managed-by ${MANAGED_BY}, so the platform's objects can be found and told apart`, () => {
    expect(violations(objects.filter((m) => !isPinnedUpstreamFile(m.file)).flatMap((m) => {
      const labels = m.object.metadata.labels ?? {};
      return [
        ...COMMON_LABELS.map((l) => !labels[l] && `${describeObject(m)}: no label ${l}`),
        labels['app.kubernetes.io/managed-by'] !== undefined && labels['app.kubernetes.io/managed-by'] !== MANAGED_BY
          && `${describeObject(m)}: app.kubernetes.io/managed-by is ${JSON.stringify(labels['app.kubernetes.io/managed-by'])}, not ${MANAGED_BY}`,
      ];
    }))).toEqual([]);
  });

  withCrds('puts every namespaced object in an explicit namespace and no cluster-scoped one in any, so applying does not depend on the kubectl context', () => {
    expect(violations(objects.map((m) => {
      const namespaced = validator.isNamespaced(m.object.apiVersion, m.object.kind);
      const ns = m.object.metadata.namespace;
      if (namespaced === undefined) return `${describeObject(m)}: unknown kind ${m.object.apiVersion} ${m.object.kind}, scope unknown`;
      if (namespaced && !ns) return `${describeObject(m)}: namespaced kind without metadata.namespace`;
      return !namespaced && ns !== undefined && `${describeObject(m)}: cluster-scoped kind with metadata.namespace ${ns}`;
    }))).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------

function where(c: WorkloadContainer): string {
  return `${describeObject(c.workload.source)}: ${c.init ? 'init container' : 'container'} ${c.container.name}`;
}

function runsAsNonRoot(c: WorkloadContainer): boolean | undefined {
  return c.container.securityContext?.runAsNonRoot ?? c.workload.podSpec.securityContext?.runAsNonRoot;
}

function runAsUser(c: WorkloadContainer): number | undefined {
  return c.container.securityContext?.runAsUser ?? c.workload.podSpec.securityContext?.runAsUser;
}

interface PdbObject {
  readonly metadata: K8sObject['metadata'];
  readonly spec?: { selector?: ILabelSelector; minAvailable?: number | string; maxUnavailable?: number | string };
}

interface HpaObject {
  readonly metadata: K8sObject['metadata'];
  readonly spec: { minReplicas?: number; scaleTargetRef: { kind: string; name: string } };
}

/** Whether a PDB leaves no pod of `replicas` evictable (percentages round up, as the disruption controller does). */
function blocksDrains(p: PdbObject, replicas: number): boolean {
  const count = (v: number | string) => (typeof v === 'number' ? v : Math.ceil((parseInt(v, 10) / 100) * replicas));
  if (p.spec?.maxUnavailable !== undefined) return count(p.spec.maxUnavailable) < 1;
  if (p.spec?.minAvailable !== undefined) return count(p.spec.minAvailable) >= replicas;
  return false;
}

interface NetworkPolicyObject {
  readonly metadata: K8sObject['metadata'];
  readonly spec: { podSelector?: ILabelSelector; policyTypes?: string[]; ingress?: unknown[]; egress?: unknown[] };
}

function networkPolicies(objects: readonly ManifestObject[]) {
  return ofKind<NetworkPolicyObject>(objects, 'NetworkPolicy', 'networking.k8s.io/v1');
}
