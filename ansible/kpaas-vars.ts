/**
 * Variables of our own playbooks (prefixed `kpaas_` so they can never collide with kubespray's),
 * in group_vars/all/kpaas.yml. Values held by the config come from it; the rest are the platform's
 * tuning constants. Anything here can be overridden with `-e` or in the inventory.
 */
import * as path from 'path';
import { PLATFORM, type PlatformConfig, VERSIONS } from '../config';
import { releaseTrack } from '../config/tracks';
import { ETCDUTL_VERSION_OUTPUT, etcdFlagNames, etcdutlRestoreMinVersion } from '../config/contracts/etcd-tools';
import { nfsExportPath } from './checks';
import { GROUPS } from './inventory';
import { KERNEL_MODULES, NFS_EXPORT_OPTIONS, NODE_PACKAGES, SYSCTL } from './node-tuning';
import { CA_CERT_FILE, platformUrl } from '../config/platform';


/**
 * Where the secrets command leaves the platform CA, seen from dist/ansible/playbooks (dist is in
 * the project directory, which the secrets folder is relative to).
 */
export function defaultCaCertPath(config: PlatformConfig, projectPath = '..'): string {
  return secretsFolderPath(config, CA_CERT_FILE, projectPath);
}

/**
 * A file of the secrets folder as the playbooks see it on the control machine (the secrets folder
 * is relative to the project directory, which holds dist).
 */
function secretsFolderPath(config: PlatformConfig, rel: string, projectPath: string): string {
  // playbooks live in <dist>/ansible/playbooks; projectPath leads from <dist> to the project
  return `{{ playbook_dir }}/${path.posix.normalize(`../../${projectPath}/${config.secrets.dir}/${rel}`)}`;
}

/**
 * What playbooks/portal-images.yml must agree on with the manifests and the secrets folder. The
 * caller knows the portal and the secrets folder; this renderer does not (cli/render.ts
 * `portalImagesFacts()`).
 */
export interface PortalImagesFacts {
  /** The Harbor project the manifests pull from: `portal.registry` is `<Harbor host>/<project>` by default. */
  readonly project: string;
  /** The component images, by name. */
  readonly images: readonly string[];
  /** The portal's namespace, where the pull Secret goes. */
  readonly namespace: string;
  /** The pull Secret the Deployments name. */
  readonly pullSecret: string;
  readonly pullSecretLabels: Readonly<Record<string, string>>;
  /** The harbor-admin Secret manifest the secrets command writes, relative to the secrets folder. */
  readonly harborAdminSecretFile: string;
}

/**
 * playbooks/portal-images.yml's own settings. The tarball is K-PaaS's portal deployment tarball
 * (v1.6.1.1, the newest v1.6 one its standalone guide links: K-PaaS/container-platform@4a136a8:
 * install-guide/portal/cp-portal-standalone-guide.md §3.1), which unpacks to
 * `cp-portal-deployment/` with the image archives in `images/` (v1.6.0's deploy-cp-portal.sh loads
 * `../images/<name>.tar.gz`: K-PaaS/sidecar-deployment@dfba4ed:
 * install-scripts/portal/cp-portal-template-v1.6.0/script/deploy-cp-portal.sh). Its checksum is not
 * published, so the operator passes the one of the file they checked.
 */
export const PORTAL_IMAGES = Object.freeze({
  /** The project robot account that may only pull (Harbor names it `robot$<project>+<this>`). */
  robot: 'cp-portal-pull',
  archiveUrl: 'https://nextcloud.k-paas.org/index.php/s/Stz3f8F2oHWfYRb/download',
  archiveFolder: 'cp-portal-deployment/images',
  /** Where the first master keeps the tarball and the extracted archives (root only). */
  dir: '/var/lib/kpaas/portal-images',
  /** Where playbooks/ca-trust.yml installs the platform CA on every node. */
  caPath: '/usr/local/share/ca-certificates/kpaas-platform-ca.crt',
});

/** Backup settings: the seed's daily etcdctl snapshot, kept for a week on every master. */
export const ETCD_BACKUP = Object.freeze({
  dir: '/backup/etcd',
  keep: 7,
  onCalendar: '*-*-* 02:00:00',
  /** kubespray's certificate directory and binary location for etcd deployed on the host. */
  certDir: '/etc/ssl/etcd/ssl',
  etcdctl: '/usr/local/bin/etcdctl',
  /**
   * The member's own client URL on the loopback, which the backup, the restore's health check and the
   * READMEs' commands call. kubespray writes it into etcd.env.j2 itself, with no variable of its own:
   * `ETCD_LISTEN_CLIENT_URLS=https://{{ etcd_address }}:2379,https://127.0.0.1:2379` and
   * `ETCDCTL_ENDPOINTS=https://127.0.0.1:2379`, and puts 127.0.0.1 in the member certificate
   * (kubernetes-sigs/kubespray@v2.28.1:roles/etcd/templates/etcd.env.j2 and openssl.conf.j2);
   * its `etcd_client_url` and `etcd_access_addresses` (roles/kubespray_defaults/defaults/main/main.yml)
   * are the node addresses on the same hard-coded port 2379. Held to every track's kubespray by
   * test/ansible/kubespray-paths.test.ts.
   */
  clientUrl: 'https://127.0.0.1:2379',
});

/**
 * The snapshot file name, `<prefix><node>-<time><suffix>`: the one place the backup script (which
 * writes it), its local and remote clean-ups (which match it) and the READMEs (which show it) read.
 * The time sorts as text, so the newest names sort last; `timePattern` is the extended regex of
 * what `date +<timeFormat>` prints.
 */
export const ETCD_SNAPSHOT = Object.freeze({
  prefix: 'etcd-',
  timeFormat: '%Y%m%dT%H%M%S',
  timePattern: '[0-9]{8}T[0-9]{6}',
  suffix: '.db',
});

/** The snapshot name with placeholders (`etcd-<node>-<time>.db`), as the READMEs show it. */
export function etcdSnapshotName(node = '<node>', time = '<time>'): string {
  return `${ETCD_SNAPSHOT.prefix}${node}-${time}${ETCD_SNAPSHOT.suffix}`;
}

/**
 * The off-site copy (backup.objectStorage): rclone from Ubuntu 24.04's archive, configured for the
 * run only through environment variables, so no rclone config file exists on the nodes.
 * - `RCLONE_CONFIG_<REMOTE>_<OPTION>` defines a remote without a config file, `_TYPE` required;
 *   `--config /dev/null` keeps the configuration in memory (rclone/rclone@v1.60.1:docs/content/docs.md,
 *   "Config file" and "--config=CONFIG_FILE").
 * - s3 options `provider` (`Other`: any S3-compatible provider), `access_key_id`,
 *   `secret_access_key`, `region`, `endpoint`, `no_check_bucket` (never create or probe the bucket)
 *   (rclone/rclone@v1.60.1:docs/content/s3.md, "Standard options" and "Advanced options").
 * - commands `copyto`, `lsf --files-only`, `deletefile` (rclone/rclone@v1.60.1:docs/content/commands/).
 * Checked against the rclone 1.60.1 Debian bookworm ships (/usr/share/doc/rclone/MANUAL.md.gz), the
 * upstream release of Ubuntu 24.04's package; the upload test runs that binary.
 */
export const ETCD_BACKUP_UPLOAD = Object.freeze({
  /** The apt package (Ubuntu universe) and its binary. */
  package: 'rclone',
  rclone: '/usr/bin/rclone',
  /** Name of the in-memory remote: RCLONE_CONFIG_<this>_*. */
  remote: 'KPAASBACKUP',
  /**
   * The names in the operator's credentials file: the AWS names, as the Terraform s3 backend reads
   * them, for the key pair of a Kakao S3 access key.
   */
  accessKeyVar: 'AWS_ACCESS_KEY_ID',
  secretKeyVar: 'AWS_SECRET_ACCESS_KEY',
});

/**
 * What the restore playbook finds where kubespray puts it, etcd deployed on the host (each held to
 * every track's kubespray by test/ansible/kubespray-paths.test.ts):
 * - the unit `etcd` (roles/etcd/tasks/configure.yml: etcd-host.service.j2 to /etc/systemd/system/etcd.service),
 *   run as root (`User=root` in etcd-host.service.j2), so the restored data directory stays root's;
 * - /etc/etcd.env with the member's ETCD_NAME, ETCD_INITIAL_CLUSTER, ETCD_INITIAL_CLUSTER_TOKEN,
 *   ETCD_INITIAL_ADVERTISE_PEER_URLS and ETCD_DATA_DIR (roles/etcd/tasks/refresh_config.yml, templates/etcd.env.j2);
 * - etcd_data_dir; etcdutl in bin_dir (roles/etcdctl_etcdutl/tasks/main.yml, with CRI-O);
 * - the control plane's static Pods in kube_manifest_dir, `<component>.yaml` as kubeadm writes them
 *   (kubespray v2.31.0 roles/kubernetes/control-plane/tasks/kubeadm-setup.yml names
 *   /etc/kubernetes/manifests/kube-{controller-manager,scheduler}.yaml in kubeadm's FileAvailable
 *   preflight checks; the control-plane role's handlers restart the Pods of those names in every track),
 *   the API server on kube_apiserver_port. All three are parked during the
 *   restore: Kubernetes' etcd restore guide asks for the scheduler and controller-manager to be
 *   restarted too, so that none keeps state read before the restore.
 */
export const ETCD_RESTORE = Object.freeze({
  unit: 'etcd',
  envFile: '/etc/etcd.env',
  envKeys: ['ETCD_NAME', 'ETCD_INITIAL_CLUSTER', 'ETCD_INITIAL_CLUSTER_TOKEN', 'ETCD_INITIAL_ADVERTISE_PEER_URLS', 'ETCD_DATA_DIR'] as readonly string[],
  dataDir: '/var/lib/etcd',
  etcdutl: '/usr/local/bin/etcdutl',
  manifestDir: '/etc/kubernetes/manifests',
  /** kube-apiserver first: the playbook waits for its port to close and to open again. */
  controlPlaneManifests: ['kube-apiserver.yaml', 'kube-controller-manager.yaml', 'kube-scheduler.yaml'] as readonly string[],
  /** Where the manifests wait while etcd is restored (outside the manifest folder, so the kubelet ignores them). */
  parkedDir: '/etc/kubernetes/kpaas-restore-parked',
  /**
   * `etcdutl snapshot restore --bump-revision <n> --mark-compacted`: the restored revision is behind
   * the resourceVersions the API servers' watch caches, controllers and kubelets have seen; bumping it
   * past them and marking the old ones compacted makes every watcher relist instead of missing or
   * replaying events (etcd-io/etcd#16028, "etcd restore for Kubernetes"). The bump must exceed the
   * writes made since the snapshot was taken: a billion is the value etcd's Kubernetes recovery
   * discussion uses.
   */
  revisionBump: 1_000_000_000,
  /**
   * The first etcdutl with every restore flag (config/contracts/etcd-tools.ts: v3.5.10 for
   * --bump-revision and --mark-compacted); every track's etcd is newer (test/contracts/etcd-tools.test.ts),
   * and the playbook checks the nodes' etcdutl before stopping anything.
   */
  minEtcdutl: etcdutlRestoreMinVersion(),
});

/** The off-site settings as the backup script reads them; empty when backup.objectStorage is unset. */
function objectStorageVars(config: PlatformConfig): Record<string, unknown> {
  const o = config.backup.objectStorage;
  if (!o) return {};
  return {
    bucket: o.bucket,
    endpoint: o.endpoint,
    region: o.region,
    // <prefix>/<cluster>: the script adds /<node>/<snapshot file>
    path: `${o.prefix}/${config.name}`,
    keep: o.keep,
    credentials_file: o.credentialsFile,
  };
}

/**
 * MetalLB's own install manifest (metallb/metallb `config/manifests/metallb-native.yaml` at the
 * release tag), and its SHA-256 by release: the checksum of that file in the tag's git tree, which
 * raw.githubusercontent.com serves byte for byte. A version without a checksum here is refused.
 */
export const METALLB_MANIFEST_SHA256: Readonly<Record<string, string>> = Object.freeze({
  'v0.14.9': '951065e85692aa106f1bb5d5a487d9306154923a794ab1d82122881cbaf588e4',
});

/**
 * The images MetalLB's manifest runs, by release (the `image:` lines of metallb-native.yaml at the
 * tag; test/fixtures/metallb-<version>/metallb-native.yaml is that file, held to the checksum
 * above). The nodes pull them when playbooks/metallb.yml applies the manifest, so dist/images.txt
 * lists them with the cluster layer.
 */
export const METALLB_MANIFEST_IMAGES: Readonly<Record<string, readonly string[]>> = Object.freeze({
  'v0.14.9': ['quay.io/metallb/controller:v0.14.9', 'quay.io/metallb/speaker:v0.14.9'],
});

/** The playbook that applies MetalLB's manifest, as images.json names the images' source. */
export const METALLB_PLAYBOOK = 'playbooks/metallb.yml';

export function metallbImages(version: string = VERSIONS.metallb): readonly string[] {
  const images = METALLB_MANIFEST_IMAGES[version];
  if (!images) throw new Error(`no image list of MetalLB ${version}'s manifest in ansible/kpaas-vars.ts`);
  return images;
}

export function metallbManifest(version: string = VERSIONS.metallb): { url: string; checksum: string } {
  const sha = METALLB_MANIFEST_SHA256[version];
  if (!sha) throw new Error(`no checksum of MetalLB ${version}'s manifest in ansible/kpaas-vars.ts`);
  return { url: `https://raw.githubusercontent.com/metallb/metallb/${version}/config/manifests/metallb-native.yaml`, checksum: `sha256:${sha}` };
}

/** Where kubespray puts kubectl and the admin kubeconfig on the control-plane nodes (bin_dir, kube_config_dir; the same in every track, test/ansible/kubespray-paths.test.ts). */
export const KUBESPRAY_PATHS = Object.freeze({ kubectl: '/usr/local/bin/kubectl', adminConf: '/etc/kubernetes/admin.conf' });

export const KPAAS_VAR_NOTES: Readonly<Record<string, string>> = Object.freeze({
  ansible_user: 'Login user of the node image.',
  kpaas_ca_cert_path: 'Platform CA made by the secrets command (on the machine running ansible); the CA-trust playbook skips when it is absent.',
  kpaas_platform_hostnames: 'Platform service names every node resolves to the ingress IP (no DNS needed).',
  kpaas_nfs_server_address: 'The NFS server by its inventory address, so it cannot disagree with the inventory.',
  kpaas_nfs_export_cidr: 'NFS clients allowed: the cluster subnet only, not "*".',
  kpaas_etcd_backup_keep: 'Snapshots kept per master; older ones are deleted after each successful snapshot.',
  kpaas_etcd_backup_objectstorage: 'backup.objectStorage: snapshots also go to <bucket>/<path>/<node>/ (newest <keep> kept); key only from <credentials_file>. {}: none.',
  kpaas_etcd_snapshot: 'Snapshot file name: <prefix><node>-<date +time_format><suffix>; both clean-ups match only this name.',
  kpaas_etcd_cert_dir: "kubespray's certificates for etcd deployed on the host.",
  kpaas_etcd_client_url: "The member's loopback client URL, where kubespray's etcd.env has etcd listen (port 2379 fixed there).",
  kpaas_etcdutl_version_line: 'The first line `etcdutl version` prints, its group the version (etcd-io/etcd etcdutl/etcdutl/version_command.go).',
  kpaas_etcd_flags: "The etcdutl and etcdctl flags the backup, the restore and its playbook pass, as etcd's source declares them (config/contracts/etcd-tools.ts).",
  kpaas_metallb_manifest_url: "MetalLB's own manifest of the pinned release (playbooks/metallb.yml; kubespray's addon is off).",
  kpaas_metallb_manifest_checksum: 'SHA-256 of that file at the release tag; a changed download is refused.',
  kpaas_harbor_admin_secret_path: "The secrets command's harbor/harbor-admin Secret on the machine running ansible (portal-images.yml reads its password; $KPAAS_HARBOR_ADMIN_PASSWORD wins).",
  kpaas_portal_registry: 'Where the manifests pull the CP-Portal images from (portal.registry); portal-images.yml pushes there and refuses any registry but this Harbor\'s project.',
  kpaas_portal_image_tag: 'The tag the manifests pull; portal-images.yml pushes each image under it.',
  kpaas_portal_images_archive_url: "K-PaaS's portal deployment tarball (v1.6.1.1) holding the image archives; file:///path for a copy on the first master.",
  kpaas_portal_images_archive_checksum: "sha256:<hex> of that tarball: K-PaaS publishes none, so portal-images.yml refuses to download until it is set (docs/portal-images.md).",
  kpaas_portal_images_source_registry: 'Set (e.g. registry.k-paas.org/kpaas) to copy the images from that registry instead of the tarball.',
});

/** Name of the systemd mount unit for a path, escaped as `systemd-escape --path --suffix=mount` does. */
export function systemdMountUnit(path: string): string {
  const trimmed = path.replace(/^\/+|\/+$/g, '');
  if (trimmed === '') return '-.mount';
  const escaped = trimmed
    .split('/')
    .map((part) => [...Buffer.from(part, 'utf8')]
      .map((b, i) => {
        const c = String.fromCharCode(b);
        const plain = /[A-Za-z0-9:_]/.test(c) || (c === '.' && i > 0);
        return plain ? c : `\\x${b.toString(16).padStart(2, '0')}`;
      })
      .join(''))
    .join('-');
  return `${escaped}.mount`;
}

export function kpaasVars(config: PlatformConfig, platformHostnames: readonly string[], portal: PortalImagesFacts, projectPath = '..'): Record<string, unknown> {
  const exportPath = nfsExportPath(config);
  // the release track's MetalLB (config/tracks.ts)
  const metallbVersion = releaseTrack(config.versions.track).metallb;
  const metallb = metallbManifest(metallbVersion);
  return {
    ansible_user: config.nodes.sshUser,
    kpaas_ca_cert_path: defaultCaCertPath(config, projectPath),
    kpaas_harbor_host: config.hosts.harbor,
    kpaas_ingress_ip: config.ingress.ip,
    kpaas_platform_hostnames: [...platformHostnames],
    kpaas_node_packages: [...NODE_PACKAGES],
    kpaas_kernel_modules: [...KERNEL_MODULES],
    kpaas_sysctl: { ...SYSCTL },
    kpaas_nfs_server_address: `{{ hostvars[groups['${GROUPS.nfsServer}'][0]]['ip'] }}`,
    kpaas_nfs_path: exportPath,
    kpaas_nfs_mount_point: exportPath,
    kpaas_nfs_mount_unit: systemdMountUnit(exportPath),
    kpaas_nfs_export_cidr: config.network.subnet.cidr,
    kpaas_nfs_export_options: NFS_EXPORT_OPTIONS.join(','),
    // the same options as the NFS volumes of the manifests: one place for the seed's tuning
    kpaas_nfs_mount_options: ['rw', ...PLATFORM.storage.mountOptions].join(','),
    kpaas_etcd_backup_dir: ETCD_BACKUP.dir,
    kpaas_etcd_backup_keep: ETCD_BACKUP.keep,
    kpaas_etcd_backup_on_calendar: ETCD_BACKUP.onCalendar,
    kpaas_etcd_cert_dir: ETCD_BACKUP.certDir,
    kpaas_etcdctl: ETCD_BACKUP.etcdctl,
    kpaas_etcd_client_url: ETCD_BACKUP.clientUrl,
    kpaas_etcd_snapshot: { prefix: ETCD_SNAPSHOT.prefix, time_format: ETCD_SNAPSHOT.timeFormat, time_pattern: ETCD_SNAPSHOT.timePattern, suffix: ETCD_SNAPSHOT.suffix },
    kpaas_etcd_backup_objectstorage: objectStorageVars(config),
    kpaas_etcd_backup_rclone: ETCD_BACKUP_UPLOAD.rclone,
    kpaas_etcd_backup_rclone_package: ETCD_BACKUP_UPLOAD.package,
    kpaas_etcd_backup_rclone_remote: ETCD_BACKUP_UPLOAD.remote,
    kpaas_etcd_backup_access_key_var: ETCD_BACKUP_UPLOAD.accessKeyVar,
    kpaas_etcd_backup_secret_key_var: ETCD_BACKUP_UPLOAD.secretKeyVar,
    kpaas_etcd_unit: ETCD_RESTORE.unit,
    kpaas_etcd_env_file: ETCD_RESTORE.envFile,
    kpaas_etcd_data_dir: ETCD_RESTORE.dataDir,
    kpaas_etcdutl: ETCD_RESTORE.etcdutl,
    kpaas_etcd_restore_revision_bump: ETCD_RESTORE.revisionBump,
    kpaas_etcdutl_min_version: ETCD_RESTORE.minEtcdutl,
    kpaas_etcdutl_version_line: ETCDUTL_VERSION_OUTPUT.line,
    kpaas_etcd_flags: {
      etcdutl: etcdFlagNames('etcdutl'),
      restore: etcdFlagNames('etcdutlSnapshotRestore'),
      etcdctl: etcdFlagNames('etcdctl'),
      endpoint: etcdFlagNames('etcdctlEndpointHealth'),
    },
    kpaas_control_plane_manifest_dir: ETCD_RESTORE.manifestDir,
    kpaas_control_plane_manifests: [...ETCD_RESTORE.controlPlaneManifests],
    kpaas_control_plane_parked_dir: ETCD_RESTORE.parkedDir,
    kpaas_apiserver_port: PLATFORM.apiServerPort,
    kpaas_metallb_version: metallbVersion,
    kpaas_metallb_manifest_url: metallb.url,
    kpaas_metallb_manifest_checksum: metallb.checksum,
    kpaas_metallb_namespace: PLATFORM.metallb.namespace,
    kpaas_kubectl: KUBESPRAY_PATHS.kubectl,
    kpaas_kubeconfig: KUBESPRAY_PATHS.adminConf,
    kpaas_harbor_url: platformUrl(config.hosts.harbor),
    kpaas_harbor_admin_secret_path: secretsFolderPath(config, portal.harborAdminSecretFile, projectPath),
    kpaas_portal_registry: config.portal.registry,
    kpaas_portal_image_project: portal.project,
    kpaas_portal_images: [...portal.images],
    kpaas_portal_image_tag: VERSIONS.kpaasPortal,
    kpaas_portal_namespace: portal.namespace,
    kpaas_portal_pull_secret: portal.pullSecret,
    kpaas_portal_pull_secret_labels: { ...portal.pullSecretLabels },
    kpaas_portal_robot: PORTAL_IMAGES.robot,
    kpaas_portal_ca_path: PORTAL_IMAGES.caPath,
    kpaas_portal_images_dir: PORTAL_IMAGES.dir,
    kpaas_portal_images_archive_url: PORTAL_IMAGES.archiveUrl,
    kpaas_portal_images_archive_checksum: '',
    kpaas_portal_images_archive_folder: PORTAL_IMAGES.archiveFolder,
    kpaas_portal_images_source_registry: '',
    kpaas_portal_images_source_tag: '{{ kpaas_portal_image_tag }}',
  };
}
