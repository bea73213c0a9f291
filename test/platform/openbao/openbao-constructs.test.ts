import { Chart, Testing } from 'cdk8s';
import { parseConfig } from '../../../config';
import { OpenbaoAgentInjector } from '../../../platform/openbao/openbao-agent-injector';
import { OPENBAO_CONNECTIONS } from '../../../platform/openbao/openbao-connections';
import { OpenbaoServer } from '../../../platform/openbao/openbao-server';

const config = parseConfig({});
const chart = () => new Chart(Testing.app(), 'test', { namespace: 'openbao' });
const byKind = (objects: any[], kind: string) => objects.filter((o) => o.kind === kind);
const port = (p: number) => ({ protocol: 'TCP', port: p });
const masters = ['172.16.0.192/32', '172.16.0.157/32', '172.16.0.254/32'].map((cidr) => ({ ipBlock: { cidr } }));
const serverPods = { podSelector: { matchLabels: { 'app.kubernetes.io/name': 'openbao', 'app.kubernetes.io/component': 'server' } } };

describe('OpenbaoServer', () => {
  const synth = (replicas: number) => {
    const c = chart();
    new OpenbaoServer(c, 'server', { config, connections: OPENBAO_CONNECTIONS, replicas, storageClass: { name: 'retain' }, dataSize: '1Gi', tlsSecretName: 'tls' });
    return Testing.synth(c);
  };

  it('derives its policy from OpenBao\'s own connections alone: peers, the ingress controller, any pod, the API server', () => {
    const [np] = byKind(synth(3), 'NetworkPolicy');
    expect(np.spec.ingress).toEqual([
      { from: [serverPods], ports: [port(8200), port(8201)] },
      { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }], ports: [port(8200)] },
      { from: [{ namespaceSelector: {} }], ports: [port(8200)] },
    ]);
    expect(np.spec.egress).toEqual([
      { to: [serverPods], ports: [port(8200), port(8201)] },
      { to: masters, ports: [port(6443)] },
    ]);
  });

  it('keeps one server down at most with three, and makes no budget for a single server', () => {
    expect(byKind(synth(3), 'PodDisruptionBudget').map((p) => p.spec.maxUnavailable)).toEqual([1]);
    expect(byKind(synth(1), 'PodDisruptionBudget')).toEqual([]);
  });

  it('governs the StatefulSet by the headless Service, which lists servers before they are ready', () => {
    const objects = synth(3);
    const headless = byKind(objects, 'Service').find((s) => s.metadata.name === 'openbao-internal');
    expect(headless.spec).toMatchObject({ clusterIP: 'None', publishNotReadyAddresses: true });
    expect(byKind(objects, 'Service').filter((s) => s.spec.clusterIP !== undefined).map((s) => s.metadata.name)).toEqual(['openbao-internal']);
    expect(byKind(objects, 'StatefulSet')[0].spec.serviceName).toBe('openbao-internal');
  });
});

describe('OpenbaoAgentInjector', () => {
  const synth = (replicas: number) => {
    const c = chart();
    new OpenbaoAgentInjector(c, 'injector', { config, connections: OPENBAO_CONNECTIONS, openbaoAddress: 'https://bao:8200', caSecret: { name: 'ca' }, replicas });
    return Testing.synth(c);
  };

  it('labels every object it makes as the injector, at the injector\'s version', () => {
    const objects = synth(2);
    expect(objects.map((o) => o.kind)).toEqual([
      'Service', 'ServiceAccount', 'Deployment', 'PodDisruptionBudget', 'NetworkPolicy',
      'ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding', 'MutatingWebhookConfiguration',
    ]);
    for (const o of objects) {
      expect(o.metadata.labels).toEqual({ 'app.kubernetes.io/name': 'openbao-agent-injector', 'app.kubernetes.io/component': 'webhook', 'app.kubernetes.io/version': '1.7.2' });
    }
  });

  it('runs a single replica without leader election, its RBAC or a budget', () => {
    const objects = synth(1);
    expect(byKind(objects, 'Role')).toEqual([]);
    expect(byKind(objects, 'PodDisruptionBudget')).toEqual([]);
    const env = byKind(objects, 'Deployment')[0].spec.template.spec.containers[0].env.map((e: { name: string }) => e.name);
    expect(env.filter((n: string) => n === 'AGENT_INJECT_USE_LEADER_ELECTOR' || n === 'NAMESPACE')).toEqual([]);
    expect(byKind(objects, 'ClusterRole')[0].rules.map((r: { resources: string[] }) => r.resources[0])).toEqual(['mutatingwebhookconfigurations', 'mutatingwebhookconfigurations']);
  });

  it('listens where its Service sends the API server, and opens only the API server', () => {
    const objects = synth(2);
    const container = byKind(objects, 'Deployment')[0].spec.template.spec.containers[0];
    expect(container.ports).toEqual([{ name: 'https', containerPort: 8080 }]);
    expect(container.env.find((e: { name: string }) => e.name === 'AGENT_INJECT_LISTEN').value).toBe(':8080');
    expect(byKind(objects, 'Service')[0].spec.ports).toEqual([{ name: 'https', port: 443, targetPort: 'https', protocol: 'TCP' }]);
    expect(byKind(objects, 'MutatingWebhookConfiguration')[0].webhooks[0].clientConfig.service.port).toBe(443);
    expect(byKind(objects, 'NetworkPolicy')[0].spec.egress).toEqual([{ to: masters, ports: [port(6443)] }]);
  });
});
