/**
 * The NetworkPolicies of dist/manifests against the connections the platform's programs make
 * (config/contracts/connections.ts): every declared connection is allowed in both directions,
 * and every allow rule (rule x peer x port) is needed by some declared connection.
 *
 * Connections become flows between endpoints: the pods of the rendered workloads, kubespray's
 * ingress-nginx controller and CoreDNS pods, and host addresses (masters, the kubernetes Service,
 * nodelocaldns, the master LB VIP, an address outside the cluster). Where a connection can take
 * two forms, the required form is the one our cluster uses and the other counts as using the
 * rules that allow it:
 * - to the API server: the master's address on 6443 after DNAT (required); the `kubernetes`
 *   Service address on 443, before DNAT;
 * - from the API server (webhooks): the master's VXLAN tunnel address, in the pod CIDR, which
 *   Calico gives host traffic to pods on other nodes (required); the master's own address;
 * - DNS: nodelocaldns (required; kubespray's default); CoreDNS's pods, which resolv.conf names
 *   when nodelocaldns is off.
 */
import ipaddr from 'ipaddr.js';
import { openerText } from '../../config/contracts';
import { PLATFORM_SERVICES, platformConnections } from '../../platform';
import type { Connection, Peer } from '../../config/contracts';
import { ingressTargetPort, parseConfig } from '../../config';
import type { PlatformConfig } from '../../config';
import { ofKind, renderManifests, workloads } from '../support/k8s-manifests';
import type { ManifestObject } from '../support/k8s-manifests';
import { flowText, invalidIpBlocks, NetworkPolicyEvaluator, refText, unusedAllowances } from '../support/network-policy';
import type { Endpoint, Flow, NetworkPolicy, PodEndpoint } from '../support/network-policy';

/**
 * Allow rules that no declared connection needs but that stay for now (policies outside this
 * contract's owner's files), each with the reason and who fixes it; matched against
 * `<refText>: <peer> <port> is allowed...`. A pattern that matches nothing fails the test.
 */
const KNOWN_UNNEEDED: ReadonlyArray<{ readonly allowances: RegExp; readonly reason: string }> = [];

/** Declared connections (by name) that the policies block for now, with the reason. A stale entry fails the test. */
const KNOWN_BLOCKED: Readonly<Record<string, string>> = {};

const CONFIGS = [
  { title: 'default config', input: {} },
  { title: 'scaled config', input: { domain: 'paas.example.org', nodes: { workers: { ips: ['172.16.0.12'] } }, openbao: { replicas: 5 }, identity: { keycloakReplicas: 3, realm: 'acme' } } },
  { title: 'envoy-gateway config', input: { versions: { track: 'kpaas-1.7.0' as const }, ingress: { controller: 'envoy-gateway' as const } } },
];

describe.each(CONFIGS)('connections and NetworkPolicies ($title)', ({ input }) => {
  const config = parseConfig(input);
  const { objects } = renderManifests(input);
  const cluster = clusterOf(config, objects);
  const CONNECTIONS = platformConnections(PLATFORM_SERVICES, config);
  const evaluator = new NetworkPolicyEvaluator(
    ofKind<NetworkPolicy>(objects, 'NetworkPolicy', 'networking.k8s.io/v1').map(({ object }) => object),
    new Map(ofKind(objects, 'Namespace', 'v1').map(({ object }) => [object.metadata.name ?? '', object.metadata.labels ?? {}])),
  );
  const flows = CONNECTIONS.map((c) => ({ connection: c, ...flowsOf(c, cluster) }));

  it('has policies and connections to check, so the contract does not pass vacuously', () => {
    expect(evaluator.policies.length).toBeGreaterThan(10);
    expect(flows.filter((f) => f.required.length > 0).length).toBeGreaterThan(CONNECTIONS.length / 2);
  });

  it('writes every ipBlock as a CIDR, because the API server rejects the whole policy otherwise', () => {
    expect(invalidIpBlocks(evaluator.policies)).toEqual([]);
  });

  it('names in every declared connection pods that the manifests run', () => {
    expect(CONNECTIONS.flatMap((c) => [c.from, c.to].flatMap((p) => (p.kind === 'pods' && !p.hypothetical && cluster.podsOf(p).length === 0
      ? [`${c.name}: no pod template in ${p.namespace} has labels ${JSON.stringify(p.labels)}`] : [])))).toEqual([]);
  });

  it('allows every declared connection, in both directions (source egress and destination ingress)', () => {
    const blocked = flows.flatMap(({ connection: c, required }) => {
      const problems = required.flatMap((f) => {
        const v = evaluator.evaluate(f);
        if (v.allowed) return [];
        const sides = [!v.egress.allowed && 'egress of the source', !v.ingress.allowed && 'ingress of the destination'].filter(Boolean).join(' and ');
        return [`${flowText(f)} blocked by the ${sides}`];
      });
      if (c.name in KNOWN_BLOCKED) return [];
      if (required.length === 0) return [`${c.name}: has no address to check in this config (${JSON.stringify(c.to.kind === 'master-lb' || c.from.kind === 'master-lb' ? 'the master LB has no VIP in the config' : c.to)})`];
      return problems.length > 0 ? [`${c.name} [${openerText(c.opens)}]: ${problems.join('; ')}`] : [];
    });
    expect(blocked).toEqual([]);
  });

  it('allows nothing no declared connection needs: every allow rule, peer and port is used', () => {
    const all = flows.flatMap((f) => [...f.required, ...f.alternative]);
    const unused = unusedAllowances(evaluator, all).map((r) => `${refText(r)}: ${describeAllowance(evaluator, refText(r))}`);
    expect(unused.filter((r) => !KNOWN_UNNEEDED.some((k) => k.allowances.test(r)))).toEqual([]);
  });

  it('lists only known exceptions that still apply', () => {
    const all = flows.flatMap((f) => [...f.required, ...f.alternative]);
    const unused = unusedAllowances(evaluator, all).map((r) => `${refText(r)}: ${describeAllowance(evaluator, refText(r))}`);
    expect([
      ...KNOWN_UNNEEDED.filter((k) => !unused.some((r) => k.allowances.test(r))).map((k) => `KNOWN_UNNEEDED: ${k.allowances} matches no unneeded allowance any more`),
      ...Object.keys(KNOWN_BLOCKED).filter((name) => {
        const f = flows.find((x) => x.connection.name === name);
        return !f || (f.required.length > 0 && f.required.every((flow) => evaluator.evaluate(flow).allowed));
      }).map((name) => `KNOWN_BLOCKED: ${name} is allowed or not declared`),
    ]).toEqual([]);
  });
});

describe('the connection contract itself', () => {
  const CONNECTIONS = platformConnections(PLATFORM_SERVICES, parseConfig({}));

  it('names each connection once', () => {
    const names = CONNECTIONS.map((c) => c.name);
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
  });

  it('fails on a seeded blocked flow and a seeded unneeded rule in the real manifests', () => {
    const config = parseConfig({});
    const { objects } = renderManifests({});
    const cluster = clusterOf(config, objects);
    const policies = ofKind<NetworkPolicy>(objects, 'NetworkPolicy', 'networking.k8s.io/v1').map(({ object }) => object);
    const evaluator = new NetworkPolicyEvaluator(policies);
    // blocked: chartmuseum's ingress without its rule
    const withoutIngress = new NetworkPolicyEvaluator(policies.map((p) => (p.metadata.namespace === 'chartmuseum' && p.metadata.name === 'chartmuseum'
      ? { ...p, spec: { ...p.spec, ingress: [] } } : p)));
    const chartmuseum = CONNECTIONS.find((c) => c.name === 'ingress -> chartmuseum')!;
    const { required } = flowsOf(chartmuseum, cluster);
    expect(required.map((f) => evaluator.evaluate(f).allowed)).toEqual([true]);
    expect(required.map((f) => withoutIngress.evaluate(f).allowed)).toEqual([false]);
    // unneeded: the same policy, without the connection that needs it
    const others = CONNECTIONS.filter((c) => c !== chartmuseum).flatMap((c) => { const f = flowsOf(c, cluster); return [...f.required, ...f.alternative]; });
    expect(unusedAllowances(evaluator, others).map(refText)).toContain('NetworkPolicy chartmuseum/chartmuseum ingress[0] from[0] ports[0]');
  });
});

// ---------------------------------------------------------------------------------------------
// The cluster the flows run in

interface Cluster {
  readonly config: PlatformConfig;
  readonly pods: readonly PodEndpoint[];
  podsOf(peer: Extract<Peer, { kind: 'pods' }>): PodEndpoint[];
  readonly ingressController: PodEndpoint;
  readonly coreDns: PodEndpoint;
  readonly application: PodEndpoint;
  readonly masters: readonly Endpoint[];
  readonly masterTunnels: readonly Endpoint[];
  readonly nodes: readonly Endpoint[];
  readonly kubernetesService: Endpoint;
  readonly nodelocalDns: Endpoint;
  /** Undefined where the config does not know the VIP before apply (Kakao's NLB). */
  readonly masterLb?: Endpoint;
  readonly outside: Endpoint;
}

/** An address in the pod CIDR, `offset` past its network address. */
function podAddress(config: PlatformConfig, offset: number): string {
  const [net] = ipaddr.parseCIDR(config.network.podCidr);
  const bytes = net.toByteArray();
  let n = ((bytes[0] << 24) >>> 0) + (bytes[1] << 16) + (bytes[2] << 8) + bytes[3] + offset;
  const out = [];
  for (let i = 0; i < 4; i++) { out.unshift(n & 255); n = Math.floor(n / 256); }
  return out.join('.');
}

function clusterOf(config: PlatformConfig, objects: readonly ManifestObject[]): Cluster {
  const pods: PodEndpoint[] = workloads(objects).map((w, i) => ({
    kind: 'pod',
    name: `${w.namespace}/${w.name}`,
    namespace: w.namespace,
    labels: w.podLabels,
    ip: podAddress(config, 256 + i),
    ports: [...(w.podSpec.containers ?? [])].flatMap((c) => (c.ports ?? []).map((p) => ({ name: p.name, containerPort: p.containerPort, protocol: p.protocol }))),
  }));
  const host = (name: string, ip: string): Endpoint => ({ kind: 'host', name, ip });
  return {
    config,
    pods,
    podsOf: (peer) => pods.filter((p) => p.namespace === peer.namespace && Object.entries(peer.labels).every(([k, v]) => p.labels[k] === v)),
    ingressController: config.ingress.controller === 'ingress-nginx'
      // kubespray v2.28.1 roles/kubernetes-apps/ingress_controller/ingress_nginx/templates/ds-ingress-nginx-controller.yml.j2
      ? {
        kind: 'pod', name: 'ingress-nginx/ingress-nginx-controller', namespace: 'ingress-nginx',
        labels: { 'app.kubernetes.io/name': 'ingress-nginx', 'app.kubernetes.io/part-of': 'ingress-nginx' },
        ip: podAddress(config, 64), ports: [{ name: 'http', containerPort: 80 }, { name: 'https', containerPort: 443 }, { name: 'metrics', containerPort: 10254 }],
      }
      // envoyproxy/gateway v1.9.0 internal/infrastructure/kubernetes/proxy/resource.go (EnvoyAppLabel, and the
      // owning-gateway labels), container ports: listener port + 10000 (internal/gatewayapi/listener.go)
      : {
        kind: 'pod', name: 'envoy-gateway-system/envoy-kpaas', namespace: 'envoy-gateway-system',
        labels: {
          'app.kubernetes.io/name': 'envoy', 'app.kubernetes.io/component': 'proxy', 'app.kubernetes.io/managed-by': 'envoy-gateway',
          'gateway.envoyproxy.io/owning-gateway-name': 'kpaas', 'gateway.envoyproxy.io/owning-gateway-namespace': 'envoy-gateway-system',
        },
        ip: podAddress(config, 64), ports: [{ name: 'http-80', containerPort: 10080 }, { name: 'https-443', containerPort: 10443 }, { name: 'readiness', containerPort: 19003 }],
      },
    // kubespray v2.28.1 roles/kubernetes-apps/ansible/templates/coredns-deployment.yml.j2
    coreDns: {
      kind: 'pod', name: 'kube-system/coredns', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' },
      ip: podAddress(config, 65), ports: [{ name: 'dns', containerPort: 53, protocol: 'UDP' }, { name: 'dns-tcp', containerPort: 53, protocol: 'TCP' }],
    },
    application: { kind: 'pod', name: 'kpaas-contract-application/app', namespace: 'kpaas-contract-application', labels: { app: 'application' }, ip: podAddress(config, 66), ports: [] },
    masters: config.nodes.masters.nodes.map((n) => host(`${n.name} (host)`, n.privateIp)),
    masterTunnels: config.nodes.masters.nodes.map((n, i) => host(`${n.name} (vxlan tunnel)`, podAddress(config, 1 + i * 64))),
    nodes: config.nodes.all.map((n) => host(`${n.name} (host)`, n.privateIp)),
    kubernetesService: host('kubernetes Service', config.network.kubernetesServiceIp),
    nodelocalDns: host('nodelocaldns', '169.254.25.10'),
    ...(config.loadBalancers.master.vip ? { masterLb: host('master LB VIP', config.loadBalancers.master.vip) } : {}),
    outside: host('outside the cluster', '203.0.113.10'),
  };
}

interface Form { readonly endpoint: Endpoint; readonly port?: number }

/** The endpoints a peer stands for: the required forms, and the alternative ones (see the file comment). */
function formsOf(peer: Peer, side: 'from' | 'to', cluster: Cluster): { required: Form[]; alternative: Form[] } {
  const each = (es: readonly Endpoint[]) => es.map((endpoint) => ({ endpoint }));
  switch (peer.kind) {
    case 'pods': return {
      required: peer.hypothetical
        ? each([{ kind: 'pod', name: `${peer.namespace}/<pod labelled ${JSON.stringify(peer.labels)}>`, namespace: peer.namespace, labels: peer.labels, ip: podAddress(cluster.config, 67), ports: [] }])
        : each(cluster.podsOf(peer)),
      alternative: [],
    };
    case 'any-pod': return { required: each([cluster.application]), alternative: [] };
    case 'ingress-controller': return { required: each([cluster.ingressController]), alternative: [] };
    case 'kube-apiserver': return side === 'to'
      ? { required: each(cluster.masters), alternative: [{ endpoint: cluster.kubernetesService, port: 443 }] }
      : { required: each(cluster.masterTunnels), alternative: each(cluster.masters) };
    case 'dns': return { required: each([cluster.nodelocalDns]), alternative: each([cluster.coreDns]) };
    // without a VIP in the config (kakaocloud: the NLB's address is known after apply) the
    // portal can only be pointed at the masters themselves, which the LB forwards to anyway
    case 'master-lb': return { required: each(cluster.masterLb ? [cluster.masterLb] : cluster.masters), alternative: [] };
    case 'nodes': return { required: each(cluster.nodes), alternative: [] };
    case 'outside-cluster': return { required: each([cluster.outside]), alternative: [] };
  }
}

function flowsOf(c: Connection, cluster: Cluster): { required: Flow[]; alternative: Flow[] } {
  const from = formsOf(c.from, 'from', cluster);
  const to = formsOf(c.to, 'to', cluster);
  // a connection to the ingress IP's port arrives on the controller pods' port (80/443 or 10080/10443)
  const port = c.to.kind === 'ingress-controller' ? ingressTargetPort(cluster.config, c.port) : c.port;
  const cross = (fs: Form[], ts: Form[]) => fs.flatMap((f) => ts.map((t) => ({ from: f.endpoint, to: t.endpoint, port: t.port ?? port, protocol: c.protocol })));
  return {
    required: cross(from.required, to.required),
    alternative: [...cross(from.alternative, [...to.required, ...to.alternative]), ...cross(from.required, to.alternative)],
  };
}

function describeAllowance(evaluator: NetworkPolicyEvaluator, ref: string): string {
  const m = /^NetworkPolicy (\S+)\/(\S+) (ingress|egress)\[(\d+)\](?: (?:from|to)\[(\d+)\])?.*?(?: ports\[(\d+)\])?$/.exec(ref);
  if (!m) return '';
  const p = evaluator.policies.find((x) => x.metadata.namespace === m[1] && x.metadata.name === m[2]);
  const rule = p?.spec[m[3] as 'ingress' | 'egress']?.[Number(m[4])];
  const peers = m[3] === 'ingress' ? rule?.from : rule?.to;
  const peer = m[5] !== undefined ? peers?.[Number(m[5])] : 'any peer';
  const port = m[6] !== undefined ? rule?.ports?.[Number(m[6])] : 'any port';
  return `${JSON.stringify(peer)} ${JSON.stringify(port)} is allowed, and no declared connection uses it`;
}
