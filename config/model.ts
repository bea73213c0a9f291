/**
 * The resolved platform configuration: what the Terraform stacks, the ansible renderer and the
 * charts read. Every value is final (defaults applied, IPs assigned, names derived, cross-field
 * checks passed) and the object is deeply frozen, so no consumer can change what another sees.
 */
import type { CLOUD_PROVIDERS, GITOPS_TOOLS, SERVER_GROUP_POLICIES } from './schema';
import type { TrackId } from './tracks';

/** Role of a cluster node. */
export type NodeRole = 'master' | 'worker';

/** Terraform provider the infrastructure stack is written for. */
export type CloudProvider = (typeof CLOUD_PROVIDERS)[number];

/** Server group policy of a node role. */
export type ServerGroupPolicy = (typeof SERVER_GROUP_POLICIES)[number];

/** One machine of the cluster. */
export interface ClusterNode {
  /** Node name: instance name, hostname and Kubernetes node name (e.g. `master-1`). */
  readonly name: string;
  readonly role: NodeRole;
  /** 1-based position within its role. */
  readonly index: number;
  /** Fixed private IP of the node's port. */
  readonly privateIp: string;
  /** Instance flavor name. */
  readonly flavor: string;
  /** Boot volume size in GB. */
  readonly volumeSize: number;
  /** Boot volume type, when not the cloud's default. */
  readonly volumeType?: string;
  /** Whether the node gets a floating IP. */
  readonly publicIp: boolean;
  /** Whether this node serves NFS (the seed: master-1). */
  readonly nfsServer: boolean;
}

/** One group of nodes of a role, with what the role shares. */
export interface NodeGroup {
  readonly role: NodeRole;
  readonly nodes: readonly ClusterNode[];
  /** Always "none" on kakaocloud (Kakao's provider has no server groups). */
  readonly serverGroupPolicy: ServerGroupPolicy;
}

/** A listener of a load balancer forwarding to one port on each member. */
export interface LbListener {
  /** Short name used in resource names (`api`, `etcd`, `http`, `https`, or the port). */
  readonly name: string;
  /** Port the load balancer listens on. */
  readonly port: number;
  /** Port on the members traffic goes to. */
  readonly targetPort: number;
  /** Health check of the pool. */
  readonly monitor: { readonly type: 'TCP' } | { readonly type: 'HTTPS'; readonly urlPath: string; readonly expectedCodes: string };
}

/** One of the two Kakao NLBs. */
export interface LoadBalancer {
  /** `master` (API and etcd) or `worker` (ingress). */
  readonly role: NodeRole;
  /**
   * Private VIP, fixed in the config on openstack. Undefined on kakaocloud: Kakao's NLB takes no
   * VIP and reports it after apply (Terraform output), which `kpaas connect` reads.
   */
  readonly vip?: string;
  readonly listeners: readonly LbListener[];
  /** The nodes every listener's pool forwards to. */
  readonly members: readonly ClusterNode[];
  readonly publicIp: boolean;
}

export type TerraformBackend =
  | { readonly type: 'local'; readonly path: string }
  | { readonly type: 's3'; readonly bucket: string; readonly key: string; readonly endpoint: string; readonly region: string };

/** Host names of the platform (`<label>.<domain>`). */
export interface PlatformHosts {
  /** The domain itself (the seed's hosts list has it). */
  readonly apex: string;
  readonly portal: string;
  readonly harbor: string;
  readonly keycloak: string;
  readonly openbao: string;
  readonly chartmuseum: string;
}

/** The realm's groups that map to Kubernetes roles (the seed's Admin, Developers, Operators). */
export interface RealmGroups {
  readonly admins: string;
  readonly developers: string;
  readonly operators: string;
}

/** Keycloak realm and how the API server trusts its tokens. */
export interface Identity {
  readonly realm: string;
  /** `https://keycloak.<domain>/auth/realms/<realm>`: Keycloak is served under `/auth`. */
  readonly issuerUrl: string;
  /** Public client kubectl logs in with (kubelogin, PKCE). */
  readonly kubernetesClientId: string;
  readonly portalClientId: string;
  readonly harborClientId: string;
  readonly usernameClaim: string;
  /** Prefix so OIDC users can never be mistaken for built-in or certificate users. */
  readonly usernamePrefix: string;
  readonly groupsClaim: string;
  readonly groupsPrefix: string;
  readonly groups: RealmGroups;
  readonly keycloakReplicas: number;
}

/** CP-Portal settings. */
export interface PortalSettings {
  /** Registry and project of the component images, e.g. `harbor.k-paas.io/cp-portal-repository`. */
  readonly registry: string;
}

/** Where a GitOps tool finds dist in Git (`gitops`), checked by the loader. */
export interface GitopsSettings {
  readonly tool: (typeof GITOPS_TOOLS)[number];
  /** `https://...` or `ssh://...`, without credentials. */
  readonly repoURL: string;
  /** dist's folder in the repository, normalized: no `./`, no trailing `/`; `.` for the root. */
  readonly path: string;
  /** A branch, a full reference (`refs/...`) or a 40-character commit. */
  readonly revision: string;
}

/** Where the etcd snapshots are copied off the cluster (Kakao Object Storage, S3-compatible). */
export interface ObjectStorageBackup {
  readonly bucket: string;
  /** https URL without a path. */
  readonly endpoint: string;
  readonly region: string;
  /** Key prefix without leading or trailing "/": objects are `<prefix>/<cluster name>/<node>/<file>`. */
  readonly prefix: string;
  /** Snapshots kept in the bucket per master. */
  readonly keep: number;
  /** Absolute path on the masters of the operator's credentials file (never read by synth). */
  readonly credentialsFile: string;
}

export interface PlatformConfig {
  /** Cluster name, the prefix of cloud resource names. */
  readonly name: string;
  /** Base domain of the platform services. */
  readonly domain: string;
  readonly cloud: { readonly provider: CloudProvider; readonly region: string; readonly availabilityZone: string };
  /**
   * The release track (its catalog entry: config/tracks.ts `releaseTrack`), the Kubernetes patch of
   * it, and its K-PaaS release.
   */
  readonly versions: { readonly track: TrackId; readonly kubernetes: string; readonly kpaas: string };
  readonly network: {
    readonly mode: 'lookup' | 'create';
    readonly vpc: { readonly name: string; readonly cidr: string };
    readonly subnet: { readonly name: string; readonly cidr: string; readonly dnsServers: readonly string[] };
    /** External network name for floating IPs; undefined means "the one with external = true". */
    readonly externalNetwork?: string;
    readonly serviceCidr: string;
    readonly podCidr: string;
    /** First address of the service CIDR: the `kubernetes` Service. */
    readonly kubernetesServiceIp: string;
    /** Third address of the service CIDR: CoreDNS, as kubespray assigns it. */
    readonly clusterDnsIp: string;
    readonly upstreamDns: readonly string[];
  };
  readonly nodes: {
    readonly image: { readonly name: string; readonly id?: string };
    readonly sshUser: string;
    readonly masters: NodeGroup;
    readonly workers: NodeGroup;
    /** Every node, masters first, each role in index order. */
    readonly all: readonly ClusterNode[];
  };
  readonly access: {
    readonly sshSourceCidrs: readonly string[];
    readonly apiSourceCidrs: readonly string[];
    readonly httpSourceCidrs: readonly string[];
    readonly keyPair: { readonly name: string; readonly publicKey?: string };
  };
  readonly loadBalancers: {
    readonly flavorId?: string;
    /** Flavor name looked up when flavorId is unset (kakaocloud). */
    readonly flavorName: string;
    readonly securityGroups: boolean;
    readonly master: LoadBalancer;
    readonly worker: LoadBalancer;
  };
  readonly ingress: { readonly ip: string; readonly httpNodePort: number; readonly httpsNodePort: number };
  readonly metallb: {
    /** The auto-assign pool, as written (`first-last`). */
    readonly pool: string;
    readonly extraRanges: readonly string[];
  };
  readonly storage: { readonly nfsServer: ClusterNode; readonly nfsPath: string };
  /** Fully qualified host names of the platform services, all behind the ingress. */
  readonly hosts: PlatformHosts;
  readonly identity: Identity;
  readonly openbao: { readonly replicas: number };
  /** CP-Portal: where its images come from. */
  readonly portal: PortalSettings;
  /** Registry mirrors: registry host to the prefix its images are pulled from instead. */
  readonly images: { readonly mirrors: Readonly<Record<string, string>> };
  /** Where `kpaas secrets` writes, relative to the project directory. */
  readonly secrets: { readonly dir: string };
  /** etcd snapshot copies: off-site when objectStorage is set. */
  readonly backup: { readonly objectStorage?: ObjectStorageBackup };
  readonly terraform: { readonly backend: TerraformBackend };
  /** Where Argo CD or Flux reads dist from; undefined writes no dist/gitops. */
  readonly gitops?: GitopsSettings;
}
