/**
 * A NetworkPolicy evaluator (networking.k8s.io/v1 semantics), over parsed policies: whether a
 * flow (source endpoint, destination endpoint, port, protocol) is allowed, and which rules allow
 * it. Both directions count: a flow is allowed only when the source's egress and the
 * destination's ingress both allow it, each side being unrestricted until a policy with that
 * policy type selects the pod. Endpoints that are not pods (nodes, the API server on the host
 * network, addresses outside the cluster) are subject to no policy and match only ipBlocks.
 *
 * Covered: namespace scoping, podSelector (empty selects all pods of the namespace), namespaceSelector
 * (kubernetes.io/metadata.name and any namespace labels given), both together, ipBlock with except
 * (applied to pod addresses as well, as Calico does), ports by number, range (endPort) or name (resolved
 * against the destination pod's container ports), protocols (TCP default), policyTypes (default:
 * Ingress, plus Egress when egress rules exist), and empty from/to/ports (match everything).
 */
import ipaddr from 'ipaddr.js';
import { selectorMatches } from './k8s-manifests';
import type { ILabelSelector } from './k8s-manifests';

export interface NetworkPolicyPort {
  readonly protocol?: string;
  readonly port?: number | string;
  readonly endPort?: number;
}

export interface NetworkPolicyPeer {
  readonly podSelector?: ILabelSelector;
  readonly namespaceSelector?: ILabelSelector;
  readonly ipBlock?: { readonly cidr: string; readonly except?: readonly string[] };
}

export interface NetworkPolicyRule {
  readonly from?: readonly NetworkPolicyPeer[];
  readonly to?: readonly NetworkPolicyPeer[];
  readonly ports?: readonly NetworkPolicyPort[];
}

export interface NetworkPolicy {
  readonly metadata: { readonly name?: string; readonly namespace?: string };
  readonly spec: {
    readonly podSelector?: ILabelSelector;
    readonly policyTypes?: readonly string[];
    readonly ingress?: readonly NetworkPolicyRule[];
    readonly egress?: readonly NetworkPolicyRule[];
  };
}

export interface ContainerPort {
  readonly name?: string;
  readonly containerPort: number;
  readonly protocol?: string;
}

/** A pod: subject to the policies of its namespace that select its labels. */
export interface PodEndpoint {
  readonly kind: 'pod';
  /** For messages, e.g. `harbor/harbor-core`. */
  readonly name: string;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  /** Its address, for ipBlock peers (an address in the pod CIDR). */
  readonly ip: string;
  readonly ports: readonly ContainerPort[];
}

/** Anything that is not a pod: a node, the API server (host network), an address outside the cluster. */
export interface HostEndpoint {
  readonly kind: 'host';
  readonly name: string;
  readonly ip: string;
}

export type Endpoint = PodEndpoint | HostEndpoint;

export interface Flow {
  readonly from: Endpoint;
  readonly to: Endpoint;
  readonly port: number;
  readonly protocol: string;
}

export type Direction = 'ingress' | 'egress';

/** One allowance of a policy: a rule, one of its peers (or all, without peers) and one of its ports (or all). */
export interface RuleRef {
  /** `namespace/name` of the policy. */
  readonly policy: string;
  readonly direction: Direction;
  readonly rule: number;
  /** Index into from/to, or -1 when the rule has none (every peer). */
  readonly peer: number;
  /** Index into ports, or -1 when the rule has none (every port). */
  readonly port: number;
}

export interface SideVerdict {
  /** Whether a policy of this direction selects the endpoint (otherwise everything is allowed on this side). */
  readonly isolated: boolean;
  /** The allowances that match the flow on this side. */
  readonly matches: readonly RuleRef[];
  readonly allowed: boolean;
}

export interface Verdict {
  readonly allowed: boolean;
  readonly egress: SideVerdict;
  readonly ingress: SideVerdict;
}

/** The label every namespace carries with its own name (Kubernetes sets it; namespaceSelectors use it). */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

export function refText(r: RuleRef): string {
  return `NetworkPolicy ${r.policy} ${r.direction}[${r.rule}]${r.peer >= 0 ? ` ${r.direction === 'ingress' ? 'from' : 'to'}[${r.peer}]` : ' (any peer)'}${r.port >= 0 ? ` ports[${r.port}]` : ' (any port)'}`;
}

export function flowText(f: Flow): string {
  return `${f.from.name} -> ${f.to.name} ${f.protocol}/${f.port}`;
}

export class NetworkPolicyEvaluator {
  private readonly namespaceLabels: ReadonlyMap<string, Readonly<Record<string, string>>>;

  /**
   * @param policies every NetworkPolicy of the cluster
   * @param namespaceLabels labels of namespaces beyond kubernetes.io/metadata.name (which every namespace has)
   */
  public constructor(
    public readonly policies: readonly NetworkPolicy[],
    namespaceLabels: ReadonlyMap<string, Readonly<Record<string, string>>> = new Map(),
  ) {
    this.namespaceLabels = namespaceLabels;
  }

  /** Every allowance the policies grant (rule x peer x port), for finding the ones no flow uses. */
  public allowances(): RuleRef[] {
    return this.policies.flatMap((p) => (['ingress', 'egress'] as const).flatMap((direction) => {
      if (!policyTypes(p).includes(direction)) return [];
      return (p.spec[direction] ?? []).flatMap((rule, i) => {
        const peers = direction === 'ingress' ? rule.from : rule.to;
        const peerIdx = peers && peers.length > 0 ? peers.map((_, k) => k) : [-1];
        const portIdx = rule.ports && rule.ports.length > 0 ? rule.ports.map((_, k) => k) : [-1];
        return peerIdx.flatMap((peer) => portIdx.map((port) => ({ policy: policyId(p), direction, rule: i, peer, port })));
      });
    }));
  }

  public evaluate(flow: Flow): Verdict {
    const egress = flow.from.kind === 'pod' ? this.side('egress', flow.from, flow.to, flow) : open();
    const ingress = flow.to.kind === 'pod' ? this.side('ingress', flow.to, flow.from, flow) : open();
    return { allowed: egress.allowed && ingress.allowed, egress, ingress };
  }

  /** The policies of a direction that select a pod. */
  public selecting(direction: Direction, pod: PodEndpoint): NetworkPolicy[] {
    return this.policies.filter((p) => (p.metadata.namespace ?? 'default') === pod.namespace
      && policyTypes(p).includes(direction)
      && selectorMatches(p.spec.podSelector ?? {}, pod.labels));
  }

  private side(direction: Direction, subject: PodEndpoint, other: Endpoint, flow: Flow): SideVerdict {
    const policies = this.selecting(direction, subject);
    if (policies.length === 0) return open();
    const matches: RuleRef[] = [];
    for (const p of policies) {
      (p.spec[direction] ?? []).forEach((rule, i) => {
        const peers = direction === 'ingress' ? rule.from : rule.to;
        const peerHits = peers && peers.length > 0
          ? peers.flatMap((peer, k) => (this.peerMatches(peer, p.metadata.namespace ?? 'default', other) ? [k] : []))
          : [-1];
        const portHits = rule.ports && rule.ports.length > 0
          ? rule.ports.flatMap((port, k) => (portMatches(port, flow) ? [k] : []))
          : [-1];
        for (const peer of peerHits) for (const port of portHits) matches.push({ policy: policyId(p), direction, rule: i, peer, port });
      });
    }
    return { isolated: true, matches, allowed: matches.length > 0 };
  }

  private peerMatches(peer: NetworkPolicyPeer, policyNamespace: string, e: Endpoint): boolean {
    if (peer.ipBlock) return inBlock(e.ip, peer.ipBlock.cidr, peer.ipBlock.except ?? []);
    if (e.kind !== 'pod') return false; // pod and namespace selectors select pods only
    const nsOk = peer.namespaceSelector
      ? selectorMatches(peer.namespaceSelector, this.labelsOfNamespace(e.namespace))
      : e.namespace === policyNamespace;
    const podOk = peer.podSelector ? selectorMatches(peer.podSelector, e.labels) : true;
    return nsOk && podOk && (peer.namespaceSelector !== undefined || peer.podSelector !== undefined);
  }

  private labelsOfNamespace(ns: string): Record<string, string> {
    return { ...(this.namespaceLabels.get(ns) ?? {}), [NAMESPACE_NAME_LABEL]: ns };
  }
}

function open(): SideVerdict {
  return { isolated: false, matches: [], allowed: true };
}

function policyId(p: NetworkPolicy): string {
  return `${p.metadata.namespace ?? 'default'}/${p.metadata.name ?? '<no name>'}`;
}

/** The policy's types: as written, or Ingress plus Egress when it has egress rules (the API's default). */
export function policyTypes(p: NetworkPolicy): Direction[] {
  if (p.spec.policyTypes && p.spec.policyTypes.length > 0) return p.spec.policyTypes.map((t) => t.toLowerCase() as Direction);
  return p.spec.egress !== undefined ? ['ingress', 'egress'] : ['ingress'];
}

/** Whether a rule's port entry admits the flow's destination port (named ports resolve on the destination pod). */
function portMatches(port: NetworkPolicyPort, flow: Flow): boolean {
  const protocol = port.protocol ?? 'TCP';
  if (protocol !== flow.protocol) return false;
  if (port.port === undefined) return true;
  if (typeof port.port === 'number') {
    return port.endPort !== undefined ? flow.port >= port.port && flow.port <= port.endPort : flow.port === port.port;
  }
  if (/^\d+$/.test(port.port)) return flow.port === Number(port.port);
  // a named port: the destination pod's container port of that name and protocol
  if (flow.to.kind !== 'pod') return false;
  return flow.to.ports.some((cp) => cp.name === port.port && (cp.protocol ?? 'TCP') === protocol && cp.containerPort === flow.port);
}

/** Whether a string is a CIDR the API server accepts in an ipBlock (address/prefix). */
export function isCidr(c: string): boolean {
  try {
    ipaddr.parseCIDR(c);
    return true;
  } catch {
    return false;
  }
}

/** The ipBlocks that are not CIDRs (`namespace/name direction[rule] peer[k]: value`): the API server rejects such a policy. */
export function invalidIpBlocks(policies: readonly NetworkPolicy[]): string[] {
  return policies.flatMap((p) => (['ingress', 'egress'] as const).flatMap((direction) => (p.spec[direction] ?? []).flatMap((rule, i) =>
    ((direction === 'ingress' ? rule.from : rule.to) ?? []).flatMap((peer, k) => {
      if (!peer.ipBlock) return [];
      const bad = [peer.ipBlock.cidr, ...(peer.ipBlock.except ?? [])].filter((c) => !isCidr(c));
      return bad.map((c) => `NetworkPolicy ${policyId(p)} ${direction}[${i}] peer[${k}]: ipBlock ${JSON.stringify(c)} is not a CIDR`);
    }))));
}

/** Whether an address is in a block and none of its exceptions; an invalid block (see invalidIpBlocks) matches nothing. */
function inBlock(ip: string, cidr: string, except: readonly string[]): boolean {
  if (!ipaddr.isValid(ip)) return false;
  const addr = ipaddr.parse(ip);
  const within = (c: string) => {
    if (!isCidr(c)) return false;
    const [net, bits] = ipaddr.parseCIDR(c);
    return net.kind() === addr.kind() && addr.match([net, bits] as [typeof net, number]);
  };
  return within(cidr) && !except.some(within);
}

/** The allowances no flow of the list uses: allow rules nothing needs. */
export function unusedAllowances(evaluator: NetworkPolicyEvaluator, flows: readonly Flow[]): RuleRef[] {
  const key = (r: RuleRef) => `${r.policy}|${r.direction}|${r.rule}|${r.peer}|${r.port}`;
  const used = new Set<string>();
  for (const f of flows) {
    const v = evaluator.evaluate(f);
    for (const r of [...v.egress.matches, ...v.ingress.matches]) used.add(key(r));
  }
  return evaluator.allowances().filter((r) => !used.has(key(r)));
}
