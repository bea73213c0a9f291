/**
 * NetworkPolicy building blocks shared by the charts. Calico applies policy after kube-proxy's
 * DNAT, so traffic to a Service is matched on the backends' addresses and ports.
 */
import { ingressPlacement, PLATFORM, PlatformConfig } from '../../config';
import { IntOrString, NetworkPolicyEgressRule, NetworkPolicyPeer } from '../../imports/k8s';

/** kubespray's nodelocaldns address: pods resolve through it on their node. */
export const NODELOCALDNS_IP = PLATFORM.dns.nodelocalDnsIp;

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
    ports: [tcp(PLATFORM.apiServerPort), tcp(443)],
  };
}

/** A TCP port of a NetworkPolicy rule. */
export function tcp(port: number): { protocol: string; port: IntOrString } {
  return { protocol: 'TCP', port: IntOrString.fromNumber(port) };
}

function tcpUdp(port: number): Array<{ protocol: string; port: IntOrString }> {
  return [{ protocol: 'UDP', port: IntOrString.fromNumber(port) }, tcp(port)];
}

/**
 * Traffic from the ingress controller: kubespray's ingress-nginx addon namespace, or Envoy
 * Gateway's proxy pods in its namespace (config/platform.ts INGRESS_PLACEMENTS).
 */
export function fromIngressController(config: PlatformConfig): NetworkPolicyPeer {
  const ingress = ingressPlacement(config);
  return {
    namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': ingress.namespace } },
    ...(ingress.podLabels ? { podSelector: { matchLabels: { ...ingress.podLabels } } } : {}),
  };
}

/** Pods of the same namespace with these labels. */
export function podsWith(labels: Record<string, string>): NetworkPolicyPeer {
  return { podSelector: { matchLabels: labels } };
}

/** Pods of another namespace with these labels. */
export function podsIn(namespace: string, labels: Record<string, string>): NetworkPolicyPeer {
  return { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': namespace } }, podSelector: { matchLabels: labels } };
}

/**
 * The platform's public names resolve to the ingress IP in the cluster (the portal and Harbor
 * reach Keycloak by its public name); traffic to it is DNATed to the controller pods, which
 * Calico matches after DNAT, so the controller's namespace is the peer.
 */
export function toIngressController(config: PlatformConfig): NetworkPolicyEgressRule {
  const { ports } = ingressPlacement(config);
  return { to: [fromIngressController(config)], ports: [tcp(ports.https), tcp(ports.http)] };
}

/**
 * The platform's public names over HTTPS only: for clients that call an HTTPS URL (an OIDC
 * issuer), which never need the controller's plain-HTTP port.
 */
export function toIngressControllerHttps(config: PlatformConfig): NetworkPolicyEgressRule {
  return { to: [fromIngressController(config)], ports: [tcp(ingressPlacement(config).ports.https)] };
}
