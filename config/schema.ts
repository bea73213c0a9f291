/**
 * The configuration file's schema: the shape of `kpaas.config.yaml`, its documentation and every
 * default. The defaults are the seed architecture's cluster, so an empty (or absent) file gives
 * exactly the seed. Field-level checks live here; checks across fields (overlaps, membership of
 * the subnet, duplicates) are in resolve.ts, and both are run by the loader, in one place.
 */
import { z } from 'zod';
import { TERRAFORM_S3_BACKEND_CREDENTIAL_ENV, TERRAFORM_S3_BACKEND_KEY_RULES } from './contracts/terraform-s3-backend';
import { isIpv4, parseCidr, parseRange, rangeSize } from './net';
import { OBJECT_STORAGE_ENDPOINT } from './platform';
import { DEFAULT_TRACK, INGRESS_CONTROLLERS, TRACK_IDS, TRACKS } from './tracks';
import { VERSIONS } from './versions';

const HOSTNAME_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/;
const VERSION = /^v\d+\.\d+\.\d+$/;
/** An image repository prefix: registry host[:port], then lower-case path segments (no scheme, no tag). */
const IMAGE_REPOSITORY = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d{1,5})?(\/[a-z0-9]+([._-][a-z0-9]+)*)+$/;
/** OpenStack resource names: printable, no leading/trailing blanks. */
const RESOURCE_NAME = /^[A-Za-z0-9][A-Za-z0-9._ -]{0,62}$/;

const ipv4 = z.string().refine(isIpv4, { message: 'is not an IPv4 address (a.b.c.d)' });
const cidr = z.string().refine((s) => parseCidr(s) !== undefined, {
  message: 'is not an IPv4 CIDR block with a zero host part (e.g. 172.16.0.0/24)',
});
const range = z.string().refine((s) => parseRange(s) !== undefined, {
  message: 'is not an IPv4 range "first-last" with first <= last (e.g. 172.16.0.210-172.16.0.250)',
});
const hostnameLabel = z.string().regex(HOSTNAME_LABEL, {
  message: 'is not a valid hostname: lower-case letters, digits and "-", 1-63 characters, starting and ending with a letter or digit',
});
const resourceName = z.string().regex(RESOURCE_NAME, {
  message: 'is not a valid resource name: 1-63 letters, digits, ".", "_", "-" or spaces, starting with a letter or digit',
});
const port = z.number().int().min(1).max(65535);
const nodePort = z.number().int().min(30000, { message: 'is outside the NodePort range 30000-32767' })
  .max(32767, { message: 'is outside the NodePort range 30000-32767' });
const version = z.string().regex(VERSION, { message: 'is not a version of the form vMAJOR.MINOR.PATCH (e.g. v1.32.5)' });
const cidrList = z.array(cidr).min(1);

/** The seed's node addresses: the default `ips` of each role. */
export const SEED_NODE_IPS = {
  master: ['172.16.0.192', '172.16.0.157', '172.16.0.254'],
  worker: ['172.16.0.12', '172.16.0.78', '172.16.0.30'],
} as const;

/** Kinds of Terraform state backend. */
export const BACKEND_TYPES = ['local', 's3'] as const;

/** Policy of the per-role server group that spreads a role's instances over hypervisors. */
export const SERVER_GROUP_POLICIES = ['anti-affinity', 'soft-anti-affinity', 'none'] as const;

/** Where the masters' backup reads its object storage key by default (`backup.objectStorage.credentialsFile`). */
export const BACKUP_CREDENTIALS_FILE = '/etc/kpaas/objectstorage.env';

/** GitOps tools dist/gitops can point at dist/manifests (`gitops.tool`). */
export const GITOPS_TOOLS = ['argocd', 'flux'] as const;
/** A full commit id: both tools take it as a commit (`gitops.revision`), not as a reference name. */
export const COMMIT_SHA = /^[0-9a-f]{40}$/;

/** Terraform provider the infrastructure stack is written for. */
export const CLOUD_PROVIDERS = ['kakaocloud', 'openstack'] as const;
/** Defaults that exist only on the OpenStack target (Kakao's provider has no such setting). */
export const OPENSTACK_DEFAULTS = { serverGroupPolicy: 'anti-affinity', masterVip: '172.16.0.176', workerVip: '172.16.0.53' } as const;

/**
 * Most nodes of a role. Not a limit of the output (synth of 1000 workers is measured by `npm run
 * bench`): the real limit is the subnet, which must hold every node, both LB VIPs, the ingress IP
 * and the MetalLB ranges (a /22 holds 1022 addresses, a /21 2046).
 */
export const MAX_NODES = { master: 500, worker: 1000 } as const;
/**
 * Most entries in one list or mapping (the loader's limit): a role has at most 500 nodes, so no
 * list of a valid configuration is longer. Bounds the cross-field checks, which compare addresses
 * pairwise.
 */
export const MAX_CONFIG_ENTRIES = 500;
/** The seed's subnet and MetalLB pool: the defaults of `network.subnet.cidr` and `metallb.pool`. */
const SEED_SUBNET_CIDR = '172.16.0.0/24';
const SEED_METALLB_POOL = '172.16.0.210-172.16.0.250';
/** Where the infra stack keeps its state by default: a local file of the project, or this key of the bucket. */
const DEFAULT_STATE = { path: 'terraform-state/infra.tfstate', key: 'kpaas/infra.tfstate' } as const;
/** The seed's Kakao Cloud region: the default of `cloud.region` and of the S3 state backend's region and endpoint. */
const SEED_REGION = 'kr-central-2';

/**
 * The worker count's note on the real limit, computed as resolve.ts counts: the subnet's usable
 * addresses (without the network and broadcast addresses) hold the nodes, the two load balancers'
 * VIPs (fixed on openstack, the NLB's private_vip on kakaocloud), the ingress IP and the MetalLB
 * ranges; here the seed's masters and pool. Addresses the cloud keeps for itself (router, DHCP) are
 * not known offline and not counted.
 */
function workerLimitText(): string {
  const subnet = parseCidr(SEED_SUBNET_CIDR) as NonNullable<ReturnType<typeof parseCidr>>;
  const pool = rangeSize(parseRange(SEED_METALLB_POOL) as NonNullable<ReturnType<typeof parseRange>>);
  const masters = SEED_NODE_IPS.master.length;
  const vips = [OPENSTACK_DEFAULTS.masterVip, OPENSTACK_DEFAULTS.workerVip].length; // one per load balancer, on either target
  const beside = masters + vips + 1 + pool;
  const usable = (prefix: number) => 2 ** (32 - prefix) - 2;
  let prefix = subnet.prefix;
  while (usable(prefix) < MAX_NODES.worker + beside) prefix--;
  return `The real limit is the subnet (\`network.subnet.cidr\`): every node, LB VIP, the ingress IP and the MetalLB ranges lie in it, `
    + `so the default /${subnet.prefix} leaves room for at most ${usable(subnet.prefix) - beside} workers `
    + `(${usable(subnet.prefix)} addresses less ${masters} masters, ${vips} LB VIPs, the ingress IP and the ${pool} of the MetalLB pool; `
    + 'fewer where the cloud keeps addresses of the subnet for itself) '
    + `and ${MAX_NODES.worker} workers need a /${prefix} or larger; lists (\`ips\`, \`names\`) hold at most ${MAX_CONFIG_ENTRIES} entries, `
    + 'so more workers take `ipRange` and `namePrefix`. ';
}
const WORKER_LIMIT = workerLimitText();

function nodeGroup(role: 'master' | 'worker') {
  const seed = SEED_NODE_IPS[role];
  return z.strictObject({
    count: z.number().int().min(0).max(MAX_NODES[role]).optional()
      .describe(`Number of ${role}s, at most ${MAX_NODES[role]}. ${role === 'worker' ? WORKER_LIMIT : ''}@default the number of \`ips\` (${seed.length} in the seed)`),
    namePrefix: hostnameLabel.default(role)
      .describe(`Node names are \`<namePrefix>-1\`, \`-2\`, ... (also the instances' and Kubernetes nodes' names). @default "${role}"`),
    names: z.array(hostnameLabel).optional()
      .describe('Explicit node names, one per node, instead of `namePrefix`. @default derived from namePrefix'),
    ips: z.array(ipv4).optional()
      .describe(`Fixed private IPs, one per node, in order. @default the seed's ${seed.join(', ')} (when \`ipRange\` is not set)`),
    ipRange: range.optional()
      .describe('Take the nodes\' IPs in order from this range ("first-last") instead of listing `ips`. @default unset'),
    flavor: z.string().min(1).default('t1i.xlarge')
      .describe('Kakao Cloud instance type (flavor name); the seed\'s t1i.xlarge has 4 vCPU and 16 GB. @default "t1i.xlarge"'),
    volumeSize: z.number().int().min(20).max(16384).default(200)
      .describe('Boot volume size in GB. @default 200'),
    volumeType: z.string().min(1).optional()
      .describe('Boot volume type, where the cloud offers several. @default the cloud\'s default type'),
    publicIp: z.boolean().default(true)
      .describe('Give each node a floating (public) IP. Without it, ansible reaches the nodes through a jump host. @default true'),
    serverGroupPolicy: z.enum(SERVER_GROUP_POLICIES).optional()
      .describe('Server group policy that spreads the nodes over hypervisors (cloud.provider "openstack" only: Kakao\'s provider has no server groups). @default "anti-affinity" on openstack'),
  });
}

export const configSchema = z.strictObject({
  name: hostnameLabel.default('kpaas')
    .describe('Cluster name: the prefix of every cloud resource name (security groups, load balancers, ...). @default "kpaas"'),
  domain: z.string().regex(DOMAIN, { message: 'is not a valid DNS domain (lower-case labels separated by dots, e.g. k-paas.io)' })
    .default('k-paas.io')
    .describe('Base domain of the platform services (portal.<domain>, harbor.<domain>, ...). @default "k-paas.io"'),

  cloud: z.strictObject({
    provider: z.enum(CLOUD_PROVIDERS).default('kakaocloud')
      .describe('Terraform provider of dist/terraform/infra: "kakaocloud" (Kakao\'s own kakaoenterprise/kakaocloud 0.4.1, Terraform >= 1.14) or "openstack" (terraform-provider-openstack 3.4.0). @default "kakaocloud"'),
    region: z.string().min(1).default(SEED_REGION)
      .describe(`Kakao Cloud region (the provider's region). @default "${SEED_REGION}"`),
    availabilityZone: z.string().min(1).default(`${SEED_REGION}-a`)
      .describe(`Availability zone of the instances and load balancers. @default "${SEED_REGION}-a"`),
  }).prefault({}),

  versions: z.strictObject({
    track: z.enum(TRACK_IDS).default(DEFAULT_TRACK)
      .describe(`Release track: one consistent set of cluster versions and the kubespray variable names that go with it (config/tracks.ts). ${TRACK_IDS.map((id) => `"${id}": ${TRACKS[id].title}${TRACKS[id].unavailable ? " (not available yet)" : ""}`).join('; ')}. @default "${DEFAULT_TRACK}"`),
    kubernetes: version.optional()
      .describe(`Kubernetes version: a patch of the track's minor that its kubespray has checksums for. @default the track's (${TRACK_IDS.map((id) => `${id}: "${TRACKS[id].kubernetes.default}"`).join(', ')})`),
    kpaas: version.optional()
      .describe(`K-PaaS release; must be the track's (on a track without a K-PaaS cluster layer, ${TRACK_IDS.filter((id) => !TRACKS[id].kpaas).map((id) => `"${id}"`).join(', ')}: the platform services' release, "${VERSIONS.kpaasPortal}"). @default the track's ("${TRACKS[DEFAULT_TRACK].kpaas}" on "${DEFAULT_TRACK}")`),
  }).prefault({}),

  network: z.strictObject({
    mode: z.enum(['lookup', 'create']).default('lookup')
      .describe('"lookup": use the VPC subnet made in the console (found by name and CIDR), as Kakao\'s tutorials do; "create": create network, subnet and router. @default "lookup"'),
    vpc: z.strictObject({
      name: resourceName.default('test-kpaas').describe('VPC (network) name. @default "test-kpaas"'),
      cidr: cidr.default('172.16.0.0/16').describe('VPC CIDR: the source of the cluster-internal security-group rules. @default "172.16.0.0/16"'),
    }).prefault({}),
    subnet: z.strictObject({
      name: resourceName.default('main_subnet').describe('Subnet name. @default "main_subnet"'),
      cidr: cidr.default(SEED_SUBNET_CIDR).describe(`Subnet CIDR; every node, LB VIP and MetalLB address lies in it. @default "${SEED_SUBNET_CIDR}"`),
      dnsServers: z.array(ipv4).default([])
        .describe('DNS servers of a created subnet (mode "create" only); empty means the cloud\'s resolver. @default []'),
    }).prefault({}),
    externalNetwork: z.string().min(1).optional()
      .describe('Name of the external network floating IPs come from. @default the network with external = true'),
    serviceCidr: cidr.default('10.233.0.0/18').describe('Kubernetes Service CIDR. @default "10.233.0.0/18"'),
    podCidr: cidr.default('10.233.64.0/18').describe('Pod CIDR (Calico). @default "10.233.64.0/18"'),
    upstreamDns: z.array(ipv4).min(1).default(['8.8.8.8', '8.8.4.4'])
      .describe('Upstream resolvers CoreDNS forwards to. @default ["8.8.8.8", "8.8.4.4"]'),
  }).prefault({}),

  nodes: z.strictObject({
    image: z.strictObject({
      name: z.string().min(1).default('Ubuntu 24.04').describe('Boot image name (most recent match). @default "Ubuntu 24.04"'),
      id: z.string().min(1).optional().describe('Boot image id; pins the image instead of looking it up by name. @default unset'),
    }).prefault({}),
    sshUser: z.string().regex(/^[a-z_][a-z0-9_-]{0,31}$/, { message: 'is not a valid Linux user name' }).default('ubuntu')
      .describe('Login user of the image (ansible_user). @default "ubuntu"'),
    masters: nodeGroup('master').prefault({}),
    workers: nodeGroup('worker').prefault({}),
  }).prefault({}),

  access: z.strictObject({
    sshSourceCidrs: cidrList.default(['0.0.0.0/0'])
      .describe('Sources allowed to SSH (22) to the nodes. The seed allows 0.0.0.0/0; restrict it to your admin network. @default ["0.0.0.0/0"]'),
    apiSourceCidrs: cidrList.default(['0.0.0.0/0'])
      .describe('Sources allowed to the Kubernetes API (6443), besides the VPC. @default ["0.0.0.0/0"]'),
    httpSourceCidrs: cidrList.default(['0.0.0.0/0'])
      .describe('Sources allowed to HTTP/HTTPS (80, 443) and the ingress NodePorts. @default ["0.0.0.0/0"]'),
    keyPair: z.strictObject({
      name: resourceName.default('kpaas-key').describe('Key pair name. @default "kpaas-key"'),
      publicKey: z.string().regex(/^(ssh-(ed25519|rsa)|ecdsa-sha2-nistp(256|384|521)) [A-Za-z0-9+/=]+( .*)?$/, {
        message: 'is not an OpenSSH public key ("ssh-ed25519 AAAA... comment")',
      }).optional()
        .describe('OpenSSH public key: when set, the key pair is created from it; otherwise an existing key pair of that name is used. @default unset'),
    }).prefault({}),
  }).prefault({}),

  loadBalancers: z.strictObject({
    flavorId: z.string().min(1).optional()
      .describe('Kakao NLB flavor id (UUID) for both load balancers. @default the cloud\'s default flavor (openstack); looked up by flavorName (kakaocloud)'),
    flavorName: z.string().min(1).default('NLB')
      .describe('Name of the load-balancer flavor looked up when flavorId is unset (cloud.provider "kakaocloud"). @default "NLB"'),
    securityGroups: z.boolean().default(true)
      .describe('Attach a security group to each load balancer\'s VIP port that admits only its listeners\' traffic. @default true'),
    master: z.strictObject({
      vip: ipv4.optional().describe('Master LB VIP (cloud.provider "openstack" only: Kakao\'s NLB takes none and reports it after apply). @default "172.16.0.176" on openstack'),
      ports: z.array(port).min(1).default([6443, 2379])
        .describe('Listener ports, each forwarded to the same port on every master. @default [6443, 2379]'),
      publicIp: z.boolean().default(true).describe('Give the master LB a floating IP. @default true'),
    }).prefault({}),
    worker: z.strictObject({
      vip: ipv4.optional().describe('Worker LB VIP (cloud.provider "openstack" only: Kakao\'s NLB takes none and reports it after apply). @default "172.16.0.53" on openstack'),
      httpPort: port.default(80).describe('Listener forwarded to the ingress HTTP NodePort. @default 80'),
      httpsPort: port.default(443).describe('Listener forwarded to the ingress HTTPS NodePort. @default 443'),
      publicIp: z.boolean().default(true).describe('Give the worker LB a floating IP. @default true'),
    }).prefault({}),
  }).prefault({}),

  ingress: z.strictObject({
    controller: z.enum(INGRESS_CONTROLLERS).optional()
      .describe(`Ingress controller in front of the platform services: "ingress-nginx" (kubespray's addon; Ingress objects with nginx annotations) or "envoy-gateway" (Envoy Gateway from dist/manifests; Gateway API HTTPRoutes). Each release track allows its own (${TRACK_IDS.map((id) => `${id}: ${TRACKS[id].ingress.controllers.map((c) => `"${c}"`).join(' or ')}`).join('; ')}). @default the track's (${TRACK_IDS.map((id) => `${id}: "${TRACKS[id].ingress.default}"`).join(', ')})`),
    ip: ipv4.default('172.16.0.201').describe('LoadBalancer IP of the ingress controller (from MetalLB, not auto-assigned). @default "172.16.0.201"'),
    httpNodePort: nodePort.default(31080).describe('Ingress controller HTTP NodePort. @default 31080'),
    httpsNodePort: nodePort.default(31443).describe('Ingress controller HTTPS NodePort. @default 31443'),
  }).prefault({}),

  metallb: z.strictObject({
    pool: range.default(SEED_METALLB_POOL).describe(`MetalLB address pool (auto-assign). @default "${SEED_METALLB_POOL}"`),
    extraRanges: z.array(range).default([])
      .describe('More ranges for the same pool (the seed\'s pool expansion). @default []'),
  }).prefault({}),

  storage: z.strictObject({
    nfsServer: hostnameLabel.optional().describe('Node that serves NFS. @default the first master (master-1)'),
    nfsPath: z.string().regex(/^\/[A-Za-z0-9._/-]*$/, { message: 'is not an absolute path' }).default('/data')
      .describe('Exported directory on the NFS server. @default "/data"'),
  }).prefault({}),

  identity: z.strictObject({
    realm: hostnameLabel.default('k-paas')
      .describe('Keycloak realm of the platform: the issuer of the API server\'s OIDC tokens and of the portal\'s and Harbor\'s logins. @default "k-paas"'),
    keycloakReplicas: z.number().int().min(1).max(9).default(2)
      .describe('Keycloak replicas, clustered through their shared database (JGroups jdbc-ping, peers on 7800 and 57800). @default 2'),
  }).prefault({}),

  openbao: z.strictObject({
    replicas: z.number().int().min(1).max(7).refine((n) => n % 2 === 1, { message: 'must be odd: Raft needs a majority (1, 3, 5, 7)' }).default(3)
      .describe('OpenBao servers in the Raft cluster. @default 3'),
  }).prefault({}),

  portal: z.strictObject({
    registry: z.string().regex(IMAGE_REPOSITORY, {
      message: 'is not an image registry and path: a host (optionally with :port) and lower-case path segments, no scheme or tag (e.g. harbor.k-paas.io/cp-portal-repository)',
    }).optional()
      .describe('Registry and project the CP-Portal images are pulled from (`<registry>/<component>:<tag>`). @default the platform\'s Harbor, `harbor.<domain>/cp-portal-repository`'),
  }).prefault({}),

  images: z.strictObject({
    mirrors: z.record(
      z.string().regex(/^[a-z0-9.-]+(:\d+)?$/, { message: 'is not a registry host: lower-case letters, digits, "." and "-", with an optional ":port" (e.g. docker.io, quay.io, registry.k8s.io)' }),
      z.string().regex(/^[a-z0-9.-]+(:\d+)?(\/[a-z0-9._-]+)*$/, { message: 'is not a registry host with an optional project path (e.g. harbor.k-paas.io/dockerhub), without a scheme or trailing slash' }),
    ).default({})
      .describe('Pull every platform image of a registry from a mirror instead, e.g. { docker.io: harbor.k-paas.io/dockerhub, quay.io: harbor.k-paas.io/quay } for Harbor proxy-cache projects; Docker Hub images without a registry count as docker.io (library/ for official ones). @default {}'),
  }).prefault({}),

  secrets: z.strictObject({
    dir: z.string().min(1).refine((p) => !p.startsWith('/'), { message: 'must be relative to the project directory' }).default('.kpaas-secrets')
      .describe('Folder (git-ignored) where `kpaas secrets` keeps the CA, certificates, passwords and Secret manifests. @default ".kpaas-secrets"'),
  }).prefault({}),

  gitops: z.strictObject({
    tool: z.enum(GITOPS_TOOLS)
      .describe('The GitOps tool dist/gitops is written for: "argocd" (an app-of-apps Application and one Application per manifest file, in sync waves) or "flux" (a GitRepository and a Kustomization); docs/gitops.md. @default required when `gitops` is set'),
    repoURL: z.string()
      .describe('The Git repository dist is committed to, as the tool clones it: `https://host/path` (no credentials in it) or `ssh://user@host/path`. @default required when `gitops` is set'),
    path: z.string()
      .describe('Where the folder synth writes (dist) lies in that repository, relative to its root ("." for the root itself); the tool reads `<path>/manifests`. @default required when `gitops` is set'),
    revision: z.string()
      .describe('The branch, full reference (`refs/tags/v1.0.0`) or 40-character commit the tool follows (a commit is written in lower case). A branch named like a semver constraint (`1.x`, `>=1.0`) or with 7 or more hex digits only is refused, as Argo CD would read it as a tag or a commit: give it as `refs/heads/<name>` (docs/gitops.md). @default required when `gitops` is set'),
  }).optional()
    .describe('Write dist/gitops: the objects that point Argo CD or Flux at dist/manifests (docs/gitops.md). @default unset (no dist/gitops)'),

  backup: z.strictObject({
    objectStorage: z.strictObject({
      bucket: z.string()
        .describe('Bucket of Kakao Object Storage (S3-compatible) the etcd snapshots are uploaded to; it must exist (the backup never creates it). Checked against the S3 bucket-name rule: 3-63 lower-case letters, digits, "." and "-", starting and ending with a letter or digit.'),
      endpoint: z.string().optional()
        .describe(`S3 endpoint, an https URL without a path. @default "${OBJECT_STORAGE_ENDPOINT('<region>')}" (Kakao's S3 API form)`),
      region: z.string().optional()
        .describe('Region of the bucket, sent in the request signature; another region than the cluster\'s keeps the copies off-site. @default cloud.region'),
      prefix: z.string().default('etcd-snapshots')
        .describe('Key prefix: each snapshot is uploaded as `<prefix>/<name>/<node>/<snapshot file>`. @default "etcd-snapshots"'),
      keep: z.number().int().min(1).max(3650).default(30)
        .describe('Snapshots kept in the bucket per master (the newest by name); older ones are deleted after each successful upload. @default 30'),
      credentialsFile: z.string().default(BACKUP_CREDENTIALS_FILE)
        .describe(`File on every master, placed by the operator (root, mode 0600), holding AWS_ACCESS_KEY_ID=... and AWS_SECRET_ACCESS_KEY=... lines of a Kakao S3 access key; never in dist or the inventory. @default "${BACKUP_CREDENTIALS_FILE}"`),
    }).optional()
      .describe('Off-site copies of the daily etcd snapshots: when set, each master uploads every snapshot to this bucket with rclone. @default unset (local snapshots only)'),
  }).prefault({}),

  terraform: z.strictObject({
    backend: z.discriminatedUnion('type', [
      z.strictObject({
        type: z.literal('local'),
        path: z.string().min(1).refine((p) => !p.startsWith('/'), { message: 'must be relative (dist must not hold absolute paths)' })
          .default(DEFAULT_STATE.path)
          .describe(`State file, relative to the project directory (outside dist, which synth replaces). @default "${DEFAULT_STATE.path}"`),
      }),
      z.strictObject({
        type: z.literal('s3'),
        bucket: z.string().min(1).describe('Bucket of Kakao Object Storage (S3-compatible).'),
        key: z.string().min(1).superRefine((key, ctx) => {
          const problem = TERRAFORM_S3_BACKEND_KEY_RULES.problem(key);
          if (problem) ctx.addIssue({ code: 'custom', message: `${problem} (Terraform's s3 backend rejects it at init)` });
        }).default(DEFAULT_STATE.key).describe(`Object key of the state. @default "${DEFAULT_STATE.key}"`),
        endpoint: z.string().url().default(OBJECT_STORAGE_ENDPOINT(SEED_REGION))
          .describe(`S3 endpoint. @default "${OBJECT_STORAGE_ENDPOINT(SEED_REGION)}"`),
        region: z.string().min(1).default(SEED_REGION).describe(`Region name sent to the endpoint. @default "${SEED_REGION}"`),
      }),
    ]).default({ type: 'local', path: DEFAULT_STATE.path })
      .describe(`Terraform state backend: "local" (default) or "s3" (credentials from ${TERRAFORM_S3_BACKEND_CREDENTIAL_ENV.names.join(' / ')}). @default {"type": "local"}`),
  }).prefault({}),
});

/** The configuration file as written by a user (every field optional). */
export type KpaasConfigInput = z.input<typeof configSchema>;
/** The configuration after defaults, before cross-field checks and resolution. */
export type KpaasConfigParsed = z.output<typeof configSchema>;
