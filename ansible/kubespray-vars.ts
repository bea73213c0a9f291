/**
 * kubespray group_vars reproducing K-PaaS's standalone cluster settings and the seed, for the
 * kubespray release of the configuration's release track (config/tracks.ts; the seed's: v2.28.1,
 * K-PaaS v1.6.2). Only variables that release reads are written here, each under its upstream
 * name; where names differ between releases the track's entry says which are written. The values
 * come from the resolved config, PLATFORM's shared names, or the tuning constants of node-tuning.ts.
 */
import * as path from 'path';
import { INGRESS_PLACEMENTS, PLATFORM, type PlatformConfig } from '../config';
import { DEFAULT_TRACK, kpaasSettingsOf, releaseTrack, type ReleaseTrack } from '../config/tracks';
import { apiListener, kubesprayKubeVersion } from './checks';
import { ETCD_RESTORE } from './kpaas-vars';
import { NODE_NETWORK_MTU, VXLAN_OVERHEAD } from './node-tuning';

/**
 * CA bundle the API server verifies Keycloak's certificate with: the OS store, which the CA-trust
 * playbook extends with the platform CA. It always exists, so the API server starts even before
 * the platform CA is made, and kubeadm already mounts /etc/ssl/certs into the API server pod.
 */
export const OIDC_CA_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';

/** MetalLB annotation that pins a LoadBalancer Service's address (MetalLB 0.13 to 0.15 read it). */
export const METALLB_IP_ANNOTATION = PLATFORM.metallb.ipAnnotation;

/**
 * K-PaaS's TLS cipher suites (v1.6.2 and v1.7.0): ECDHE with AEAD ciphers only. The same six suites
 * are its `tls_cipher_suites` (inventory/mycluster/group_vars/k8s_cluster/k8s-cluster.yml) and its
 * `etcd_tls_cipher_suites` (its fork's etcd defaults); config/tracks.ts `installer.settings` names the files.
 */
export const TLS_CIPHER_SUITES: readonly string[] = Object.freeze([
  'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256',
  'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256',
]);

/**
 * K-PaaS's EventRateLimit admission settings, v1.6.2 and v1.7.0 alike (its fork's
 * roles/kubernetes/control-plane/defaults/main/main.yml `kube_apiserver_admission_event_rate_limits`),
 * in kubespray v2.28.1's shape (rendered by roles/kubernetes/control-plane/templates/eventratelimit.yaml.j2).
 */
export const EVENT_RATE_LIMITS = Object.freeze({
  limit_1: { type: 'Namespace', qps: 50, burst: 100, cache_size: 2000 },
  limit_2: { type: 'User', qps: 10, burst: 50 },
});

/**
 * Where kubespray keeps what it generates once and must find again (the Secrets encryption key
 * `kube_encrypt_token.creds`, kubeadm's certificate key): below the project's secrets folder, never
 * in dist (synth replaces dist, and plain `ansible -i dist/ansible/inventory` would read a file
 * there as a host). kubespray v2.28.1 resolves `credentials_dir` against `inventory_dir`
 * (roles/kubespray_defaults/defaults/main/main.yml), so the path is relative to the inventory.
 */
export const KUBESPRAY_CREDENTIALS_FOLDER = 'kubespray-credentials';

export function kubesprayCredentialsDir(config: PlatformConfig, projectPath = '..'): string {
  // the inventory is <dist>/ansible/inventory; projectPath leads from <dist> to the project
  return `{{ inventory_dir }}/${path.posix.normalize(`../../${projectPath}/${config.secrets.dir}/${KUBESPRAY_CREDENTIALS_FOLDER}`)}`;
}

/**
 * Why a variable has its value, written above it in the generated file, for a release track: its
 * kubespray release, and the K-PaaS release whose settings it carries (config/tracks.ts
 * `kpaasSettingsOf`: the track's own, or on the upstream track those of the track before it).
 */
export function varNotes(track: ReleaseTrack): Readonly<Record<string, string>> {
  const kubespray = track.kubespray.version;
  const series = kubespray.split('.').slice(0, 2).join('.');
  const source = kpaasSettingsOf(track);
  const as = source.inherited ? `As K-PaaS ${source.kpaas} (the track before this one)` : `As K-PaaS ${source.kpaas}`;
  return Object.freeze({
  metallb_enabled: `Off: kubespray ${kubespray}'s addon installs MetalLB v0.13.9 only; playbooks/metallb.yml installs the pinned release after cluster.yml.`,
  credentials_dir: "Outside dist, in the git-ignored secrets folder: it holds the key Secrets are encrypted with in etcd. Keep it with your backups.",
  kubelet_rotate_server_certificates: `${as}: kubelets get serving certificates from the cluster CA; kubespray's kubelet-csr-approver approves them.`,
  kubelet_csr_approver_values: 'Approve serving certificates only for this cluster\'s node names and subnet; node names are not in DNS, so no DNS check.',
  kube_apiserver_enable_admission_plugins: `${as}.`,
  kube_apiserver_admission_event_rate_limits: `${as}.`,
  kube_pod_security_default_enforce: `${as}: namespaces without labels are not restricted; the platform namespaces of dist/manifests set their own level.`,
  kube_encryption_algorithm: "kubespray's default, not K-PaaS's aescbc (Kubernetes advises against CBC: padding oracles).",
  etcd_tls_cipher_suites: `${as}: the same suites as the API server.`,
  crio_registries: "No unqualified search registries (kubespray's default, not K-PaaS's): images are named in full; a short name fails.",
  calico_mtu: `VPC MTU minus the VXLAN header. kubespray ${kubespray} writes the MTU into calico-node only when calico_mtu is defined, and uses it as the CNI config's mtu.`,
  nodelocaldns_ip: 'The same address the NetworkPolicies of dist/manifests allow for DNS.',
  searchdomains: `${as}: host-network pods resolve short Service names too.`,
  tls_cipher_suites: `${as}: ECDHE with AEAD ciphers only.`,
  loadbalancer_apiserver: 'The master LB forwards to every API server, so kubespray sets up no per-node API proxy.',
  apiserver_loadbalancer_domain_name: 'kubespray maps this name to the LB VIP in /etc/hosts and adds it to the certificate.',
  kube_version: `kubespray ${series} wants the version without the leading "v".`,
  kube_proxy_strict_arp: 'MetalLB layer 2 needs ipvs to leave ARP for LoadBalancer IPs to the speakers.',
  supplementary_addresses_in_ssl_keys: 'API certificate: the LB VIP and every master; kpaas connect adds the LB public IP.',
  kube_oidc_url: 'Keycloak realm and client the platform manifests create.',
  kube_oidc_ca_file: 'The OS bundle: it always exists, and the CA-trust playbook adds the platform CA to it.',
  calico_veth_mtu: 'The same: pods and the VXLAN device use the MTU left after the VXLAN header.',
  metrics_server_enabled: "The platform's HorizontalPodAutoscalers read it.",
  dns_etchosts: 'CoreDNS and nodelocaldns answer the platform names with the ingress IP, so pods reach Keycloak and Harbor by their public names.',
  ingress_nginx_namespace: "The platform services' NetworkPolicies admit ingress traffic from this namespace.",
  ingress_nginx_service_annotations: 'MetalLB gives the controller the configured ingress IP; the worker LB targets the NodePorts.',
  });
}

/** The notes for the seed's kubespray (the default release track). */
export const VAR_NOTES: Readonly<Record<string, string>> = varNotes(releaseTrack(DEFAULT_TRACK));

/** Addresses the API server certificate must carry besides kubespray's own: the LB VIP and every master. */
export function apiServerSans(config: PlatformConfig, extra: readonly string[] = []): string[] {
  // on kakaocloud the VIP is known only after terraform apply: kpaas connect adds it
  const vip = config.loadBalancers.master.vip;
  const sans = [...(vip ? [vip] : []), ...config.nodes.masters.nodes.map((n) => n.privateIp), ...extra];
  return sans.filter((s, i) => sans.indexOf(s) === i);
}

/**
 * The hosts file kubespray gives CoreDNS and nodelocaldns (their `hosts` plugin, with fallthrough):
 * every platform name at the ingress IP, the same line the nodes' /etc/hosts gets.
 */
export function dnsEtcHosts(config: PlatformConfig, platformHostnames: readonly string[]): string {
  return `${config.ingress.ip} ${platformHostnames.join(' ')}\n`;
}

/** group_vars/all: what every host (including etcd-only ones) must agree on. */
export function allVars(config: PlatformConfig): Record<string, unknown> {
  const api = apiListener(config);
  const vip = config.loadBalancers.master.vip;
  return {
    apiserver_loadbalancer_domain_name: PLATFORM.apiEndpointName,
    // on kakaocloud the VIP is known only after terraform apply: kpaas connect writes it as a host variable
    ...(vip ? { loadbalancer_apiserver: { address: vip, port: api.port } } : {}),
    upstream_dns_servers: [...config.network.upstreamDns],
  };
}

/** group_vars/all/etcd.yml: etcd as a systemd service on the masters (stacked), where the backups expect it. */
export function etcdVars(): Record<string, unknown> {
  return {
    etcd_deployment_type: 'host',
    etcd_data_dir: ETCD_RESTORE.dataDir,
    etcd_tls_cipher_suites: [...TLS_CIPHER_SUITES],
  };
}

/** group_vars/k8s_cluster/k8s-cluster.yml */
export function k8sClusterVars(config: PlatformConfig, platformHostnames: readonly string[], projectPath = '..'): Record<string, unknown> {
  const api = apiListener(config);
  const oidc = config.identity;
  return {
    kube_version: kubesprayKubeVersion(config),
    container_manager: 'crio',
    kube_network_plugin: 'calico',
    kube_service_addresses: config.network.serviceCidr,
    kube_pods_subnet: config.network.podCidr,
    kube_apiserver_ip: config.network.kubernetesServiceIp,
    kube_apiserver_port: api.targetPort,
    kube_proxy_mode: 'ipvs',
    kube_proxy_strict_arp: true,
    kube_encrypt_secret_data: true,
    kube_encryption_algorithm: 'secretbox',
    credentials_dir: kubesprayCredentialsDir(config, projectPath),
    kubernetes_audit: true,
    kube_apiserver_enable_admission_plugins: ['NodeRestriction', 'PodSecurity', 'EventRateLimit'],
    kube_apiserver_admission_control_config_file: true,
    kube_apiserver_admission_event_rate_limits: structuredClone(EVENT_RATE_LIMITS),
    kube_pod_security_use_default: true,
    kube_pod_security_default_enforce: 'privileged',
    kube_pod_security_default_audit: 'restricted',
    kube_pod_security_default_warn: 'restricted',
    kubelet_rotate_server_certificates: true,
    kubelet_csr_approver_values: kubeletCsrApproverValues(config),
    crio_registries: [],
    dns_mode: 'coredns',
    enable_nodelocaldns: true,
    nodelocaldns_ip: PLATFORM.dns.nodelocalDnsIp,
    skydns_server: config.network.clusterDnsIp,
    searchdomains: ['svc.{{ cluster_name }}', 'default.svc.{{ cluster_name }}'],
    tls_cipher_suites: [...TLS_CIPHER_SUITES],
    dns_etchosts: dnsEtcHosts(config, platformHostnames),
    supplementary_addresses_in_ssl_keys: apiServerSans(config),
    kube_oidc_auth: true,
    kube_oidc_url: oidc.issuerUrl,
    kube_oidc_client_id: oidc.kubernetesClientId,
    kube_oidc_ca_file: OIDC_CA_BUNDLE,
    kube_oidc_username_claim: oidc.usernameClaim,
    kube_oidc_username_prefix: oidc.usernamePrefix,
    kube_oidc_groups_claim: oidc.groupsClaim,
    kube_oidc_groups_prefix: oidc.groupsPrefix,
  };
}

/**
 * Values of kubespray's kubelet-csr-approver chart (postfinance/kubelet-csr-approver, chart 1.1.0 in
 * kubespray v2.28.1 roles/kubernetes-apps/kubelet-csr-approver/defaults/main.yml). The program
 * refuses to start without a provider regex; SAN names must match it and SAN IPs lie in the
 * prefixes. Node names are not in any DNS the approver can ask, so its DNS check is bypassed.
 */
export function kubeletCsrApproverValues(config: PlatformConfig): Record<string, unknown> {
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return {
    providerRegex: `^(${config.nodes.all.map((n) => escape(n.name)).join('|')})$`,
    providerIpPrefixes: [config.network.subnet.cidr],
    bypassDnsResolution: true,
  };
}

/** group_vars/k8s_cluster/k8s-net-calico.yml: VXLAN everywhere (no BGP in the VPC), MTU below the underlay's. */
export function calicoVars(): Record<string, unknown> {
  return {
    calico_network_backend: 'vxlan',
    calico_ipip_mode: 'Never',
    calico_vxlan_mode: 'Always',
    calico_mtu: NODE_NETWORK_MTU - VXLAN_OVERHEAD,
    calico_veth_mtu: NODE_NETWORK_MTU - VXLAN_OVERHEAD,
  };
}

/**
 * group_vars/k8s_cluster/addons.yml. ingress-nginx is kubespray's addon only where the track's
 * kubespray has it (its entry's `kubesprayNames.ingressNginxPrefix`): v2.31 removed the addon and
 * would ignore its variables. With `ingress.controller: envoy-gateway` the addon is turned off
 * explicitly where it exists: Envoy Gateway from dist/manifests takes the ingress IP and NodePorts.
 */
export function addonVars(config: PlatformConfig): Record<string, unknown> {
  const ingress = releaseTrack(config.versions.track).kubesprayNames.ingressNginxPrefix;
  return {
    helm_enabled: true,
    metrics_server_enabled: true,
    metallb_enabled: false,
    ...(ingress ? (config.ingress.controller === 'ingress-nginx' ? ingressNginxVars(config) : { ingress_nginx_enabled: false }) : {}),
  };
}

/** kubespray's ingress-nginx addon as a LoadBalancer Service on the ingress IP and the worker LB's NodePorts. */
function ingressNginxVars(config: PlatformConfig): Record<string, unknown> {
  return {
    ingress_nginx_enabled: true,
    ingress_nginx_namespace: INGRESS_PLACEMENTS['ingress-nginx'].namespace,
    ingress_nginx_service_type: 'LoadBalancer',
    ingress_nginx_service_annotations: { [METALLB_IP_ANNOTATION]: config.ingress.ip },
    ingress_nginx_service_nodeport_http: config.ingress.httpNodePort,
    ingress_nginx_service_nodeport_https: config.ingress.httpsNodePort,
    ingress_nginx_class: INGRESS_PLACEMENTS['ingress-nginx'].className,
    ingress_nginx_default: true,
  };
}
