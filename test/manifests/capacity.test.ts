/**
 * The platform fits on the seed's workers: the CPU and memory requests of everything in
 * dist/manifests (default config), plus an allowance for the pods kubespray itself runs, against
 * what three t1i.xlarge workers (4 vCPU, 16 GiB) can give pods after the kubelet's reserves.
 *
 * The totals are asserted exactly, so every change of a request shows here and is a decision.
 * Replicas count as the cluster starts: Deployments and StatefulSets at spec.replicas, or the
 * HPA's minReplicas where one scales them; DaemonSets once per worker; Jobs once. A pod requests
 * the larger of its containers' sum and its largest init container (how the scheduler counts).
 */
import { containers, ofKind, renderManifests, workloadId, workloads } from '../support/k8s-manifests';
import type { IContainer, K8sObject, Workload } from '../support/k8s-manifests';

/** CPU in millicores and memory in MiB. */
interface Amount {
  readonly cpu: number;
  readonly memory: number;
}

const WORKERS = 3;
/** The seed's worker flavor, t1i.xlarge. */
const WORKER: Amount = { cpu: 4000, memory: 16 * 1024 };
/**
 * Taken off every worker before pods: kubespray's kube_*_reserved (100m, 256Mi) and
 * system_*_reserved (500m, 512Mi) defaults, as if both reservations were on (they are off by
 * default, which leaves the same room to the OS and kubelet in practice), and the kubelet's
 * default hard eviction threshold memory.available<100Mi.
 */
const RESERVE: Amount = { cpu: 100 + 500, memory: 256 + 512 + 100 };
const ALLOCATABLE: Amount = { cpu: WORKER.cpu - RESERVE.cpu, memory: WORKER.memory - RESERVE.memory };

/**
 * Pods kubespray runs on every worker, with their requests: calico-node (kubespray's
 * calico_node_cpu_requests 150m, calico_node_memory_requests 64M, counted as 64Mi), nodelocaldns
 * (nodelocaldns_cpu_requests 100m, nodelocaldns_memory_requests 70Mi), the ingress-nginx
 * controller DaemonSet (100m, 90Mi as in the pinned controller-v1.14.5 manifest); the MetalLB
 * speaker and kube-proxy request nothing (kubespray's templates and kubeadm set no requests).
 */
const KUBESPRAY_PER_WORKER: Amount = { cpu: 150 + 100 + 100, memory: 64 + 70 + 90 };
/**
 * kubespray Deployments the scheduler may put on workers: metrics-server (100m, 200Mi),
 * calico-kube-controllers (30m, 64M), CoreDNS (2 x 100m, 70Mi; it prefers the masters but may
 * land here) and its autoscaler (20m, 10Mi).
 */
const KUBESPRAY_CLUSTER: Amount = { cpu: 100 + 30 + 2 * 100 + 20, memory: 200 + 64 + 2 * 70 + 10 };

/** What dist/manifests requests for the default config as the cluster starts, by namespace. */
const EXPECTED_BY_NAMESPACE: Readonly<Record<string, Amount>> = {
  'nfs-provisioner': { cpu: 20, memory: 64 },
  keycloak: { cpu: 500, memory: 1536 },
  openbao: { cpu: 850, memory: 896 },
  harbor: { cpu: 1050, memory: 2624 },
  chartmuseum: { cpu: 25, memory: 64 },
  'cp-portal': { cpu: 1060, memory: 2912 }, // with the schema Job's 10m/32Mi
};
const EXPECTED_PLATFORM: Amount = Object.values(EXPECTED_BY_NAMESPACE).reduce((sum, a) => add(sum, a), { cpu: 0, memory: 0 });

describe('capacity of the seed workers (default config)', () => {
  const { objects } = renderManifests({});
  const ws = workloads(objects);
  const hpaMin = new Map(ofKind<HpaObject>(objects, 'HorizontalPodAutoscaler', 'autoscaling/v2')
    .map(({ object: h }) => [`${h.metadata.namespace}/${h.spec.scaleTargetRef.kind}/${h.spec.scaleTargetRef.name}`, h.spec.minReplicas ?? 1]));
  const pods = ws.map((w) => ({ id: `${w.kind} ${workloadId(w)}`, namespace: w.namespace, request: podRequest(w), count: podCount(w, hpaMin) }));
  const byNamespace: Record<string, Amount> = {};
  for (const p of pods) byNamespace[p.namespace] = add(byNamespace[p.namespace] ?? { cpu: 0, memory: 0 }, scale(p.request, p.count));
  const platform = Object.values(byNamespace).reduce((sum, a) => add(sum, a), { cpu: 0, memory: 0 });
  const kubespray = add(scale(KUBESPRAY_PER_WORKER, WORKERS), KUBESPRAY_CLUSTER);
  const capacity = scale(ALLOCATABLE, WORKERS);

  it(`requests exactly ${EXPECTED_PLATFORM.cpu}m CPU and ${EXPECTED_PLATFORM.memory}Mi memory for the platform's own pods, namespace by namespace`, () => {
    expect(pods.length).toBeGreaterThan(0);
    expect(byNamespace).toEqual(EXPECTED_BY_NAMESPACE);
    expect(platform).toEqual(EXPECTED_PLATFORM);
  });

  it('counts the portal UI at its HPA\'s minimum, not at the Deployment\'s default of one', () => {
    expect(pods.find((p) => p.id === 'Deployment cp-portal/cp-portal-deployment')).toMatchObject({ count: 2, request: { cpu: 200, memory: 512 } });
  });

  it(`fits on ${WORKERS} workers of ${ALLOCATABLE.cpu}m CPU and ${ALLOCATABLE.memory}Mi allocatable, with kubespray's pods (${WORKERS} x ${KUBESPRAY_PER_WORKER.cpu}m/${KUBESPRAY_PER_WORKER.memory}Mi + ${KUBESPRAY_CLUSTER.cpu}m/${KUBESPRAY_CLUSTER.memory}Mi)`, () => {
    const total = add(platform, kubespray);
    expect({ cpu: total.cpu <= capacity.cpu, memory: total.memory <= capacity.memory })
      .toEqual({ cpu: true, memory: true });
  });

  it('still fits with every HorizontalPodAutoscaler at its maximum', () => {
    const hpas = ofKind<HpaObject>(objects, 'HorizontalPodAutoscaler', 'autoscaling/v2').map(({ object: h }) => h);
    const growth = hpas.reduce((sum, h) => {
      const target = pods.find((p) => p.id === `${h.spec.scaleTargetRef.kind} ${h.metadata.namespace}/${h.spec.scaleTargetRef.name}`);
      if (!target) throw new Error(`HPA ${h.metadata.name} targets no workload of the output`);
      return add(sum, scale(target.request, (h.spec.maxReplicas ?? target.count) - target.count));
    }, { cpu: 0, memory: 0 });
    expect(hpas.map((h) => h.metadata.name)).toEqual(['portal-hpa']);
    expect(growth).toEqual({ cpu: 8 * 200, memory: 8 * 512 });
    const total = add(add(platform, growth), kubespray);
    expect({ cpu: total.cpu <= capacity.cpu, memory: total.memory <= capacity.memory }).toEqual({ cpu: true, memory: true });
  });

  it('schedules every pod on one worker beside kubespray\'s per-worker pods', () => {
    const room = sub(ALLOCATABLE, KUBESPRAY_PER_WORKER);
    expect(pods.filter((p) => p.request.cpu > room.cpu || p.request.memory > room.memory)
      .map((p) => `${p.id}: ${p.request.cpu}m/${p.request.memory}Mi > ${room.cpu}m/${room.memory}Mi`)).toEqual([]);
  });
});

describe('quantities', () => {
  it('reads CPU and memory in the units manifests use', () => {
    expect(['100m', '1', '0.5', '2500m'].map(cpuMillis)).toEqual([100, 1000, 500, 2500]);
    expect(['512Mi', '1Gi', '64M', '1G', '1048576', '128Ki'].map(memoryMiB)).toEqual([512, 1024, 64e6 / 2 ** 20, 1e9 / 2 ** 20, 1, 0.125]);
  });

  it('fails on a quantity it cannot read', () => {
    expect(() => cpuMillis('lots')).toThrow(/CPU quantity "lots"/);
    expect(() => memoryMiB('12Xi')).toThrow(/memory quantity "12Xi"/);
  });

  it('counts a pod as the larger of its containers and its largest init container', () => {
    const w = { podSpec: {
      initContainers: [{ name: 'i', resources: { requests: { cpu: '500m', memory: '64Mi' } } }],
      containers: [{ name: 'a', resources: { requests: { cpu: '100m', memory: '128Mi' } } }, { name: 'b', resources: { requests: { cpu: '100m', memory: '128Mi' } } }],
    } } as unknown as Workload;
    expect(podRequest(w)).toEqual({ cpu: 500, memory: 256 });
  });
});

// ---------------------------------------------------------------------------------------------

interface HpaObject {
  readonly metadata: K8sObject['metadata'];
  readonly spec: { minReplicas?: number; maxReplicas?: number; scaleTargetRef: { kind: string; name: string } };
}

function podCount(w: Workload, hpaMin: ReadonlyMap<string, number>): number {
  if (w.kind === 'DaemonSet') return WORKERS;
  if (w.kind === 'Job' || w.kind === 'CronJob') return 1;
  return hpaMin.get(`${w.namespace}/${w.kind}/${w.name}`) ?? w.replicas ?? 1;
}

function podRequest(w: Workload): Amount {
  const req = (c: IContainer): Amount => {
    const r = (c.resources?.requests ?? {}) as Record<string, string | number | undefined>;
    return { cpu: r.cpu === undefined ? 0 : cpuMillis(String(r.cpu)), memory: r.memory === undefined ? 0 : memoryMiB(String(r.memory)) };
  };
  const cs = containers([w]);
  const main = cs.filter((c) => !c.init).reduce((sum, c) => add(sum, req(c.container)), { cpu: 0, memory: 0 });
  return cs.filter((c) => c.init).reduce((max, c) => {
    const r = req(c.container);
    return { cpu: Math.max(max.cpu, r.cpu), memory: Math.max(max.memory, r.memory) };
  }, main);
}

function cpuMillis(q: string): number {
  const m = /^(\d+(?:\.\d+)?)(m?)$/.exec(q);
  if (!m) throw new Error(`unreadable CPU quantity "${q}"`);
  return m[2] === 'm' ? Number(m[1]) : Number(m[1]) * 1000;
}

function memoryMiB(q: string): number {
  const units: Record<string, number> = { '': 1, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, k: 1e3, M: 1e6, G: 1e9, T: 1e12 };
  const m = /^(\d+(?:\.\d+)?)([A-Za-z]*)$/.exec(q);
  if (!m || !(m[2] in units)) throw new Error(`unreadable memory quantity "${q}"`);
  return (Number(m[1]) * units[m[2]]) / 2 ** 20;
}

function add(a: Amount, b: Amount): Amount {
  return { cpu: a.cpu + b.cpu, memory: a.memory + b.memory };
}

function sub(a: Amount, b: Amount): Amount {
  return { cpu: a.cpu - b.cpu, memory: a.memory - b.memory };
}

function scale(a: Amount, n: number): Amount {
  return { cpu: a.cpu * n, memory: a.memory * n };
}
