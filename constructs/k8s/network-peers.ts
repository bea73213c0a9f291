/**
 * NetworkPolicy building blocks shared by the charts. Calico applies policy after kube-proxy's
 * DNAT, so traffic to a Service is matched on the backends' addresses and ports.
 */
import type { PlatformConfig } from '../../config';
import { IntOrString, NetworkPolicyEgressRule } from '../../imports/k8s';

/** kubespray's nodelocaldns address: pods resolve through it on their node. */
export const NODELOCALDNS_IP = '169.254.25.10';

/** DNS: CoreDNS pods in kube-system and the node-local cache. */
export function dnsEgress(): NetworkPolicyEgressRule {
  return {
    to: [
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } },
      { ipBlock: { cidr: `${NODELOCALDNS_IP}/32` } },
    ],
    ports: tcpUdp(53),
  };
}

/** The Kubernetes API: every master's API server, and the `kubernetes` Service address. */
export function apiServerEgress(config: PlatformConfig): NetworkPolicyEgressRule {
  return {
    to: [
      ...config.nodes.masters.nodes.map((n) => ({ ipBlock: { cidr: `${n.privateIp}/32` } })),
      { ipBlock: { cidr: `${config.network.kubernetesServiceIp}/32` } },
    ],
    ports: [tcp(6443), tcp(443)],
  };
}

/** A TCP port of a NetworkPolicy rule. */
export function tcp(port: number): { protocol: string; port: IntOrString } {
  return { protocol: 'TCP', port: IntOrString.fromNumber(port) };
}

function tcpUdp(port: number): Array<{ protocol: string; port: IntOrString }> {
  return [{ protocol: 'UDP', port: IntOrString.fromNumber(port) }, tcp(port)];
}
