import { ENVOY_GATEWAY_LISTENER_PORTS } from './contracts/envoy-gateway';
import type { IngressController } from './tracks';

/**
 * Names the outputs share that are not user settings: the Terraform stack, the ansible group_vars
 * and the manifests must agree on them, so each is written here once.
 */
export const PLATFORM = {
  /** The Kubernetes API server's port on every master (and the master LB's API listener). */
  apiServerPort: 6443,
  /**
   * Name of the API endpoint behind the master LB, as the seed's hosts list has it: kubespray's
   * apiserver_loadbalancer_domain_name, and the name the docs tell users to map.
   */
  apiEndpointName: 'cluster-endpoint',
  keycloak: {
    /** Keycloak is served under this path, as the CP-Portal's settings expect (and the issuer URL says). */
    relativePath: '/auth',
  },
  openbao: {
    /** OpenBao's API and UI port (TLS). */
    apiPort: 8200,
    /**
     * Mount paths of the auth methods the configuration stack enables, and which the injected
     * agents (AGENT_INJECT_VAULT_AUTH_PATH) and `kpaas portal register` use.
     */
    authMounts: { kubernetes: 'kubernetes', approle: 'approle' },
    /**
     * The ServiceAccount every platform namespace provides for pods that log in to OpenBao with
     * Kubernetes auth (the injected agent presents the pod's token): the namespace's role binds
     * exactly this account. The platform's own pods run without tokens and never use it.
     */
    clientServiceAccount: 'openbao-client',
    /** Pods with this label may reach OpenBao's API from a platform namespace (beside default-deny). */
    clientLabel: { key: 'kpaas.io/openbao-client', value: 'true' },
  },
  metallb: {
    /** Namespace of kubespray's MetalLB addon; the address pools live in it. */
    namespace: 'metallb-system',
    /** The auto-assign pool (metallb.pool and metallb.extraRanges). */
    defaultPool: 'kpaas-pool',
    l2Advertisement: 'kpaas-l2',
    /**
     * The annotation a LoadBalancer Service asks MetalLB for its address with: `metallb.io/`, as
     * metallb/metallb@v0.14.9:controller/service.go names it (AnnotationLoadBalancerIPs; the
     * `metallb.universe.tf/` name is its deprecated one, still read). Every track runs v0.14.9.
     */
    ipAnnotation: 'metallb.io/loadBalancerIPs',
  },
  storage: {
    /** Provisioner name, as K-PaaS v1.6.2 names it. */
    provisionerName: 'cp-nfs-provisioner',
    namespace: 'nfs-provisioner',
    /** The seed's class: ReadWriteMany-capable, reclaim Delete, the cluster default (K-PaaS's name). */
    sharedClass: 'cp-storageclass',
    /** Reclaim Retain, for the platform's databases: deleting a claim never deletes the data. */
    retainClass: 'cp-storageclass-retain',
    /** NFS mount options of the volumes: the seed's tuning (rsize/wsize 1 MiB). */
    mountOptions: ['nfsvers=4.1', 'rsize=1048576', 'wsize=1048576', 'hard', 'noatime'],
  },
  dns: {
    /** kubespray's node-local DNS cache address: pods resolve through it (group_vars and NetworkPolicies). */
    nodelocalDnsIp: '169.254.25.10',
    /**
     * The cluster's DNS domain: kubespray's default `cluster_name` (its `dns_domain`), which the
     * group_vars leave alone (kubespray@v2.28.1..v2.31.0:roles/kubespray_defaults/defaults/main/main.yml).
     */
    clusterDomain: 'cluster.local',
  },
  /** How the CP-Portal's images expect OpenBao: the AppRole they log in with and their KV engine. */
  portal: {
    openbaoRole: 'cp_role',
    openbaoKv: 'secret',
    /** The Harbor project the images are pushed to and pulled from by default (K-PaaS's name). */
    imageProject: 'cp-portal-repository',
  },
} as const;

/**
 * The ingress IP's ports, whichever controller serves it: HTTP (redirected to HTTPS) and HTTPS,
 * behind the worker load balancer's NodePorts. Connections to the ingress name these.
 */
export const INGRESS_PORTS = { http: 80, https: 443 } as const;

/**
 * The URL of a platform name (config.hosts) as browsers, the CLI and other services reach it:
 * through the ingress, which terminates TLS on the default port.
 */
export function platformUrl(host: string, path = ''): string {
  return `https://${host}${path}`;
}

/** Where an ingress controller's traffic comes from, as the MetalLB pool and the NetworkPolicies see it. */
export interface IngressPlacement {
  /** Namespace of the pods that carry the traffic: the only source of ingress traffic to the services. */
  readonly namespace: string;
  /** Labels of those pods within the namespace. @default none: every pod of the namespace */
  readonly podLabels?: Readonly<Record<string, string>>;
  /**
   * Container ports the ingress IP's HTTP and HTTPS ports arrive on after kube-proxy's DNAT (what
   * a pod's egress to a platform name must allow).
   */
  readonly ports: { readonly http: number; readonly https: number };
  /** The MetalLB pool holding only the ingress IP, offered only to `namespace` (serviceAllocation). */
  readonly pool: string;
  /** IngressClass (ingress-nginx) or GatewayClass (envoy-gateway) name. */
  readonly className: string;
  /**
   * The Gateway the routes attach to (envoy-gateway): in `namespace`, with the plain-HTTP listener
   * that redirects to HTTPS; each platform host's HTTPS listener comes from a ListenerSet in the
   * host's own namespace, beside its certificate Secret. @default none (Ingress objects)
   */
  readonly gateway?: { readonly name: string; readonly httpListener: string };
  /**
   * Whether dist/manifests must be applied server-side: the Gateway API and Envoy Gateway CRDs are
   * larger than the last-applied annotation client-side apply writes (256 KiB).
   */
  readonly serverSideApply: boolean;
}

/**
 * Per ingress controller (`ingress.controller`), where its traffic comes from.
 * - ingress-nginx: kubespray's addon (roles/kubernetes-apps/ingress_controller/ingress_nginx),
 *   its controller pods listen on 80 and 443 themselves.
 * - envoy-gateway: the Envoy proxies Envoy Gateway v1.9.0 deploys in its own namespace (the
 *   default `ControllerNamespace` deploy type), labelled by EnvoyAppLabel
 *   (envoyproxy/gateway@v1.9.0:internal/infrastructure/kubernetes/proxy/resource.go); a listener
 *   port below 1024 is served on port + 10000 (ENVOY_GATEWAY_LISTENER_PORTS).
 */
export const INGRESS_PLACEMENTS: Readonly<Record<IngressController, IngressPlacement>> = {
  'ingress-nginx': { namespace: 'ingress-nginx', ports: INGRESS_PORTS, pool: 'ingress-nginx', className: 'nginx', serverSideApply: false },
  'envoy-gateway': {
    namespace: 'envoy-gateway-system',
    podLabels: { 'app.kubernetes.io/name': 'envoy', 'app.kubernetes.io/component': 'proxy', 'app.kubernetes.io/managed-by': 'envoy-gateway' },
    ports: { http: INGRESS_PORTS.http + ENVOY_GATEWAY_LISTENER_PORTS.shift, https: INGRESS_PORTS.https + ENVOY_GATEWAY_LISTENER_PORTS.shift },
    pool: 'envoy-gateway',
    className: 'envoy-gateway',
    gateway: { name: 'kpaas', httpListener: 'http' },
    serverSideApply: true,
  },
};

/** The command that applies dist/manifests (at `dir`) for the configured ingress controller. */
export function manifestsApplyCommand(config: { readonly ingress: { readonly controller: IngressController } }, dir = 'dist/manifests'): string {
  return `kubectl apply ${ingressPlacement(config).serverSideApply ? '--server-side ' : ''}-k ${dir}`;
}

/** File name (without `.yaml`) of the namespaces chart in dist/manifests: applied before every service. */
export const NAMESPACES_MANIFEST = '00-namespaces';

/** Folder of the secrets folder that holds the Secret manifests and their kustomization. */
export const SECRETS_MANIFESTS_DIR = 'manifests';

/**
 * The commands that apply the platform from the project directory: the namespaces first, then the
 * Secrets they hold (not in dist), then all of dist/manifests; a Pod started before its Secret waits.
 */
export function platformApplyCommands(config: { readonly ingress: { readonly controller: IngressController }; readonly secrets: { readonly dir: string } }, dir = 'dist/manifests'): readonly string[] {
  return [`kubectl apply -f ${dir}/${NAMESPACES_MANIFEST}.yaml`, `kubectl apply -k ${config.secrets.dir}/${SECRETS_MANIFESTS_DIR}`, manifestsApplyCommand(config, dir)];
}

/** Where the configured ingress controller's traffic comes from. */
export function ingressPlacement(config: { readonly ingress: { readonly controller: IngressController } }): IngressPlacement {
  return INGRESS_PLACEMENTS[config.ingress.controller];
}

/**
 * The port a connection to the ingress IP's `port` (80 or 443) arrives on at the controller's
 * pods, which is what a NetworkPolicy matches (Calico applies policy after kube-proxy's DNAT).
 */
export function ingressTargetPort(config: { readonly ingress: { readonly controller: IngressController } }, port: number): number {
  const { ports } = ingressPlacement(config);
  return port === INGRESS_PORTS.http ? ports.http : port === INGRESS_PORTS.https ? ports.https : port;
}

/**
 * File name of the platform CA's certificate in the secrets folder: `kpaas secrets` writes it, the
 * playbooks and the OpenBao stack read it by this name.
 */
export const CA_CERT_FILE = 'ca.crt';

/**
 * Endpoint of Kakao Object Storage's API (its S3-compatible API included) in a region:
 * `https://objectstorage.{region_name}.kakaocloud.com/` (docs.kakaocloud.com/en/service/storage/object-storage/api/bss-api-os-s3,
 * "API call method"; kr-central-2's in .../api/bss-api-os-ov, "Endpoint").
 */
export const OBJECT_STORAGE_ENDPOINT = (region: string): string => `https://objectstorage.${region}.kakaocloud.com`;
