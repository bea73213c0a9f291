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
    /** The pool holding only the ingress IP, offered only to the ingress controller's namespace (serviceAllocation). */
    ingressPool: 'ingress-nginx',
    l2Advertisement: 'kpaas-l2',
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
  },
  ingress: {
    /** Namespace of kubespray's ingress-nginx addon: the only source of ingress traffic to the services. */
    namespace: 'ingress-nginx',
    className: 'nginx',
  },
  /** How the CP-Portal's images expect OpenBao: the AppRole they log in with and their KV engine. */
  portal: {
    openbaoRole: 'cp_role',
    openbaoKv: 'secret',
  },
} as const;

/**
 * File name of the platform CA's certificate in the secrets folder: `kpaas secrets` writes it, the
 * playbooks and the OpenBao stack read it by this name.
 */
export const CA_CERT_FILE = 'ca.crt';

/**
 * Host of Kakao Object Storage's API (its S3-compatible API included) in a region:
 * `https://objectstorage.{region_name}.kakaocloud.com/` (docs.kakaocloud.com/en/service/storage/object-storage/api/bss-api-os-s3,
 * "API call method"; kr-central-2's in .../api/bss-api-os-ov, "Endpoint").
 */
export const OBJECT_STORAGE_HOST = (region: string): string => `objectstorage.${region}.kakaocloud.com`;
