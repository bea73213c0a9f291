/**
 * The ansible output: the kubespray inventory and group_vars, our playbooks, the K-PaaS installer's
 * variables and a README, as file contents by path relative to dist/ansible. Pure: the same config
 * gives the same bytes, with no absolute paths, timestamps or secrets.
 */
import type { PlatformConfig } from '../config';
import { releaseTrack } from '../config/tracks';
import { CP_CLUSTER_VARS, installerFormat, renderCpClusterVars } from './cp-cluster-vars';
import { INSTALLER_VAR_NOTES, INSTALLER_VARS, installerVars, installerVarsFolder } from './installer-vars';
import { buildInventory, INVENTORY_FILE } from './inventory';
import { KPAAS_VAR_NOTES, kpaasVars, type PortalImagesFacts } from './kpaas-vars';
import { addonVars, allVars, calicoVars, etcdVars, k8sClusterVars, varNotes } from './kubespray-vars';
import { PLAYBOOK_FILES } from './playbooks';
import { renderReadme } from './readme';
import { yamlFile } from './yaml-file';

/** Files to write with mode 0755. */
export const EXECUTABLE_FILES: ReadonlySet<string> = new Set([CP_CLUSTER_VARS]);

export interface RenderAnsibleOptions {
  /**
   * The names the nodes (/etc/hosts), CoreDNS and nodelocaldns answer with the ingress IP: the apex
   * domain and the platform services' hosts, in the order given. The caller knows the platform
   * services; this renderer does not.
   */
  readonly platformHostnames: readonly string[];
  /** What playbooks/portal-images.yml pushes and writes: the manifests' names, from the caller. */
  readonly portalImages: PortalImagesFacts;
  /**
   * The project directory as seen from the dist folder (POSIX), for the default CA path of the
   * playbooks: `..` when dist is `<project>/dist`.
   * @default '..'
   */
  readonly projectPath?: string;
}

export function renderAnsible(config: PlatformConfig, options: RenderAnsibleOptions): Map<string, string> {
  const { platformHostnames } = options;
  const track = releaseTrack(config.versions.track);
  const VAR_NOTES = varNotes(track);
  const kubespray = (what: string) => [`kubespray ${what} (variable names of kubespray ${track.kubespray.version}).`];
  // undefined together: the tracks and ingress controllers the installer does not support
  const installer = installerFormat(config);
  const cpClusterVars = renderCpClusterVars(config);
  const files = new Map<string, string>([
    ['README.md', renderReadme(config)],
    // the K-PaaS installer's files, on the tracks its installer supports
    ...(installer === undefined || cpClusterVars === undefined ? [] : [
      [CP_CLUSTER_VARS, cpClusterVars] as [string, string],
      [INSTALLER_VARS, yamlFile([`For the K-PaaS installer: copy into its ${installerVarsFolder(installer)}/ (see README.md).`, ...kubespray('settings the installer has no variable for')], installerVars(config, platformHostnames), INSTALLER_VAR_NOTES)] as [string, string],
    ]),
    [INVENTORY_FILE, yamlFile(['Nodes and groups for kubespray and our playbooks.'], buildInventory(config))],
    ['inventory/group_vars/all/all.yml', yamlFile(kubespray('settings of every host'), allVars(config), VAR_NOTES)],
    ['inventory/group_vars/all/etcd.yml', yamlFile(kubespray('etcd deployment'), etcdVars(), VAR_NOTES)],
    ['inventory/group_vars/all/kpaas.yml', yamlFile(['Settings of the playbooks in playbooks/ (kubespray ignores them).'], kpaasVars(config, platformHostnames, options.portalImages, options.projectPath ?? '..'), KPAAS_VAR_NOTES)],
    ['inventory/group_vars/k8s_cluster/k8s-cluster.yml', yamlFile(kubespray('cluster settings'), k8sClusterVars(config, platformHostnames, options.projectPath ?? '..'), VAR_NOTES)],
    ['inventory/group_vars/k8s_cluster/k8s-net-calico.yml', yamlFile(kubespray('Calico settings'), calicoVars(), VAR_NOTES)],
    ['inventory/group_vars/k8s_cluster/addons.yml', yamlFile(kubespray('addons'), addonVars(config), VAR_NOTES)],
    ...PLAYBOOK_FILES,
  ]);
  // sorted, so every consumer (writer, snapshot, checksum) sees one order
  return new Map([...files.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
