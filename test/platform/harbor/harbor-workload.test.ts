import { Chart, Testing } from 'cdk8s';
import { parseConfig } from '../../../config';
import type { Connection } from '../../../config/contracts/connections';
import { INGRESS, podsPeer } from '../../../config/contracts/connections';
import { ServiceAddress, ServiceEndpoint } from '../../../constructs/k8s/service-endpoint';
import { containerPort, harborProbes, harborWorkload, HARBOR_UID } from '../../../platform/harbor/harbor-workload';

const config = parseConfig({});
const selector = { 'app.kubernetes.io/name': 'harbor', 'app.kubernetes.io/component': 'x' };
const address = new ServiceAddress({ name: 'harbor-x', namespace: 'harbor', ports: [{ name: 'http', port: 80, targetPort: 8080 }] });
const connections: Connection[] = [
  { component: 'harbor', name: 'ingress -> x', from: INGRESS, to: podsPeer('harbor', selector), port: 8080, protocol: 'TCP', why: 'test', opens: { unverified: 'test' } },
  { component: 'harbor', name: 'x -> y', from: podsPeer('harbor', selector), to: podsPeer('harbor', { app: 'y' }), port: 6379, protocol: 'TCP', why: 'test', opens: { unverified: 'test' } },
  { component: 'harbor', name: 'z -> y', from: podsPeer('harbor', { app: 'z' }), to: podsPeer('harbor', { app: 'y' }), port: 6379, protocol: 'TCP', why: 'test', opens: { unverified: 'test' } },
];

/** The objects of a chart holding one component built by harborWorkload. */
function synth(props: Partial<Parameters<typeof harborWorkload>[3]> = {}) {
  const chart = new Chart(Testing.app(), 'test', { namespace: 'harbor' });
  const endpoint = new ServiceEndpoint(chart, 'service', { address, selector });
  harborWorkload(chart, endpoint, { config, connections }, { replicas: 2, containers: [{ name: 'x', image: 'x:1' }], ...props });
  return Testing.synth(chart);
}
const of = (objects: any[], kind: string) => objects.filter((o) => o.kind === kind);

describe('harborWorkload', () => {
  it('names the ServiceAccount, Deployment, PDB and NetworkPolicy after the Service and selects its pods', () => {
    const objects = synth();
    expect(objects.map((o) => [o.kind, o.metadata.name])).toEqual([
      ['Service', 'harbor-x'], ['ServiceAccount', 'harbor-x'], ['Deployment', 'harbor-x'], ['PodDisruptionBudget', 'harbor-x'], ['NetworkPolicy', 'harbor-x'],
    ]);
    const deployment = of(objects, 'Deployment')[0];
    expect(deployment.spec.selector).toEqual({ matchLabels: selector });
    expect(of(objects, 'PodDisruptionBudget')[0].spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: selector } });
  });

  it('runs the pod as the goharbor user unless told otherwise, spread over the configured workers', () => {
    const pod = of(synth(), 'Deployment')[0].spec.template.spec;
    expect(pod.securityContext).toEqual({
      runAsNonRoot: true, runAsUser: HARBOR_UID, runAsGroup: HARBOR_UID, fsGroup: HARBOR_UID, fsGroupChangePolicy: 'OnRootMismatch', seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(pod.affinity).toEqual({
      podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: selector } }] },
    });
    expect(of(synth({ uid: 999 }), 'Deployment')[0].spec.template.spec.securityContext.runAsUser).toBe(999);
  });

  it('derives the NetworkPolicy from the connections to and from its pods, and from nothing else', () => {
    expect(of(synth(), 'NetworkPolicy')[0].spec).toEqual({
      podSelector: { matchLabels: selector },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }], ports: [{ protocol: 'TCP', port: 8080 }] }],
      egress: [{ to: [{ podSelector: { matchLabels: { app: 'y' } } }], ports: [{ protocol: 'TCP', port: 6379 }] }],
    });
  });

  it('makes one StatefulSet replica without PDB or anti-affinity', () => {
    const objects = synth({ kind: 'StatefulSet', replicas: 1 });
    const sts = of(objects, 'StatefulSet')[0];
    expect([sts.spec.replicas, sts.spec.serviceName, sts.spec.template.spec.affinity]).toEqual([1, 'harbor-x', undefined]);
    expect(of(objects, 'PodDisruptionBudget')).toEqual([]);
  });
});

describe('containerPort and harborProbes', () => {
  it('names the container port as the Service targets it', () => {
    expect(containerPort(address.port('http'))).toEqual({ name: 'http', containerPort: 8080 });
  });

  it('probes readiness every 10 s and liveness every 20 s, six failures allowed', () => {
    const probe = (periodSeconds: number, failureThreshold: number) => ({
      httpGet: { path: '/ping', port: expect.objectContaining({ value: 'http' }), scheme: 'HTTP' }, periodSeconds, timeoutSeconds: 5, failureThreshold,
    });
    expect(harborProbes('/ping', 'http')).toEqual({ readinessProbe: probe(10, 3), livenessProbe: probe(20, 6) });
  });
});
