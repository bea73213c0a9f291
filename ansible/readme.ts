/**
 * dist/ansible/README.md: what each file holds, the bootstrap from `terraform apply` to a running
 * cluster (kubespray or the K-PaaS installer) and the etcd restore procedure, with this cluster's
 * names and addresses filled in.
 */
import { ingressPlacement, platformApplyCommands, PLATFORM, VERSIONS, type PlatformConfig } from '../config';
import { DEFAULT_TRACK, type InstallerFormat, releaseTrack } from '../config/tracks';
import { apiListener } from './checks';
import { CONNECTION_INVENTORY } from './connect';
import { CP_CLUSTER_VARS, CP_CLUSTER_VARS_CONNECTION, installerFormat, installerUnsupported } from './cp-cluster-vars';
import { INSTALLER_VARS, installerVarsTarget } from './installer-vars';
import { KUBESPRAY_CREDENTIALS_FOLDER } from './kubespray-vars';
import { etcdMemberName, INVENTORY_FILE } from './inventory';
import { CA_CERT_FILE } from '../config/platform';
import * as path from 'path';
import { ETCD_BACKUP, ETCD_BACKUP_UPLOAD, ETCD_RESTORE, etcdSnapshotName } from './kpaas-vars';
import { GENERATED_BY } from './yaml-file';
import { etcdFlagNames } from '../config/contracts/etcd-tools';

/** The etcd flags the manual commands pass, by name from etcd's tools contract as the templates take them (kpaas_etcd_flags). */
const RESTORE_FLAG = etcdFlagNames('etcdutlSnapshotRestore');
const CTL_FLAG = etcdFlagNames('etcdctl');
const HEALTH_FLAG = etcdFlagNames('etcdctlEndpointHealth');

/**
 * The commands of the kubespray route, as README.md and docs/ansible.md print them too (a test runs
 * them against kubespray v2.28.1 with --syntax-check). kubespray's ansible.cfg sets its roles
 * path and library relative to itself, so ansible must be pointed at it (ANSIBLE_CONFIG).
 */
export function kubesprayCommands(kubespray: string): readonly string[] {
  return Object.freeze([
  `git clone --depth 1 --branch ${kubespray} https://github.com/kubernetes-sigs/kubespray.git`,
  'python3 -m venv .venv-kubespray && . .venv-kubespray/bin/activate',
  'pip install -r kubespray/requirements.txt',
  kubesprayPlaybookCommand(`-i "$PWD/${distInventory()}"`, 'cluster.yml'),
  ]);
}

/**
 * The inventory folder of a dist, from the project directory.
 * @param dist the output folder as the user gives it to synth (`--out`); `dist` in the READMEs
 */
export function distInventory(dist = 'dist'): string {
  return `${dist}/ansible/inventory`;
}

/** One of kubespray's playbooks (`cluster.yml`, `scale.yml`, ...) run from the project with its ansible.cfg. */
export function kubesprayPlaybookCommand(inventoryArgs: string, playbook: string): string {
  return `ANSIBLE_CONFIG="$PWD/kubespray/ansible.cfg" ansible-playbook ${inventoryArgs} --become kubespray/${playbook}`;
}

/** The commands for the seed's kubespray (the default release track). */
export const KUBESPRAY_COMMANDS: readonly string[] = kubesprayCommands(releaseTrack(DEFAULT_TRACK).kubespray.version);

/**
 * One of our playbooks run from the project directory with the dist's inventory: the README's
 * commands and `kpaas synth`'s scale summary (cli/scale-summary.ts) both come from here.
 * @param extra appended as is (`' --limit worker-4'`, `' -e name=value'`)
 * @param dist the output folder as the user gives it to synth (`--out`); `dist` in the READMEs
 */
export function ourPlaybookCommand(playbook: string, extra = '', dist = 'dist'): string {
  return `ansible-playbook -i ${distInventory(dist)} ${dist}/ansible/playbooks/${playbook}${extra}`;
}

/** MetalLB after kubespray. */
export const METALLB_COMMAND = ourPlaybookCommand('metallb.yml');

/**
 * Restores etcd on every master from one snapshot (playbooks/etcd-restore.yml). SNAPSHOT is
 * `<node>/<snapshot file>` in the bucket of backup.objectStorage or an absolute path on the first master.
 */
export const ETCD_RESTORE_COMMAND =
  ourPlaybookCommand('etcd-restore.yml', ' -e kpaas_etcd_restore_snapshot=SNAPSHOT');

/** The CP-Portal's images into Harbor, once dist/manifests is applied (docs/portal-images.md). */
export const PORTAL_IMAGES_COMMAND =
  ourPlaybookCommand('portal-images.yml', ' -e kpaas_portal_images_archive_checksum=sha256:<hex>');

/**
 * K-PaaS v1.6.2's installer, run as its guide says (deploy-cp-cluster.sh is mode 644 and uses
 * `return`); undefined if the default track had no installer. Each track's entry says how its
 * installer runs (config/tracks.ts `installer.run`) and writes the connection file's name there;
 * test/config/tracks.test.ts holds it to CP_CLUSTER_VARS_CONNECTION: sourced first where the
 * installer sources cp-cluster-vars.sh, never named where it reads the file as lines (there the two
 * files are joined: installerCopy).
 */
export const INSTALLER_COMMAND: string | undefined = releaseTrack(DEFAULT_TRACK).installer?.run;

/** How cp-cluster-vars.sh and the connection file reach the installer's folder. */
function installerCopy(installer: InstallerFormat): string {
  const target = `cp-deployment/${installer.folder}`;
  return installer.reads.how === 'source'
    ? `copy \`dist/ansible/${CP_CLUSTER_VARS}\` and \`dist/ansible/${CP_CLUSTER_VARS_CONNECTION}\`
     into \`${target}/\``
    : `write \`dist/ansible/${CP_CLUSTER_VARS}\` with \`dist/ansible/${CP_CLUSTER_VARS_CONNECTION}\` after it
     into \`${target}/${CP_CLUSTER_VARS}\` (\`cat dist/ansible/${CP_CLUSTER_VARS} dist/ansible/${CP_CLUSTER_VARS_CONNECTION} > ${target}/${CP_CLUSTER_VARS}\`:
     the installer reads that file line by line, not as a shell script)`;
}

/** Removes what the installer's cp/storage role installs (roles/cp/storage/tasks/main.yml) before dist/manifests is applied. */
export const INSTALLER_CLEANUP = 'helm uninstall nfs-subdir-external-provisioner && kubectl delete storageclass cp-storageclass';

/** The control-plane manifests the restore parks, as the README names them. */
const PARKED_LIST = ETCD_RESTORE.controlPlaneManifests.map((m) => `\`${m}\``).join(', ');

/** The off-site paragraph of the backups section: what is uploaded where, or how to turn it on. */
function offSite(config: PlatformConfig): string {
  const o = config.backup.objectStorage;
  if (!o) {
    return `
They stay on the masters: set \`backup.objectStorage\` in the configuration to upload each one to Kakao
Object Storage (the project's docs/ansible.md), or copy them off the cluster to encrypted storage yourself.
`;
  }
  return `
Each snapshot is then uploaded with rclone (installed from Ubuntu's archive by the playbook) to
\`${o.endpoint}\`, bucket \`${o.bucket}\` (region ${o.region}), as
\`${o.prefix}/${config.name}/<node>/${etcdSnapshotName()}\`; the newest ${o.keep} of each master are kept there.
The access key comes only from \`${o.credentialsFile}\` on each master, which you place (root, mode 0600):

\`\`\`sh
install -d -m 0700 ${path.posix.dirname(o.credentialsFile)}
install -m 0600 /dev/null ${o.credentialsFile}
printf '${ETCD_BACKUP_UPLOAD.accessKeyVar}=%s\\n${ETCD_BACKUP_UPLOAD.secretKeyVar}=%s\\n' '<access key id>' '<secret access key>' > ${o.credentialsFile}
\`\`\`

A failed upload (no credentials, the endpoint down after rclone's retries, a refused request) fails the run:
\`systemctl status kpaas-etcd-backup.service\` shows it failed and the journal says why. The local snapshot is
kept either way. \`kpaas-etcd-backup list\` lists a master's snapshots in the bucket.
`;
}

export function renderReadme(config: PlatformConfig): string {
  const masters = config.nodes.masters.nodes;
  const first = masters[0];
  const api = apiListener(config);
  const initialCluster = masters.map((m) => `${etcdMemberName(m)}=https://${m.privateIp}:2380`).join(',');
  const masterList = masters.map((m) => `\`${m.name}\` (${m.privateIp}, ${etcdMemberName(m)})`).join(', ');
  const track = releaseTrack(config.versions.track);
  const kubespray = track.kubespray.version;
  const installer = installerFormat(config);
  const nginx = config.ingress.controller === 'ingress-nginx';
  const fork = track.kubespray.kpaasFork
    ? `(K-PaaS ${config.versions.kpaas} runs its own fork of kubespray ${track.kubespray.kpaasFork}; ${kubespray} is that release's patch
release, so its fixes come from upstream)`
    : `(the kubespray release of K-PaaS ${config.versions.kpaas}'s cluster layer; release track \`${track.id}\`)`;
  // kubespray's ingress-nginx addon: on where the track's kubespray still has it and it is the chosen controller
  const ingressAddon = nginx && track.kubesprayNames.ingressNginxPrefix !== undefined;
  // why there is no installer route, as a clause ("the K-PaaS installer does not support ...")
  const noInstaller = (installerUnsupported(config) ?? '').replace(/^./, (c) => c.toLowerCase()).replace(/\.$/, '');
  const ingressText = nginx ? 'ingress-nginx' : 'Envoy Gateway (from dist/manifests)';
  const intro = installer
    ? `Turns the machines of \`dist/terraform/infra\` into the K-PaaS ${config.versions.kpaas} cluster: Kubernetes
${config.versions.kubernetes} with CRI-O, Calico VXLAN, MetalLB and ${ingressText}, built by stock kubespray ${kubespray}
${fork} or by the official K-PaaS installer.`
    : `Turns the machines of \`dist/terraform/infra\` into the cluster of the K-PaaS ${config.versions.kpaas} platform services:
Kubernetes ${config.versions.kubernetes} with CRI-O, Calico VXLAN, MetalLB and ${ingressText}, built by stock kubespray ${kubespray} (release
track \`${track.id}\`). There is no \`${CP_CLUSTER_VARS}\`: ${noInstaller}.${ingressAddon ? '' : ` kubespray's ingress-nginx addon is off${track.kubesprayNames.ingressNginxPrefix === undefined ? ` (kubespray ${kubespray} has none)` : ''}: the ingress controller comes with dist/manifests.`}`;
  return `# dist/ansible: cluster bootstrap

<!-- ${GENERATED_BY} -->

${intro} Commands below run from the
project directory.

## Files

| file | holds |
|---|---|
| \`${INVENTORY_FILE}\` | every node by name with \`ansible_host\`, \`ip\`, \`access_ip\` (its private IP) and, on the masters, \`etcd_member_name\`; kubespray's groups (\`kube_control_plane\`, \`etcd\`, \`kube_node\`, \`calico_rr\`, \`k8s_cluster\`) and ours (\`kpaas_nfs_server\`, \`kpaas_nfs_clients\`) |
| \`inventory/group_vars/all/all.yml\` | the external API load balancer (${config.loadBalancers.master.vip ? `${config.loadBalancers.master.vip}:${api.port}` : `port ${api.port}; its VIP is known after terraform apply and written by \`kpaas connect\``}, named \`${PLATFORM.apiEndpointName}\`) and CoreDNS's upstream resolvers |
| \`inventory/group_vars/all/etcd.yml\` | etcd as a service on the masters, data in \`${ETCD_RESTORE.dataDir}\` |
| \`inventory/group_vars/all/kpaas.yml\` | the SSH user and the settings of our playbooks (\`kpaas_*\`) |
| \`inventory/group_vars/k8s_cluster/k8s-cluster.yml\` | Kubernetes version, CRI-O, CIDRs, kube-proxy ipvs with strict ARP, Secrets encryption, audit log, nodelocaldns, API certificate addresses, OIDC flags, K-PaaS's admission plugins and Pod Security defaults, kubelet serving certificates, where kubespray keeps its credentials |
| \`inventory/group_vars/k8s_cluster/k8s-net-calico.yml\` | Calico VXLAN and its MTU |
| \`inventory/group_vars/k8s_cluster/addons.yml\` | Helm, metrics-server, ${ingressAddon ? `ingress-nginx on ${config.ingress.ip} with NodePorts ${config.ingress.httpNodePort}/${config.ingress.httpsNodePort}` : 'no ingress-nginx (Envoy Gateway from dist/manifests takes the ingress IP and NodePorts)'}; kubespray's MetalLB addon off (it installs only v0.13.9) |
| \`playbooks/site.yml\` | runs ours in order: node-prep, ca-trust, nfs, etcd-backup |
| \`playbooks/node-prep.yml\` | packages, kernel modules, sysctl (conntrack table, TCP buffers), chrony, hostname, /etc/hosts for the nodes and the platform services |
| \`playbooks/ca-trust.yml\` | the platform CA in the OS trust store and in CRI-O's trust for \`${config.hosts.harbor}\` |
| \`playbooks/nfs.yml\` | NFS server on ${config.storage.nfsServer.name} exporting ${config.storage.nfsPath} to ${config.network.subnet.cidr}; mounts on the workers |
| \`playbooks/etcd-backup.yml\` | a daily snapshot timer on every master${config.backup.objectStorage ? `, uploading each snapshot to the bucket \`${config.backup.objectStorage.bucket}\`` : ''} |
| \`playbooks/etcd-restore.yml\` | restores etcd on every master from one snapshot, in order (run only to restore) |
| \`playbooks/metallb.yml\` | MetalLB ${track.metallb} from its release manifest (checksum-verified), run after kubespray; the pools are in dist/manifests |
| \`playbooks/portal-images.yml\` | on ${first.name}, once Harbor runs: the private Harbor project, a pull-only robot account, the CP-Portal images pushed with skopeo as \`${config.portal.registry}/<component>:${VERSIONS.kpaasPortal}\`, and the portal's pull Secret |
${installer ? `| \`${INSTALLER_VARS}\` | for the K-PaaS installer: what its group_vars lack (OIDC, Calico MTU, platform names in CoreDNS, MetalLB pools, CSR approver) |
| \`${CP_CLUSTER_VARS}\` | the same cluster as variables of K-PaaS's \`deploy-cp-cluster.sh\` |
| \`${CONNECTION_INVENTORY}\`, \`${CP_CLUSTER_VARS_CONNECTION}\` | written by \`kpaas connect\` after \`terraform apply\` (not by synth, which keeps them) |
` : `| \`${CONNECTION_INVENTORY}\` | written by \`kpaas connect\` after \`terraform apply\` (not by synth, which keeps it) |
`}
## From terraform apply to a running cluster

1. Create the machines: \`terraform -chdir=dist/terraform/infra init && terraform -chdir=dist/terraform/infra apply\`.
2. Tell ansible how to reach them:
   \`terraform -chdir=dist/terraform/infra output -json | ./kpaas connect --from -\`.
   This writes \`dist/ansible/${CONNECTION_INVENTORY}\`: nodes with a public IP are reached directly,
   the others through the first master as an SSH jump host, and the master LB's public IP joins the
   API certificate. Host keys are recorded on first contact (\`StrictHostKeyChecking=accept-new\`).
   Load your key into ssh-agent (or add \`--private-key\` to the commands below).
3. Make the platform CA with the secrets command (it lands in \`${config.secrets.dir}/${CA_CERT_FILE}\`; another path is
   passed with \`-e kpaas_ca_cert_path=/path/ca.crt\`). Without it the CA step says \`SKIPPED\` and changes nothing.
   Make it before the cluster is built: the API servers read the trust bundle they verify Keycloak with
   when they start (a CA added later needs a restart of each API server).
4. Check the connection: \`ansible -i ${distInventory()} all -m ansible.builtin.ping\`.
5. Prepare the nodes: \`${ourPlaybookCommand('site.yml')}\`.
${installer ? `6. Build the cluster, either way:
   - **kubespray directly** (uses every setting in \`inventory/group_vars\`). kubespray reads its` : `6. Build the cluster with kubespray ${kubespray} (${noInstaller}):
   - **kubespray** (uses every setting in \`inventory/group_vars\`; its \`requirements.txt\` brings the ansible-core
     it accepts, >= ${track.ansibleCore.min} and < ${track.ansibleCore.below}). kubespray reads its`}
     \`ansible.cfg\` (roles path, library) only from its own folder or through \`ANSIBLE_CONFIG\`:
     \`\`\`sh
     ${kubesprayCommands(kubespray).join('\n     ')}
     \`\`\`
     kubespray keeps what it generates once, among it the key Secrets are encrypted with in etcd, in
     \`${config.secrets.dir}/${KUBESPRAY_CREDENTIALS_FOLDER}/\` (outside dist): back it up with the secrets folder.
     Then install MetalLB (kubespray ${kubespray}'s addon can only install v0.13.9):
     \`${METALLB_COMMAND}\`.
${installer ? `   - **the K-PaaS installer**: on ${first.name}, with cp-deployment checked out at \`${installer.checkout.path}\`
     (its roles read files there) and passwordless SSH from it to every node as the
     installer's guide requires, ${installerCopy(installer)} of K-PaaS ${installer.kpaas}, and \`dist/ansible/${INSTALLER_VARS}\` to
     \`${installerVarsTarget(installer)}\` (the settings the installer has no variable for;
     its own group_vars are rewritten on every run, this file is not). Then, in \`cp-deployment/${installer.folder}\`,
     as its guide says${installer.assignment === 'export' ? ' (the script is not executable and ends with \`return\`)' : ''}:
     \`${installer.run}\`. Do not run \`playbooks/metallb.yml\`: the installer installs MetalLB ${track.metallb}.
     The installer also installs its own NFS provisioner and a \`cp-storageclass\` that dist/manifests replaces
     (a StorageClass's provisioner and reclaim policy cannot be changed in place); remove them before step 8:
     \`${INSTALLER_CLEANUP}\`.
` : ''}7. Use the cluster: \`/etc/kubernetes/admin.conf\` on ${first.name} points at \`https://${PLATFORM.apiEndpointName}:${api.port}\`;
   from outside, map \`${PLATFORM.apiEndpointName}\` to the master LB's public IP in \`/etc/hosts\`.
8. Apply the platform, the namespaces first, then the Secrets of step 3 they hold, then everything:
   \`${platformApplyCommands(config).join(' && ')}\`${ingressPlacement(config).serverSideApply ? ' (server-side: the Gateway API and Envoy Gateway CRDs are larger than the annotation client-side apply keeps)' : ''}. The ingress controller's Service waits for
   ${config.ingress.ip} until the MetalLB address pools from dist/manifests exist.
9. Push the CP-Portal images to Harbor and write their pull Secret, from K-PaaS's portal deployment
   tarball (its SHA-256 is not published: check the file and pass yours) or, with
   \`-e kpaas_portal_images_source_registry=<registry>/<path>\`, from a registry:
   \`${PORTAL_IMAGES_COMMAND}\`. It reads the Harbor administrator's password from
   \`${config.secrets.dir}/manifests/\` (or \`$KPAAS_HARBOR_ADMIN_PASSWORD\`) and writes no secret to dist
   (the project's docs/portal-images.md).

${ingressAddon ? `ingress-nginx is retired upstream (March 2026); it stays the seed's ingress controller and is
installed by kubespray's addon.` : `kubespray ${kubespray} installs no ingress controller (${track.kubesprayNames.ingressNginxPrefix === undefined ? 'its ingress-nginx addon was removed' : 'its ingress-nginx addon is off'}): the one of
dist/manifests serves ${config.ingress.ip}.`} Users log in to the API with Keycloak tokens of the realm
\`${config.identity.realm}\` and client \`${config.identity.kubernetesClientId}\` (issuer \`${config.identity.issuerUrl}\`); their names
get the prefix \`${config.identity.usernamePrefix}\` and their groups \`${config.identity.groupsPrefix}\` in RBAC bindings.

## etcd backups

\`playbooks/etcd-backup.yml\` installs \`kpaas-etcd-backup.timer\` on every master (${masterList}): at
${ETCD_BACKUP.onCalendar.split(' ')[1]} (plus up to 15 minutes) each member saves
\`${ETCD_BACKUP.dir}/${etcdSnapshotName()}\` with \`etcdctl snapshot save\` over ${ETCD_BACKUP.clientUrl} and keeps
the newest ${ETCD_BACKUP.keep}. The service skips itself until kubespray has installed etcd. Check with
\`systemctl list-timers kpaas-etcd-backup.timer\` and \`journalctl -u kpaas-etcd-backup.service\`; run one now with
\`systemctl start kpaas-etcd-backup.service\`. Snapshots hold every Secret (encrypted at rest by the API
server, but still sensitive).
${offSite(config)}
## Restoring etcd

Restore every member from the **same** snapshot. The API is down while it runs. With
\`playbooks/etcd-restore.yml\`, from the project directory:

\`\`\`sh
${ETCD_RESTORE_COMMAND}
\`\`\`

SNAPSHOT is \`<node>/<snapshot file>\` in the bucket (${config.backup.objectStorage ? 'list them on a master with \`kpaas-etcd-backup list\`, or \`NODE=<node> kpaas-etcd-backup list\` for another member' : 'only with backup.objectStorage set'}),
or the absolute path of a snapshot on the first master (\`-e kpaas_etcd_restore_source=<master>\` for
another). The playbook stages the snapshot on that master and checks it with \`etcdutl snapshot status\`,
copies it to every master through a private temporary folder of the control machine (removed at the end),
stops every control plane (its static Pod manifests ${PARKED_LIST} parked in \`${ETCD_RESTORE.parkedDir}\`), stops etcd
on every member, restores each member with its own name and cluster settings from \`${ETCD_RESTORE.envFile}\`
(\`/usr/local/sbin/kpaas-etcd-restore\`, with \`${RESTORE_FLAG.bump_revision} ${ETCD_RESTORE.revisionBump} ${RESTORE_FLAG.mark_compacted}\` so that no
watcher trusts a cache newer than the restored data; the previous data directory is kept as
\`${ETCD_RESTORE.dataDir}.before-restore-<time>\`), starts etcd on all members at once and waits for
\`etcdctl endpoint health ${HEALTH_FLAG.cluster}\`, brings the control planes back and restarts every kubelet. It first
checks every member (etcd on the host, \`${ETCD_RESTORE.envFile}\`, etcdutl ${ETCD_RESTORE.minEtcdutl} or newer) and stops
everywhere at the first failure until the control planes are back.

By hand, the same steps:

1. Pick a snapshot and copy it to every master, e.g. \`${ETCD_BACKUP.dir}/restore.db\`; check it with
   \`etcdutl snapshot status ${ETCD_BACKUP.dir}/restore.db\`.
2. On every master, stop the control plane and etcd:
   \`\`\`sh
   install -d -m 0700 ${ETCD_RESTORE.parkedDir}
${ETCD_RESTORE.controlPlaneManifests.map((m) => `   mv ${ETCD_RESTORE.manifestDir}/${m} ${ETCD_RESTORE.parkedDir}/`).join('\n')}
   systemctl stop ${ETCD_RESTORE.unit}
   \`\`\`
3. On every master, restore into a fresh data directory with the member's own settings from
   \`${ETCD_RESTORE.envFile}\` (written by kubespray):
   \`\`\`sh
   set -a && . ${ETCD_RESTORE.envFile} && set +a
   mv ${ETCD_RESTORE.dataDir} ${ETCD_RESTORE.dataDir}.before-restore
   etcdutl snapshot restore ${ETCD_BACKUP.dir}/restore.db \\
     ${RESTORE_FLAG.name} "$ETCD_NAME" \\
     ${RESTORE_FLAG.initial_cluster} "$ETCD_INITIAL_CLUSTER" \\
     ${RESTORE_FLAG.initial_cluster_token} "$ETCD_INITIAL_CLUSTER_TOKEN" \\
     ${RESTORE_FLAG.initial_advertise_peer_urls} "$ETCD_INITIAL_ADVERTISE_PEER_URLS" \\
     ${RESTORE_FLAG.data_dir} ${ETCD_RESTORE.dataDir} \\
     ${RESTORE_FLAG.bump_revision} ${ETCD_RESTORE.revisionBump} ${RESTORE_FLAG.mark_compacted}
   chmod 700 ${ETCD_RESTORE.dataDir}
   \`\`\`
   For this cluster \`ETCD_INITIAL_CLUSTER\` is \`${initialCluster}\`.
   Use \`etcdutl\` ${ETCD_RESTORE.minEtcdutl} or newer (kubespray installs it beside etcdctl).
4. Start etcd on every master together (\`systemctl start ${ETCD_RESTORE.unit}\`: a member is ready only
   once a quorum runs), then check the members from one of them:
   \`\`\`sh
   etcdctl ${CTL_FLAG.endpoints}=${ETCD_BACKUP.clientUrl} ${CTL_FLAG.cacert}=${ETCD_BACKUP.certDir}/ca.pem \\
     ${CTL_FLAG.cert}=${ETCD_BACKUP.certDir}/admin-$(hostname).pem ${CTL_FLAG.key}=${ETCD_BACKUP.certDir}/admin-$(hostname)-key.pem \\
     endpoint health ${HEALTH_FLAG.cluster}
   \`\`\`
5. On every master, bring the control plane back:
   \`mv ${ETCD_RESTORE.parkedDir}/*.yaml ${ETCD_RESTORE.manifestDir}/\`.
6. Restart the kubelet on every node (\`systemctl restart kubelet\`) so it resyncs, check
   \`kubectl get nodes\`, then remove \`${ETCD_RESTORE.dataDir}.before-restore\` once the cluster is healthy.
`;
}
