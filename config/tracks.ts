/**
 * Release tracks: each one consistent set of cluster-layer versions, the kubespray variable names
 * that go with it, the ansible-core it needs, when its Kubernetes minor reaches end of life and the
 * track to move to, and where every fact was read. `versions.track` of the configuration picks one.
 *
 * This catalog is the only place that knows what differs between tracks: the loader, the ansible
 * renderer and the tests read these entries, and no other code compares version numbers.
 *
 * Sources are written `repo@ref:path`. `../shared/upstream/kubespray-<v>/` holds each kubespray
 * release offline; the tests compare every version here with those trees
 * (test/config/tracks.test.ts) so a wrong number fails there, not on a cluster.
 */

/** Track ids, in upgrade order: each track's `moveTo` is the next one. */
export const TRACK_IDS = ['kpaas-1.6.2', 'kpaas-1.7.0', 'upstream'] as const;
export type TrackId = (typeof TRACK_IDS)[number];

/** The track an empty configuration gets: the seed's cluster. */
export const DEFAULT_TRACK: TrackId = 'kpaas-1.6.2';

/**
 * The ingress controllers the platform can put in front of its services: kubespray's ingress-nginx
 * addon (Ingress objects with nginx annotations), or Envoy Gateway from dist/manifests (Gateway API
 * HTTPRoutes and Envoy Gateway policies).
 */
export const INGRESS_CONTROLLERS = ['ingress-nginx', 'envoy-gateway'] as const;
export type IngressController = (typeof INGRESS_CONTROLLERS)[number];

/** Where a fact was read: `repo@ref:path`, with what in it when the file holds more. */
export interface Source {
  readonly at: string;
  readonly what?: string;
}

/**
 * The format of the K-PaaS installer's `cp-cluster-vars.sh` a track writes.
 * - `export`: K-PaaS v1.6.x, `export NAME=value`, sourced into the shell that sources
 *   `deploy-cp-cluster.sh` (cp-deployment/standalone).
 * - `plain`: K-PaaS v1.7.x, `NAME=value`, read line by line by `./deploy-cp-cluster.sh` itself
 *   (cp-deployment/single), with `MASTER1_NODE_USER` and the CSP load-balancer types.
 */
export interface InstallerFormat {
  /** K-PaaS release whose installer reads the file. */
  readonly kpaas: string;
  readonly assignment: 'export' | 'plain';
  /**
   * How the installer reads the file: `source`d by the shell that runs it (values exported before
   * win over `NAME="${NAME:-default}"`), or as `lines`, each `NAME=value` line turned into YAML
   * text with the value as written (no shell: quotes, `${...}` and the environment mean nothing).
   */
  readonly reads: { readonly how: 'source' | 'lines'; readonly source: Source };
  /** Folder of cp-deployment holding `cp-cluster-vars.sh` and `deploy-cp-cluster.sh`. */
  readonly folder: 'standalone' | 'single';
  /** How the guide runs the installer there (`reads.how` source: after `source cp-cluster-vars.connection.sh`). */
  readonly run: string;
  /** The clouds `CSP_TYPE` may name (Kakao Cloud is none of them, so it stays empty). */
  readonly cspTypes: readonly string[];
  /** The cloud load-balancer variables the installer's file lists (all empty here). */
  readonly cspVariables: readonly string[];
  /**
   * Every variable name of the installer's own file (numbered node names as `MASTERN_`, `WORKERN_`,
   * `ETCDN_`); `MASTERN_NODE_USER` among them means the installer reads the first master's SSH user.
   */
  readonly names: readonly string[];
  readonly source: Source;
  /** The kubespray inventory the installer runs, where a group_vars file of ours goes beside its own. */
  readonly kubespray: InstallerKubespray;
  /**
   * Where cp-deployment must be checked out on the machine that runs it: its roles read files at
   * this path (`lookup('env', 'HOME')`), wherever the checkout is.
   */
  readonly checkout: { readonly path: '$HOME/cp-deployment'; readonly source: Source };
  /**
   * Where the release's own cp-deployment sets each kubespray setting the renderer reproduces
   * (KPAAS_SETTINGS). test/ansible/kpaas-installer-source.test.ts compares the renderer's values with
   * those files in the cp-deployment mirror at the release's tag.
   */
  readonly settings: Readonly<Record<KpaasSetting, Source>>;
}

/** The kubespray tree and inventory a K-PaaS installer runs. */
export interface InstallerKubespray {
  /**
   * Folder of cp-deployment holding the kubespray fork the installer runs; the same as `folder`
   * where deploy-cp-cluster.sh runs kubespray itself (v1.6.x), `standalone` where it changes there (v1.7.x).
   */
  readonly folder: 'standalone';
  /** The inventory deploy-cp-cluster.sh passes to ansible-playbook (`-i <inventory>/inventory.ini`), relative to `folder`. */
  readonly inventory: 'inventory/mycluster';
  /** How deploy-cp-cluster.sh in `InstallerFormat.folder` gets there. */
  readonly source: Source;
}

/**
 * kubespray settings the renderer writes with the values K-PaaS's installer sets for them (its
 * fork's role defaults or its inventory): ansible/kubespray-vars.ts `varNotes` says so per track.
 */
export const KPAAS_SETTINGS = [
  'tls_cipher_suites', 'etcd_tls_cipher_suites', 'kube_apiserver_enable_admission_plugins', 'kube_apiserver_admission_event_rate_limits',
  'kube_pod_security_default_enforce', 'searchdomains', 'kubelet_rotate_server_certificates',
] as const;
export type KpaasSetting = (typeof KPAAS_SETTINGS)[number];

/** Where a cp-deployment release sets KPAAS_SETTINGS, below `<repo>@<ref>:<fork>/`. */
const kpaasSettingFiles = (ref: string, etcdDefaults: string, what?: string): Record<KpaasSetting, Source> => {
  const at = (file: string): Source => ({ at: `K-PaaS/cp-deployment@${ref}:standalone/${file}`, ...(what ? { what } : {}) });
  const controlPlane = at('roles/kubernetes/control-plane/defaults/main/main.yml');
  return {
    tls_cipher_suites: at('inventory/mycluster/group_vars/k8s_cluster/k8s-cluster.yml'),
    searchdomains: at('inventory/mycluster/group_vars/k8s_cluster/k8s-cluster.yml'),
    etcd_tls_cipher_suites: at(etcdDefaults),
    kube_apiserver_enable_admission_plugins: controlPlane,
    kube_apiserver_admission_event_rate_limits: controlPlane,
    kube_pod_security_default_enforce: controlPlane,
    kubelet_rotate_server_certificates: at('roles/kubespray_defaults/defaults/main/main.yml'),
  };
};

/** A kubespray release a cluster passes through between two tracks, with what it installs. */
export interface IntermediateRelease {
  /** Release tag, e.g. `v2.30.0`. */
  readonly kubespray: string;
  /** The Kubernetes it takes the cluster to (its kube_version default). */
  readonly kubernetes: string;
  /** Its playbooks/ansible_version.yml range. */
  readonly ansibleCore: { readonly min: string; readonly below: string };
  /** Its ingress_nginx_version default, where it still has the addon. */
  readonly ingressNginx?: string;
  readonly source: Source;
}

export interface ReleaseTrack {
  readonly id: TrackId;
  /** One line for messages and docs. */
  readonly title: string;
  /** K-PaaS release the track reproduces; undefined for the upstream track. */
  readonly kpaas?: string;
  readonly kubespray: {
    /** Release tag, e.g. `v2.28.1`. */
    readonly version: string;
    /** The kubespray release K-PaaS forks for this track, when known (K-PaaS v1.6.2: v2.28.0). */
    readonly kpaasFork?: string;
    /** Folder of `../shared/upstream` holding that release. */
    readonly tree: string;
  };
  /**
   * ansible-core versions kubespray's playbooks/ansible_version.yml accepts: `>= min`, `< below`;
   * `tested`: the one of ../shared/upstream in that range the offline checks run with. Where none
   * is, `outside`: the one they run kubespray's roles with instead (they never run its version gate).
   */
  readonly ansibleCore: { readonly min: string; readonly below: string; readonly tested?: string; readonly outside?: string };
  readonly kubernetes: {
    /** The version the track installs unless `versions.kubernetes` names another patch. */
    readonly default: string;
    /** Minor release, e.g. `1.32`. */
    readonly minor: string;
    /**
     * Every patch of that minor kubespray has checksums for (kubelet_checksums.amd64 of its
     * checksums.yml), newest first: what `versions.kubernetes` may be on this track.
     */
    readonly patches: readonly string[];
    /** End of life of the minor (kubernetes.io/releases), ISO date. */
    readonly endOfLife: string;
  };
  /** The track to move to before (or once) this one's Kubernetes is past its end of life. */
  readonly moveTo?: TrackId;
  /**
   * The kubespray releases to run `upgrade-cluster.yml` with, in order, between this track's and
   * `moveTo`'s: kubespray upgrades one release tag at a time, one Kubernetes minor per run
   * (docs/upgrades.md). Empty or undefined when the next track's kubespray is the next release.
   */
  readonly moveVia?: readonly IntermediateRelease[];
  /** CRI-O kubespray installs with the default Kubernetes version (its crio_version default). */
  readonly crio: string;
  /**
   * etcd kubespray installs with the default Kubernetes version (its etcd_version default: the
   * first etcd_binary_checksums.amd64 key below the minor's cap in etcd_supported_versions), and
   * the K-PaaS fork's where it was read: the etcdutl and etcdctl the backup and restore run
   * (config/contracts/etcd-tools.ts).
   */
  readonly etcd: { readonly version: string; readonly kpaasFork?: string };
  /** Calico kubespray installs (its calico_version default). */
  readonly calico: string;
  /** MetalLB, installed by playbooks/metallb.yml from its own manifest (kubespray's addon is v0.13.9 on every track). */
  readonly metallb: string;
  /**
   * ingress-nginx as kubespray's addon (its ingress_nginx_version default), or undefined where the
   * track's kubespray has no such addon (v2.31 removed it: its `ingress_nginx_*` variables are
   * ignored there, so none is written).
   */
  readonly ingressNginx?: string;
  /**
   * kubespray variable names the renderer writes that differ between tracks. Every other name the
   * renderer writes is read by all three releases (test/ansible/upstream-names.test.ts).
   */
  readonly kubesprayNames: {
    /** The addon's variables (`ingress_nginx_enabled`, ...); undefined when the addon is gone. */
    readonly ingressNginxPrefix?: 'ingress_nginx_';
  };
  /**
   * The ingress controllers `ingress.controller` may name on this track, and the one it gets
   * unset. ingress-nginx needs the track's kubespray addon (`kubesprayNames.ingressNginxPrefix`);
   * envoy-gateway needs a Kubernetes minor the pinned Envoy Gateway release supports
   * (config/versions.ts ENVOY_GATEWAY.kubernetesMinors). test/config/tracks.test.ts holds both.
   */
  readonly ingress: { readonly controllers: readonly IngressController[]; readonly default: IngressController };
  /** The K-PaaS installer's `cp-cluster-vars.sh` format; undefined where the installer does not support the track. */
  readonly installer?: InstallerFormat;
  /**
   * Why the loader refuses the track, when it cannot be built yet; the message names what is
   * missing.
   */
  readonly unavailable?: string;
  readonly sources: Readonly<Record<string, Source>>;
}

/** kubespray's checksums and defaults, as the sources name them. */
const kubesprayFiles = (tag: string) => ({
  checksums: { at: `kubernetes-sigs/kubespray@${tag}:roles/kubespray_defaults/vars/main/checksums.yml`, what: 'kubelet_checksums.amd64, crio_archive_checksums.amd64, calicoctl_binary_checksums.amd64 (../shared/upstream/kubespray-' + tag + ')' },
  defaults: { at: `kubernetes-sigs/kubespray@${tag}:roles/kubespray_defaults/defaults/main/main.yml`, what: 'kube_version: the first key of kubelet_checksums.amd64' },
  download: { at: `kubernetes-sigs/kubespray@${tag}:roles/kubespray_defaults/defaults/main/download.yml`, what: 'crio_version, calico_version, ingress_nginx_version, metallb_version' },
  ansible: { at: `kubernetes-sigs/kubespray@${tag}:playbooks/ansible_version.yml`, what: 'minimal_ansible_version, maximal_ansible_version' },
});

/** kubernetes.io/releases: end-of-life dates of the minors (kubernetes/website data/releases/schedule.yaml). */
const K8S_RELEASES: Source = { at: 'kubernetes/website@main:data/releases/schedule.yaml', what: 'endOfLifeDate per minor (not readable offline here: the stored copies end at 1.27; dates as published on kubernetes.io/releases)' };

/** The 1.6.x installer's file (also in ../shared/reference/kpaas-cp-deployment-v1.6.2). */
const INSTALLER_1_6: InstallerFormat = {
  kpaas: 'v1.6.2',
  assignment: 'export',
  reads: { how: 'source', source: { at: 'K-PaaS/cp-deployment@v1.6.2:standalone/deploy-cp-cluster.sh', what: 'the guide sources cp-cluster-vars.sh, then this script, in one shell; the script reads the variables from it' } },
  folder: 'standalone',
  run: 'source cp-cluster-vars.connection.sh && source deploy-cp-cluster.sh',
  cspTypes: ['NHN'],
  cspVariables: ['CSP_TYPE', 'NHN_USERNAME', 'NHN_PASSWORD', 'NHN_TENANT_ID', 'NHN_VIP_SUBNET_ID'],
  names: [
    'KUBE_CONTROL_HOSTS', 'ETCD_TYPE', 'LOADBALANCER_DOMAIN', 'ETCDN_NODE_HOSTNAME', 'ETCDN_NODE_PRIVATE_IP',
    'MASTERN_NODE_HOSTNAME', 'MASTERN_NODE_PUBLIC_IP', 'MASTERN_NODE_PRIVATE_IP', 'KUBE_WORKER_HOSTS',
    'WORKERN_NODE_HOSTNAME', 'WORKERN_NODE_PRIVATE_IP', 'STORAGE_TYPE', 'NFS_SERVER_PRIVATE_IP', 'METALLB_IP_RANGE',
    'INGRESS_NGINX_IP', 'INSTALL_KYVERNO', 'CSP_TYPE', 'NHN_USERNAME', 'NHN_PASSWORD', 'NHN_TENANT_ID', 'NHN_VIP_SUBNET_ID',
  ],
  source: { at: 'K-PaaS/cp-deployment@v1.6.2:standalone/cp-cluster-vars.sh', what: '../shared/reference/kpaas-cp-deployment-v1.6.2/standalone/cp-cluster-vars.sh' },
  kubespray: {
    folder: 'standalone',
    inventory: 'inventory/mycluster',
    source: { at: 'K-PaaS/cp-deployment@v1.6.2:standalone/deploy-cp-cluster.sh', what: 'runs `ansible-playbook -i inventory/mycluster/inventory.ini` in its own folder; copies over only all.yml, addons.yml and inventory.ini from their .tmpl' },
  },
  checkout: { path: '$HOME/cp-deployment', source: { at: 'K-PaaS/cp-deployment@v1.6.2:standalone/roles/cp/cve_cce/amd64/tasks/main.yml', what: "src: \"{{ lookup('env', 'HOME') }}/cp-deployment/security.bin\"" } },
  settings: kpaasSettingFiles('v1.6.2', 'roles/etcd/defaults/main.yml'),
};

/**
 * The cp-deployment commit the 1.7.x layout was read at: the search index's only version of
 * single/deploy-cp-cluster.sh that runs ../standalone, and of the v2.29-based fork's files
 * (roles/etcd_defaults, kube_cert_validity_period). No stored mirror holds the v1.7.0 tag, so that
 * this commit is the tag is not verified (README Limits); dasomel/k-paas@v2.2.0 runs the v1.7.0 tag
 * with the same layout.
 */
const CP_DEPLOYMENT_1_7 = 'f8c4b3f028a641e8d918f39d96d4a701b815bb28';
const CP_DEPLOYMENT_1_7_WHAT = 'branch_v1.7.x commit read through the search index; the v1.7.0 tag not verified';

/**
 * The 1.7.x installer's file: cp-deployment branch_v1.7.x `single/cp-cluster-vars.sh` (search
 * index id 66500843244; the index does not name its commit), the same names and layout in the
 * K-PaaS v1.7 guide (index id 42707992734: `cd cp-deployment/single`, `./deploy-cp-cluster.sh`) and
 * in dasomel/k-paas@v2.2.0:scripts/05.master_install_k-pass.sh, which writes that file for v1.7.0.
 */
const INSTALLER_1_7: InstallerFormat = {
  kpaas: 'v1.7.0',
  assignment: 'plain',
  reads: {
    how: 'lines',
    source: {
      at: `K-PaaS/cp-deployment@${CP_DEPLOYMENT_1_7}:standalone/convert-env-to-yaml.sh`,
      what: 'single/deploy-cp-cluster.sh runs it on cp-cluster-vars.sh: lines starting with # and blank lines are skipped; a line matching ^([A-Za-z0-9_]+)=(.*)$ becomes `<name in lower case>: "<value as written>"` in ../standalone/inventory/mycluster/group_vars/all/cluster_single.yml; ' + CP_DEPLOYMENT_1_7_WHAT,
    },
  },
  folder: 'single',
  run: './deploy-cp-cluster.sh',
  cspTypes: ['NHN', 'NAVER'],
  cspVariables: [
    'CSP_TYPE', 'NHN_USERNAME', 'NHN_PASSWORD', 'NHN_TENANT_ID', 'NHN_VIP_SUBNET_ID', 'NHN_API_BASE_URL',
    'NAVER_CLOUD_API_KEY', 'NAVER_CLOUD_API_SECRET', 'NAVER_CLOUD_REGION', 'NAVER_CLOUD_VPC_NO', 'NAVER_CLOUD_SUBNET_NO',
  ],
  names: [
    'KUBE_CONTROL_HOSTS', 'MASTERN_NODE_HOSTNAME', 'MASTERN_NODE_USER', 'MASTERN_NODE_PRIVATE_IP', 'MASTERN_NODE_PUBLIC_IP',
    'LOADBALANCER_DOMAIN', 'ETCD_TYPE', 'ETCDN_NODE_HOSTNAME', 'ETCDN_NODE_PRIVATE_IP', 'KUBE_WORKER_HOSTS',
    'WORKERN_NODE_HOSTNAME', 'WORKERN_NODE_PRIVATE_IP', 'STORAGE_TYPE', 'NFS_SERVER_PRIVATE_IP', 'METALLB_IP_RANGE',
    'INGRESS_NGINX_IP', 'INSTALL_KYVERNO', 'CSP_TYPE', 'NHN_USERNAME', 'NHN_PASSWORD', 'NHN_TENANT_ID', 'NHN_VIP_SUBNET_ID',
    'NHN_API_BASE_URL', 'NAVER_CLOUD_API_KEY', 'NAVER_CLOUD_API_SECRET', 'NAVER_CLOUD_REGION', 'NAVER_CLOUD_VPC_NO', 'NAVER_CLOUD_SUBNET_NO',
  ],
  source: { at: 'K-PaaS/cp-deployment@branch_v1.7.x:single/cp-cluster-vars.sh', what: 'also dasomel/k-paas@v2.2.0:scripts/05.master_install_k-pass.sh (writes it for v1.7.0)' },
  kubespray: {
    folder: 'standalone',
    inventory: 'inventory/mycluster',
    source: {
      at: `K-PaaS/cp-deployment@${CP_DEPLOYMENT_1_7}:single/deploy-cp-cluster.sh`,
      what: 'writes ../standalone/inventory/mycluster/group_vars/all/cluster_single.yml, then `cd ../standalone; ./deploy-cp-cluster.sh single`, which runs `ansible-playbook -i inventory/mycluster/inventory.ini` (standalone/deploy-cp-cluster.sh); roles/cp/local/pre-set rewrites inventory.ini and edits all.yml and addons.yml in place. dasomel/k-paas@v2.2.0:scripts/05.master_install_k-pass.sh (v1.7.0 tag) writes standalone/inventory/mycluster too; ' + CP_DEPLOYMENT_1_7_WHAT,
    },
  },
  checkout: { path: '$HOME/cp-deployment', source: { at: `K-PaaS/cp-deployment@${CP_DEPLOYMENT_1_7}:standalone/roles/cp/local/pre-set/tasks/main.yml`, what: "cp {{ lookup('env', 'HOME') }}/cp-deployment/standalone/inventory/mycluster/group_vars/all/cluster_single.yml ...; " + CP_DEPLOYMENT_1_7_WHAT } },
  settings: kpaasSettingFiles(CP_DEPLOYMENT_1_7, 'roles/etcd_defaults/defaults/main.yml', CP_DEPLOYMENT_1_7_WHAT),
};

const patches = (minor: string, newest: number): string[] => Array.from({ length: newest + 1 }, (_, i) => `${minor}.${newest - i}`);

export const TRACKS: Readonly<Record<TrackId, ReleaseTrack>> = {
  'kpaas-1.6.2': {
    id: 'kpaas-1.6.2',
    title: 'K-PaaS v1.6.2 on stock kubespray v2.28.1 (the seed)',
    kpaas: 'v1.6.2',
    kubespray: { version: 'v2.28.1', kpaasFork: 'v2.28.0', tree: 'kubespray-v2.28.1' },
    ansibleCore: { min: '2.16.4', below: '2.17.0', tested: 'v2.16.12' },
    kubernetes: { default: 'v1.32.5', minor: '1.32', patches: patches('1.32', 8), endOfLife: '2026-02-28' },
    moveTo: 'kpaas-1.7.0',
    crio: '1.32.0',
    etcd: { version: '3.5.22', kpaasFork: '3.5.16' },
    calico: '3.29.5',
    metallb: 'v0.14.9',
    ingressNginx: '1.12.1',
    kubesprayNames: { ingressNginxPrefix: 'ingress_nginx_' },
    // Envoy Gateway v1.9 supports Kubernetes 1.33-1.36 and v1.8 (the last for 1.32) reached its
    // end of life on 2026-11-08 (its compatibility matrix): Gateway API from kpaas-1.7.0 on
    ingress: { controllers: ['ingress-nginx'], default: 'ingress-nginx' },
    installer: INSTALLER_1_6,
    sources: {
      ...kubesprayFiles('v2.28.1'),
      crio: { at: 'kubernetes-sigs/kubespray@v2.28.1:roles/kubespray_defaults/defaults/main/download.yml', what: "crio_supported_versions['1.32']: 1.32.0" },
      etcd: { at: 'kubernetes-sigs/kubespray@v2.28.1:roles/kubespray_defaults/defaults/main/download.yml', what: "etcd_supported_versions['1.32']: the first etcd_binary_checksums.amd64 key below 3.6 (3.5.22); the fork pins it: K-PaaS/cp-deployment@v1.6.2:standalone/roles/kubespray_defaults/defaults/main/download.yml etcd_supported_versions['1.32']: 3.5.16" },
      kubernetes: { at: 'K-PaaS/cp-deployment@v1.6.2:standalone/roles/kubespray_defaults/vars/main/checksums.yml', what: "the fork's newest kubelet checksum, 1.32.5, is its kube_version" },
      metallb: { at: 'K-PaaS/cp-deployment@v1.6.2:standalone/roles/kubespray_defaults/defaults/main/download.yml', what: 'metallb_version: 0.14.9 (stock v2.28.1 says 0.13.9)' },
      endOfLife: K8S_RELEASES,
    },
  },
  'kpaas-1.7.0': {
    id: 'kpaas-1.7.0',
    title: 'K-PaaS v1.7.0 on stock kubespray v2.29.0',
    kpaas: 'v1.7.0',
    kubespray: { version: 'v2.29.0', tree: 'kubespray-v2.29.0' },
    ansibleCore: { min: '2.17.3', below: '2.18.0', tested: 'v2.17.5' },
    kubernetes: { default: 'v1.33.5', minor: '1.33', patches: patches('1.33', 5), endOfLife: '2026-06-28' },
    moveTo: 'upstream',
    // not in ../shared/upstream: read from the v2.30.0 tag of kubernetes-sigs/kubespray, which test/config/tracks.test.ts compares with a fetched mirror (../.mirror)
    moveVia: [{
      kubespray: 'v2.30.0',
      kubernetes: 'v1.34.3',
      ansibleCore: { min: '2.17.3', below: '2.18.0' },
      ingressNginx: '1.13.3',
      source: {
        at: 'kubernetes-sigs/kubespray@v2.30.0:roles/kubespray_defaults/vars/main/checksums.yml',
        what: 'kubelet_checksums.amd64 1.34.3 first (1.32.0-1.34.3); playbooks/ansible_version.yml 2.17.3/2.18.0; download.yml ingress_nginx_version 1.13.3; docs/operations/upgrades.md "Multiple upgrades": one tag at a time',
      },
    }],
    crio: '1.33.5',
    // the 1.7.x fork's etcd not read (no stored cp-deployment v1.7.0 tag)
    etcd: { version: '3.5.23' },
    calico: '3.30.3',
    metallb: 'v0.14.9',
    ingressNginx: '1.13.3',
    kubesprayNames: { ingressNginxPrefix: 'ingress_nginx_' },
    ingress: { controllers: ['ingress-nginx', 'envoy-gateway'], default: 'ingress-nginx' },
    installer: INSTALLER_1_7,
    sources: {
      ...kubesprayFiles('v2.29.0'),
      crio: { at: 'kubernetes-sigs/kubespray@v2.29.0:roles/kubespray_defaults/defaults/main/download.yml', what: 'crio_version: the newest crio_archive_checksums key below the next Kubernetes minor (1.33.5)' },
      etcd: { at: 'kubernetes-sigs/kubespray@v2.29.0:roles/kubespray_defaults/vars/main/main.yml', what: "etcd_supported_versions['1.33']: the first etcd_binary_checksums.amd64 key below 3.6 (3.5.23)" },
      kpaas: { at: 'dasomel/k-paas@v2.2.0:scripts/05.master_install_k-pass.sh', what: 'K-PaaS v1.7.0 (cp-deployment tag v1.7.0), single/ layout' },
      endOfLife: K8S_RELEASES,
    },
  },
  upstream: {
    id: 'upstream',
    title: 'upstream Kubernetes 1.35 on stock kubespray v2.31.0 (no K-PaaS installer)',
    kubespray: { version: 'v2.31.0', tree: 'kubespray-v2.31.0' },
    // no ansible-core 2.18 is at hand offline: the checks run v2.31.0's roles with 2.17.5 (README Limits)
    ansibleCore: { min: '2.18.0', below: '2.19.0', outside: 'v2.17.5' },
    kubernetes: { default: 'v1.35.4', minor: '1.35', patches: patches('1.35', 4), endOfLife: '2027-02-28' },
    crio: '1.35.0',
    etcd: { version: '3.6.10' },
    calico: '3.31.5',
    metallb: 'v0.14.9',
    kubesprayNames: {},
    ingress: { controllers: ['envoy-gateway'], default: 'envoy-gateway' },
    sources: {
      ...kubesprayFiles('v2.31.0'),
      etcd: { at: 'kubernetes-sigs/kubespray@v2.31.0:roles/kubespray_defaults/vars/main/main.yml', what: "etcd_supported_versions['1.35']: the first etcd_binary_checksums.amd64 key below 3.7 (3.6.10)" },
      ingress: { at: 'kubernetes-sigs/kubespray@v2.31.0:roles/kubernetes-apps/ingress_controller/', what: 'no ingress_nginx role; no ingress_nginx_* variable anywhere in roles/' },
      endOfLife: K8S_RELEASES,
    },
  },
};

/** The ansible-core of ../shared/upstream (`v2.17.5`) the offline checks run a track's kubespray roles with. */
export function offlineAnsibleCore(track: ReleaseTrack): string {
  const version = track.ansibleCore.tested ?? track.ansibleCore.outside;
  if (!version) throw new Error(`track ${track.id}: no ansible-core to run its kubespray with offline in config/tracks.ts`);
  return version;
}

/**
 * The K-PaaS release whose settings (KPAAS_SETTINGS) a track's rendered group_vars carry: its own
 * installer's, or, on a track without one, those of the track that moves to it (`inherited`).
 */
export function kpaasSettingsOf(track: ReleaseTrack): { readonly kpaas: string; readonly inherited: boolean } {
  if (track.installer) return { kpaas: track.installer.kpaas, inherited: false };
  const before = TRACK_IDS.map((id) => TRACKS[id]).find((t) => t.moveTo === track.id && t.installer);
  if (!before?.installer) throw new Error(`track ${track.id}: no installer and no track moving to it in config/tracks.ts`);
  return { kpaas: before.installer.kpaas, inherited: true };
}

/** The catalog entry of a track id. */
export function releaseTrack(id: TrackId): ReleaseTrack {
  return TRACKS[id];
}

