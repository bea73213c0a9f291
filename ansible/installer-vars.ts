/**
 * The K-PaaS installer route: `installer/zz-kpaas.yml`, a group_vars file for the kubespray fork
 * that K-PaaS's `deploy-cp-cluster.sh` runs. The installer writes its own group_vars from templates
 * and has no variable for what this platform needs, so this file goes beside them, in the
 * `group_vars/k8s_cluster/` of the inventory the installer runs (config/tracks.ts
 * `installer.kubespray`: cp-deployment/standalone/inventory/mycluster on v1.6.2, and on v1.7.0 too,
 * whose single/deploy-cp-cluster.sh runs standalone's). Ansible reads a group's files in name order
 * and later files win, so `zz-` puts it after the installer's `addons.yml` and `k8s-cluster.yml`.
 * Neither installer removes files there (v1.6.2 copies over all.yml, addons.yml and inventory.ini;
 * v1.7.0 rewrites inventory.ini and edits all.yml and addons.yml), so the file survives a re-run.
 *
 * The names are kubespray's; the K-PaaS forks (kubespray 2.28.0, and the 2.29-based one of v1.7.0)
 * read the same ones (their roles' defaults and templates).
 */
import { INGRESS_PLACEMENTS, type PlatformConfig } from '../config';
import type { InstallerFormat } from '../config/tracks';
import { calicoVars, k8sClusterVars } from './kubespray-vars';

/** Where synth writes it, relative to dist/ansible. */
export const INSTALLER_VARS = 'installer/zz-kpaas.yml';
/** Its folder, relative to the installer's kubespray folder (cp-deployment/<kubespray.folder>). */
export function installerVarsFolder(installer: InstallerFormat): string {
  return `${installer.kubespray.inventory}/group_vars/k8s_cluster`;
}

/** Where it goes, relative to the folder holding cp-deployment. */
export function installerVarsTarget(installer: InstallerFormat): string {
  return `cp-deployment/${installer.kubespray.folder}/${installerVarsFolder(installer)}/${INSTALLER_VARS.split('/').pop()}`;
}

export const INSTALLER_VAR_NOTES: Readonly<Record<string, string>> = Object.freeze({
  calico_mtu: 'VPC MTU minus the VXLAN header (the installer sets none).',
  kube_oidc_auth: 'The API server accepts Keycloak tokens of the platform realm.',
  dns_etchosts: 'CoreDNS and nodelocaldns answer the platform names with the ingress IP, so pods reach Keycloak and Harbor by their public names.',
  supplementary_addresses_in_ssl_keys: 'API certificate: the master LB VIP and every master.',
  kubelet_csr_approver_enabled: "Serving certificates are approved by kubespray's approver, not once by the installer's kubectl (renewals too).",
  metallb_config: "Only the ingress IP, auto-assigned: the installer's ingress Service asks for none. dist/manifests adds kpaas-pool (no `primary`: overlap).",
  metallb_speaker_tolerations: 'Speakers on the workers only: only their ports may carry MetalLB addresses.',
});

export function installerVars(config: PlatformConfig, platformHostnames: readonly string[]): Record<string, unknown> {
  const k8s = k8sClusterVars(config, platformHostnames);
  const pick = (prefix: RegExp) => Object.fromEntries(Object.entries(k8s).filter(([k]) => prefix.test(k)));
  const calico = calicoVars();
  return {
    calico_mtu: calico.calico_mtu,
    calico_veth_mtu: calico.calico_veth_mtu,
    ...pick(/^kube_oidc_/),
    dns_etchosts: k8s.dns_etchosts,
    supplementary_addresses_in_ssl_keys: k8s.supplementary_addresses_in_ssl_keys,
    kubelet_csr_approver_enabled: true,
    kubelet_csr_approver_values: k8s.kubelet_csr_approver_values,
    metallb_config: {
      // the installer route exists with ingress-nginx only (ansible/cp-cluster-vars.ts installerFormat)
      address_pools: { [INGRESS_PLACEMENTS['ingress-nginx'].pool]: { ip_range: [`${config.ingress.ip}/32`], auto_assign: true } },
      layer2: [INGRESS_PLACEMENTS['ingress-nginx'].pool],
    },
    metallb_speaker_tolerations: [],
  };
}
