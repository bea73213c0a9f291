/**
 * NetworkPolicy rules derived from the declared connections (config/contracts/connections.ts):
 * a workload admits exactly the connections made to it and opens exactly the connections it
 * makes, so the policy and the contract are one fact. Calico applies policy after kube-proxy's
 * DNAT, so ports are the destination pods' ports and the API server is its masters' addresses.
 */
import { ingressTargetPort, type PlatformConfig } from '../../config';
import type { Connection, Peer } from '../../config/contracts/connections';
import type { NetworkPolicyEgressRule, NetworkPolicyIngressRule, NetworkPolicyPeer, NetworkPolicyPort } from '../../imports/k8s';
import { IntOrString } from '../../imports/k8s';
import { fromIngressController, NODELOCALDNS_IP, podsIn, podsWith } from './network-peers';
import { outsideCluster } from './pod-defaults';

/** The pods a policy selects: a namespace and the labels of its pods. */
export interface PolicySubject {
  readonly namespace: string;
  readonly selector: Readonly<Record<string, string>>;
}

/** Whether a peer names the subject's pods (a `pods` peer whose labels the subject's selector includes). */
export function peerSelects(peer: Peer, subject: PolicySubject): boolean {
  return peer.kind === 'pods'
    && peer.namespace === subject.namespace
    && Object.entries(peer.labels).every(([k, v]) => subject.selector[k] === v);
}

/** The NetworkPolicy peers a connection's other end stands for, as seen from the subject's namespace. */
export function policyPeers(peer: Peer, namespace: string, config: PlatformConfig): NetworkPolicyPeer[] {
  const hosts = (ips: readonly string[]) => ips.map((ip) => ({ ipBlock: { cidr: `${ip}/32` } }));
  const masters = config.nodes.masters.nodes.map((n) => n.privateIp);
  switch (peer.kind) {
    case 'pods': return [peer.namespace === namespace ? podsWith({ ...peer.labels }) : podsIn(peer.namespace, { ...peer.labels })];
    case 'any-pod': return [{ namespaceSelector: {} }];
    case 'ingress-controller': return [fromIngressController(config)];
    case 'kube-apiserver': return hosts(masters);
    case 'dns': return [
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } },
      { ipBlock: { cidr: `${NODELOCALDNS_IP}/32` } },
    ];
    // without a VIP in the config (kakaocloud reports it after apply), the masters stand for it
    case 'master-lb': {
      const vip = config.loadBalancers.master.vip;
      return hosts(vip ? [vip] : masters);
    }
    case 'nodes': return hosts([...config.nodes.masters.nodes, ...config.nodes.workers.nodes].map((n) => n.privateIp));
    case 'outside-cluster': return [outsideCluster({ podCidr: config.network.podCidr, serviceCidr: config.network.serviceCidr })];
  }
}

interface Grouped {
  readonly peers: NetworkPolicyPeer[];
  readonly ports: NetworkPolicyPort[];
}

/** One rule per distinct peer set, its ports in the order first declared, without repeats. */
function group(entries: ReadonlyArray<{ peers: NetworkPolicyPeer[]; port: number; protocol: string }>): Grouped[] {
  const byPeers = new Map<string, { peers: NetworkPolicyPeer[]; ports: Map<string, NetworkPolicyPort> }>();
  for (const e of entries) {
    const key = JSON.stringify(e.peers);
    const g = byPeers.get(key) ?? { peers: e.peers, ports: new Map() };
    g.ports.set(`${e.protocol}/${e.port}`, { protocol: e.protocol, port: IntOrString.fromNumber(e.port) });
    byPeers.set(key, g);
  }
  return [...byPeers.values()].map((g) => ({ peers: g.peers, ports: [...g.ports.values()] }));
}

/** The rules of the subject's policy: ingress from the connections to it, egress for those it makes. */
export function connectionRules(
  connections: readonly Connection[],
  subject: PolicySubject,
  config: PlatformConfig,
): { readonly ingress: NetworkPolicyIngressRule[]; readonly egress: NetworkPolicyEgressRule[] } {
  const inbound = connections.filter((c) => peerSelects(c.to, subject) && !(c.from.kind === 'pods' && c.from.hypothetical))
    .map((c) => ({ peers: policyPeers(c.from, subject.namespace, config), port: c.port, protocol: c.protocol }));
  // a connection of every pod of the namespace (name resolution) is the namespace's own policy
  const namespaceWide = (p: Peer) => p.kind === 'pods' && Object.keys(p.labels).length === 0;
  return {
    ingress: group(inbound).map((g) => ({ from: g.peers, ports: g.ports })),
    egress: egressRules(connections.filter((c) => peerSelects(c.from, subject) && !namespaceWide(c.from)), subject.namespace, config),
  };
}

/**
 * Egress rules for connections made from pods of `namespace`, one per distinct destination (ports
 * as the destination pods see them): for a subject that is no `pods` peer, such as the ingress proxies.
 */
export function egressRules(connections: readonly Connection[], namespace: string, config: PlatformConfig): NetworkPolicyEgressRule[] {
  const outbound = connections.map((c) => ({ peers: policyPeers(c.to, namespace, config), port: c.to.kind === 'ingress-controller' ? ingressTargetPort(config, c.port) : c.port, protocol: c.protocol }));
  return group(outbound).map((g) => ({ to: g.peers, ports: g.ports }));
}
