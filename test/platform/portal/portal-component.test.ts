import { Chart, Testing } from 'cdk8s';
import { parseConfig } from '../../../config';
import type { Connection } from '../../../config/contracts/connections';
import { ServiceAddress } from '../../../constructs/k8s/service-endpoint';
import { PortalComponent, PortalComponentProps } from '../../../platform/portal/portal-component';
import { PORTAL_API_PEER, PORTAL_COMMON_API_PEER, PORTAL_CONNECTIONS } from '../../../platform/portal/portal-connections';
import { PORTAL_ENDPOINTS, PORTAL_NAMESPACE } from '../../../platform/portal/portal-names';
import { PORTAL } from '../../../platform/portal/portal-service';
import type { K8sObject } from '../../support/manifests';

const config = parseConfig({});
const API = { 'app.kubernetes.io/name': 'cp-portal', 'app.kubernetes.io/component': 'api' };

/** One component in a chart of the portal's namespace; its objects by kind. */
function synth(props: Partial<PortalComponentProps> = {}, namespace = PORTAL_NAMESPACE) {
  const chart = new Chart(Testing.app(), 'test', { namespace });
  new PortalComponent(chart, 'api', {
    component: 'api',
    name: 'cp-portal-api',
    address: PORTAL_ENDPOINTS.api,
    image: 'registry/cp-portal-api:v1',
    replicas: 1,
    placement: { workers: 3 },
    env: [{ name: 'A', value: 'a' }],
    resources: { cpu: '100m', memory: '128Mi', memoryLimit: '256Mi' },
    networkPolicy: { connections: [], config },
    ...props,
  });
  const objects = Testing.synth(chart) as K8sObject[];
  const one = (kind: string) => {
    const found = objects.filter((o) => o.kind === kind);
    expect(found).toHaveLength(1);
    return found[0];
  };
  return { objects, one, kinds: objects.map((o) => `${o.kind}/${o.metadata.name}`) };
}

describe('PORTAL_ENDPOINTS', () => {
  it('declares the K-PaaS Service names on the components\' application.yml ports, one `http` port each', () => {
    expect(Object.values(PORTAL_ENDPOINTS).map((a) => [a.name, a.namespace, a.scheme, a.ports])).toEqual([
      ['cp-portal-service', 'cp-portal', 'http', [{ name: 'http', port: 8090, targetPort: 8090 }]],
      ['cp-portal-api-service', 'cp-portal', 'http', [{ name: 'http', port: 3333, targetPort: 3333 }]],
      ['cp-portal-common-api-service', 'cp-portal', 'http', [{ name: 'http', port: 3334, targetPort: 3334 }]],
      ['cp-portal-metric-api-service', 'cp-portal', 'http', [{ name: 'http', port: 8900, targetPort: 8900 }]],
    ]);
    expect(PORTAL_ENDPOINTS.commonApi.url('http')).toBe('http://cp-portal-common-api-service.cp-portal.svc:3334');
  });

  it('is what the descriptor lists as the portal\'s endpoints', () => {
    expect(PORTAL.endpoints).toBe(PORTAL_ENDPOINTS);
  });

  it('gives the connections to the components the pods\' ports of the addresses', () => {
    const to = (name: string) => PORTAL_CONNECTIONS.find((c) => c.name === name)!.port;
    expect([to('ingress -> cp-portal-ui'), to('ingress -> cp-portal-api'), to('cp-portal-api -> cp-portal-common-api'), to('cp-portal-api -> cp-portal-metric-api')])
      .toEqual([8090, 3333, 3334, 8900]);
  });

  it('declares no terraman connection (it is not deployed) and no SSH', () => {
    expect(PORTAL_CONNECTIONS.filter((c) => /terraman/.test(c.name) || c.port === 22)).toEqual([]);
  });

  it('names an upstream file at the pinned source refs for every connection a component opens', () => {
    // the schema Job is our own program: its connection is declared unverified, with the reason
    const opened = PORTAL_CONNECTIONS.filter((c) => c.from.kind === 'pods' && !c.name.startsWith('schema '));
    for (const c of opened) expect([c.name, 'repo' in c.opens && /^K-PaaS\//.test(c.opens.repo)]).toEqual([c.name, true]);
  });
});

describe('PortalComponent', () => {
  it('builds its Service from the declared address and names its objects the K-PaaS way', () => {
    const { one, kinds } = synth();
    expect(kinds).toEqual([
      'Service/cp-portal-api-service',
      'ServiceAccount/cp-portal-api',
      'Deployment/cp-portal-api-deployment',
      'NetworkPolicy/cp-portal-api',
    ]);
    expect(one('Service').spec).toEqual({ selector: API, ports: [{ name: 'http', port: 3333, targetPort: 'http', protocol: 'TCP' }] });
    const c = one('Deployment').spec.template.spec.containers[0];
    expect([c.name, c.ports]).toEqual(['cp-portal-api', [{ name: 'http', containerPort: 3333 }]]);
  });

  it('listens on the address\'s target port and keeps a given Deployment name', () => {
    const address = new ServiceAddress({ name: 'x-service', namespace: PORTAL_NAMESPACE, ports: [{ name: 'http', port: 80, targetPort: 8080 }] });
    const { one } = synth({ address, deploymentName: 'x' });
    expect(one('Deployment').metadata.name).toBe('x');
    expect(one('Deployment').spec.template.spec.containers[0].ports).toEqual([{ name: 'http', containerPort: 8080 }]);
    expect(one('Service').spec.ports).toEqual([{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }]);
  });

  it('fails on an address of another namespace', () => {
    expect(() => synth({}, 'elsewhere')).toThrow(/declared in namespace cp-portal, built in a chart of namespace elsewhere/);
  });

  it('runs one fixed replica on workers only, as uid 1000 without fsGroup changes, with no token and no budget', () => {
    const { one, kinds } = synth();
    const d = one('Deployment');
    expect(d.spec.replicas).toBe(1);
    expect(kinds.filter((k) => k.startsWith('PodDisruptionBudget'))).toEqual([]);
    const pod = d.spec.template.spec;
    expect(pod.securityContext).toEqual({ runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' } });
    expect([pod.serviceAccountName, pod.automountServiceAccountToken]).toEqual(['cp-portal-api', false]);
    expect(pod.affinity).toEqual({
      nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'DoesNotExist' }] }] } },
    });
    expect(pod.containers[0].securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
  });

  it('leaves the count to the autoscaler, keeps its minimum through drains and prefers spreading past the workers', () => {
    const { one } = synth({ replicas: 'autoscaled', minReplicas: 2, placement: { workers: 3, maxReplicas: 10 } });
    const d = one('Deployment');
    expect('replicas' in d.spec).toBe(false);
    expect(one('PodDisruptionBudget').spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: API } });
    expect(Object.keys(d.spec.template.spec.affinity.podAntiAffinity)).toEqual(['preferredDuringSchedulingIgnoredDuringExecution']);
  });

  it('requires spreading while every replica can have its own worker', () => {
    const { one } = synth({ replicas: 2 });
    expect(one('Deployment').spec.template.spec.affinity.podAntiAffinity).toEqual({
      requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: API } }],
    });
  });

  it('gives a non-JVM component a writable /tmp only, the HTTP health probes and no startup probe', () => {
    const { one } = synth();
    const pod = one('Deployment').spec.template.spec;
    expect(pod.initContainers).toBeUndefined();
    expect(pod.volumes).toEqual([{ name: 'tmp', emptyDir: {} }]);
    const c = pod.containers[0];
    expect(c.env).toEqual([{ name: 'A', value: 'a' }]);
    expect(c.startupProbe).toBeUndefined();
    expect(c.readinessProbe).toEqual({ httpGet: { path: '/actuator/health/readiness', port: 'http', scheme: 'HTTP' }, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 });
    expect(c.resources).toEqual({ requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } });
  });

  it('gives a JVM component the platform-CA truststore, its log directory and a slow-start probe', () => {
    const { one } = synth({ jvm: { platformCaSecret: 'ca' } });
    const pod = one('Deployment').spec.template.spec;
    expect(pod.volumes.map((v: { name: string }) => v.name)).toEqual(['tmp', 'logs', 'truststore', 'platform-ca']);
    const init = pod.initContainers[0];
    expect([init.name, init.image, init.imagePullPolicy, init.env]).toEqual(['truststore', 'registry/cp-portal-api:v1', 'IfNotPresent', [{ name: 'JAVA_TOOL_OPTIONS', value: '-Xmx64m' }]]);
    const c = pod.containers[0];
    expect(c.env.map((e: { name: string }) => e.name)).toEqual(['A', 'MANAGEMENT_ENDPOINT_HEALTH_PROBES_ENABLED', 'JAVA_TOOL_OPTIONS']);
    expect(c.startupProbe).toEqual({ httpGet: { path: '/actuator/health/liveness', port: 'http', scheme: 'HTTP' }, periodSeconds: 5, timeoutSeconds: 5, failureThreshold: 36 });
    expect(c.volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }, { name: 'logs', mountPath: '/home/1000/logs' }, { name: 'truststore', mountPath: '/truststore', readOnly: true }]);
  });

  it('derives its NetworkPolicy from the connections made to it and by it', () => {
    const connections: Connection[] = [
      { component: 'portal', name: 'api -> common-api', from: PORTAL_API_PEER, to: PORTAL_COMMON_API_PEER, port: 3334, protocol: 'TCP', why: 'test', opens: { unverified: 'test' } },
      { component: 'portal', name: 'common-api -> api', from: PORTAL_COMMON_API_PEER, to: PORTAL_API_PEER, port: 3333, protocol: 'TCP', why: 'test', opens: { unverified: 'test' } },
    ];
    const { one } = synth({ networkPolicy: { connections, config } });
    const commonApi = { podSelector: { matchLabels: { 'app.kubernetes.io/name': 'cp-portal', 'app.kubernetes.io/component': 'common-api' } } };
    expect(one('NetworkPolicy').spec).toEqual({
      podSelector: { matchLabels: API },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: [commonApi], ports: [{ protocol: 'TCP', port: 3333 }] }],
      egress: [{ to: [commonApi], ports: [{ protocol: 'TCP', port: 3334 }] }],
    });
  });
});
