/**
 * The connections the platform's programs make, per component: who opens it, to whom, on which
 * port, and the upstream file where the program opens it (at the version we pin). The
 * NetworkPolicies of dist/manifests must allow each of these, in both directions, and allow
 * nothing else (test/contracts/connections.test.ts).
 *
 * Ports are the ports the traffic arrives on at the destination: Calico applies policy after
 * kube-proxy's DNAT, so a connection to a Service is a connection to its backends' container port.
 * Pods are named by namespace and labels (the charts' selector labels); the test checks that each
 * names at least one pod template.
 */
import type { UpstreamFile } from './images';

/** One end of a connection. */
export type Peer =
  /**
   * The pods of a namespace whose labels include these. `hypothetical` marks pods the platform
   * does not run itself but provides for (e.g. an operator's job that logs in to OpenBao), with why.
   */
  | { readonly kind: 'pods'; readonly namespace: string; readonly labels: Readonly<Record<string, string>>; readonly hypothetical?: string }
  /** A pod of any namespace, including applications' namespaces the platform does not manage. */
  | { readonly kind: 'any-pod' }
  /**
   * The ingress controller's pods: kubespray's ingress-nginx controller, or Envoy Gateway's proxies
   * (config/platform.ts INGRESS_PLACEMENTS). A connection to it names the ingress IP's port (80,
   * 443); the policies translate it to the pods' port (ingressTargetPort).
   */
  | { readonly kind: 'ingress-controller' }
  /** The Kubernetes API server on the masters (host network). */
  | { readonly kind: 'kube-apiserver' }
  /** The cluster DNS: nodelocaldns on every node, CoreDNS behind it. */
  | { readonly kind: 'dns' }
  /** The master load balancer's address (Kakao NLB VIP) on the API port. */
  | { readonly kind: 'master-lb' }
  /** The cluster's nodes (host network). */
  | { readonly kind: 'nodes' }
  /** Addresses outside the cluster: the internet, cloud APIs, other clusters. */
  | { readonly kind: 'outside-cluster' };

/** Where the program opens the connection, or why that could not be read offline. */
export type Opener = UpstreamFile | { readonly unverified: string; readonly see?: UpstreamFile };

export interface Connection {
  /** Platform component that declares it (the owner of the client side). */
  readonly component: string;
  /** Short, unique name of the connection, e.g. `harbor-jobservice -> harbor-postgres`. */
  readonly name: string;
  readonly from: Peer;
  readonly to: Peer;
  readonly port: number;
  readonly protocol: 'TCP' | 'UDP';
  /** What the connection is for. */
  readonly why: string;
  readonly opens: Opener;
}

// ---------------------------------------------------------------------------------------------
// Building blocks of the services' connection lists (platform/<service>/*-connections.ts)

/** The pods of a namespace whose labels include these. */
export const podsPeer = (namespace: string, labels: Record<string, string>): Peer => ({ kind: 'pods', namespace, labels });
/** The selector labels of a component (`app.kubernetes.io/name`, `app.kubernetes.io/component`). */
export const appLabels = (name: string, component?: string): Record<string, string> => ({ 'app.kubernetes.io/name': name, ...(component ? { 'app.kubernetes.io/component': component } : {}) });

export const INGRESS: Peer = { kind: 'ingress-controller' };
export const API: Peer = { kind: 'kube-apiserver' };
export const OUTSIDE: Peer = { kind: 'outside-cluster' };

/** The version of kubespray whose templates decide the pods' resolver. */
const KUBESPRAY = { repo: 'kubernetes-sigs/kubespray', ref: 'v2.28.1' } as const;

/**
 * The connections every platform namespace has: name resolution, beside its default-deny policy
 * (the namespace's own allow-dns policy carries them).
 */
export function namespaceConnections(namespace: string): Connection[] {
  return (['UDP', 'TCP'] as const).map((protocol): Connection => ({
    component: namespace,
    name: `${namespace} pods -> dns (${protocol})`,
    from: podsPeer(namespace, {}),
    to: { kind: 'dns' },
    port: 53,
    protocol,
    why: 'every program resolves Service and platform names (TCP for large answers)',
    opens: { ...KUBESPRAY, path: 'roles/kubernetes/node/templates/kubelet-config.v1beta1.yaml.j2', note: 'clusterDNS is nodelocaldns_ip when enable_nodelocaldns, else the CoreDNS Service: the pods\' resolv.conf' },
  }));
}

/** The upstream reference of a connection, for messages. */
export function openerText(o: Opener): string {
  if ('unverified' in o) return `unverified: ${o.unverified}${o.see ? ` (see ${o.see.repo}@${o.see.ref}:${o.see.path})` : ''}`;
  return `${o.repo}@${o.ref}:${o.path}${o.note ? ` (${o.note})` : ''}`;
}
