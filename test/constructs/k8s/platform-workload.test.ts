import { Chart, Testing } from 'cdk8s';
import { parseConfig } from '../../../config';
import type { Connection } from '../../../config/contracts';
import { connectionRules, PlatformWorkload, podSecurityContext } from '../../../constructs/k8s';
import type { PlatformWorkloadProps } from '../../../constructs/k8s';

const config = parseConfig({});
const UNVERIFIED = { unverified: 'test' };
const web = { 'app.kubernetes.io/name': 'web' };
const db = { 'app.kubernetes.io/name': 'db' };
const CONNECTIONS: Connection[] = [
  { component: 't', name: 'ingress -> web', from: { kind: 'ingress-controller' }, to: { kind: 'pods', namespace: 'shop', labels: web }, port: 8080, protocol: 'TCP', why: '', opens: UNVERIFIED },
  { component: 't', name: 'web -> db', from: { kind: 'pods', namespace: 'shop', labels: web }, to: { kind: 'pods', namespace: 'shop', labels: db }, port: 5432, protocol: 'TCP', why: '', opens: UNVERIFIED },
  { component: 't', name: 'web -> api', from: { kind: 'pods', namespace: 'shop', labels: web }, to: { kind: 'kube-apiserver' }, port: 6443, protocol: 'TCP', why: '', opens: UNVERIFIED },
  { component: 't', name: 'dns', from: { kind: 'pods', namespace: 'shop', labels: {} }, to: { kind: 'dns' }, port: 53, protocol: 'UDP', why: '', opens: UNVERIFIED },
];

function synth(props: Partial<PlatformWorkloadProps> = {}): any[] {
  const chart = new Chart(Testing.app(), 'c', { namespace: 'shop' });
  new PlatformWorkload(chart, 'web', {
    name: 'web',
    selector: web,
    securityContext: podSecurityContext(1000),
    containers: [{ name: 'web', image: 'docker.io/library/nginx:1.27' }],
    networkPolicy: { connections: CONNECTIONS, config },
    ...props,
  });
  return Testing.synth(chart);
}

describe('PlatformWorkload', () => {
  it('writes the ServiceAccount without a token, the restricted pod, and the policy, for one replica', () => {
    const objects = synth();
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['ServiceAccount/web', 'Deployment/web', 'NetworkPolicy/web']);
    expect(objects[0]).toEqual({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'web', namespace: 'shop' }, automountServiceAccountToken: false });
    const pod = objects[1].spec.template.spec;
    expect(objects[1].spec.replicas).toBe(1);
    expect(pod.serviceAccountName).toBe('web');
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.securityContext).toEqual({
      runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000, fsGroupChangePolicy: 'OnRootMismatch', seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(pod.containers).toEqual([{
      name: 'web', image: 'docker.io/library/nginx:1.27', imagePullPolicy: 'IfNotPresent',
      securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
    }]);
    expect(pod.affinity).toBeUndefined();
  });

  it('derives the policy from the declared connections: exactly those to and from its pods', () => {
    const policy = synth()[2];
    expect(policy.spec).toEqual({
      podSelector: { matchLabels: web },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }], ports: [{ protocol: 'TCP', port: 8080 }] }],
      egress: [
        { to: [{ podSelector: { matchLabels: db } }], ports: [{ protocol: 'TCP', port: 5432 }] },
        { to: config.nodes.masters.nodes.map((n) => ({ ipBlock: { cidr: `${n.privateIp}/32` } })), ports: [{ protocol: 'TCP', port: 6443 }] },
      ],
    });
  });

  it('makes a PDB and required anti-affinity above one replica, preferred when replicas exceed the workers', () => {
    const three = synth({ replicas: 3, placement: { workers: 3 } });
    expect(three.map((o) => o.kind)).toEqual(['ServiceAccount', 'Deployment', 'PodDisruptionBudget', 'NetworkPolicy']);
    expect(three[2].spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: web } });
    expect(three[1].spec.template.spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution).toHaveLength(1);
    const four = synth({ replicas: 4, placement: { workers: 3 } });
    expect(four[1].spec.template.spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution).toHaveLength(1);
  });

  it('leaves the count to an autoscaler, keeping the PDB for its minimum', () => {
    const objects = synth({ replicas: 'autoscaled', minReplicas: 2, placement: { workers: 3, maxReplicas: 5, workersOnly: true } });
    expect(objects[1].spec.replicas).toBeUndefined();
    expect(objects[1].spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms)
      .toEqual([{ matchExpressions: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'DoesNotExist' }] }]);
    expect(objects[1].spec.template.spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution).toHaveLength(1);
    expect(objects.map((o) => o.kind)).toContain('PodDisruptionBudget');
  });

  it('labels its objects and pods as told, keeps a preference-only spread, and lets unready pods be evicted', () => {
    const objects = synth({
      replicas: 2, minReplicas: 2, labels: { 'app.kubernetes.io/version': '9' }, podLabels: { 'app.kubernetes.io/version': '9' },
      placement: { workers: 3, spread: 'preferred' }, disruptionBudget: { minAvailable: 1, unhealthyPodEvictionPolicy: 'AlwaysAllow' },
    });
    for (const o of objects) expect(o.metadata.labels).toEqual({ 'app.kubernetes.io/version': '9' });
    expect(objects[1].spec.template.metadata.labels).toEqual({ ...web, 'app.kubernetes.io/version': '9' });
    expect(objects[1].spec.selector.matchLabels).toEqual(web);
    expect(Object.keys(objects[1].spec.template.spec.affinity.podAntiAffinity)).toEqual(['preferredDuringSchedulingIgnoredDuringExecution']);
    expect(objects[2].spec).toEqual({ minAvailable: 1, selector: { matchLabels: web }, unhealthyPodEvictionPolicy: 'AlwaysAllow' });
    expect(podSecurityContext(100, { gid: 1000, onRootMismatch: false })).toEqual({
      runAsNonRoot: true, runAsUser: 100, runAsGroup: 1000, fsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' },
    });
  });

  it('builds a StatefulSet governed by its headless Service name', () => {
    const objects = synth({ kind: 'StatefulSet', serviceName: 'web-headless' });
    expect(objects[1].kind).toBe('StatefulSet');
    expect(objects[1].spec.serviceName).toBe('web-headless');
  });

  it('lets a container add to its defaults without dropping the restricted context, and mounts a token only when asked', () => {
    const objects = synth({
      containers: [{ name: 'web', image: 'i', imagePullPolicy: 'Always', securityContext: { readOnlyRootFilesystem: true } }],
      serviceAccount: { automountToken: true },
      networkPolicy: false,
    });
    expect(objects.map((o) => o.kind)).toEqual(['ServiceAccount', 'Deployment']);
    expect(objects[1].spec.template.spec.containers[0]).toEqual({
      name: 'web', image: 'i', imagePullPolicy: 'Always',
      securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true },
    });
    expect(objects[1].spec.template.spec.automountServiceAccountToken).toBe(true);
  });

  it('fails outside a namespaced chart and without containers', () => {
    const props = { name: 'w', selector: web, securityContext: {}, containers: [], networkPolicy: false as const };
    expect(() => new PlatformWorkload(new Chart(Testing.app(), 'c'), 'w', { ...props, containers: [{ name: 'a' }] }))
      .toThrow('workload w: must be built in a chart with a namespace');
    expect(() => new PlatformWorkload(new Chart(Testing.app(), 'c', { namespace: 'n' }), 'w', props))
      .toThrow('workload w: needs at least one container');
  });
});

describe('connectionRules', () => {
  it('keeps namespace-wide connections (DNS) out of a workload\'s rules and groups ports by peer', () => {
    const rules = connectionRules([
      ...CONNECTIONS,
      { ...CONNECTIONS[1], name: 'web -> db (metrics)', port: 9187 },
    ], { namespace: 'shop', selector: web }, config);
    expect(rules.egress[0].to).toEqual([{ podSelector: { matchLabels: db } }]);
    expect(rules.egress[0].ports?.map((p) => [p.protocol, p.port?.value])).toEqual([['TCP', 5432], ['TCP', 9187]]);
    expect(rules.egress.some((r) => JSON.stringify(r).includes('169.254.25.10'))).toBe(false);
  });

  it('names peers of other namespaces by namespace and pods, and the master LB by its VIP or the masters', () => {
    const lb: Connection = { ...CONNECTIONS[2], name: 'web -> lb', to: { kind: 'master-lb' } };
    const other: Connection = { ...CONNECTIONS[1], name: 'web -> other', to: { kind: 'pods', namespace: 'vault', labels: { app: 'vault' } } };
    const onOpenstack = parseConfig({ cloud: { provider: 'openstack' } });
    const rules = (c: Connection[], cfg = config) => connectionRules(c, { namespace: 'shop', selector: web }, cfg).egress;
    expect(rules([other])[0].to).toEqual([{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'vault' } }, podSelector: { matchLabels: { app: 'vault' } } }]);
    expect(rules([lb])[0].to).toEqual(config.nodes.masters.nodes.map((n) => ({ ipBlock: { cidr: `${n.privateIp}/32` } })));
    expect(rules([lb], onOpenstack)[0].to).toEqual([{ ipBlock: { cidr: `${onOpenstack.loadBalancers.master.vip}/32` } }]);
  });

  it('admits a hypothetical client only through the namespace\'s own path, not the server\'s rules', () => {
    const hypothetical: Connection = { ...CONNECTIONS[0], name: 'clients -> web', from: { kind: 'pods', namespace: 'other', labels: { c: '1' }, hypothetical: 'none run' } };
    expect(connectionRules([hypothetical], { namespace: 'shop', selector: web }, config).ingress).toEqual([]);
  });
});
