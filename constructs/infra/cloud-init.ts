import { stringify } from 'yaml';
import type { ClusterNode } from '../../config';

/** Packages every node needs before ansible runs (python for ansible itself, NFS, time sync). */
const BASE_PACKAGES = ['python3', 'chrony', 'nfs-common'];

/**
 * cloud-init user data of a node: its hostname and the packages the later steps need. Password
 * logins are off and root cannot log in; everything else is ansible's job.
 */
export function cloudInitUserData(node: ClusterNode): string {
  const packages = node.nfsServer ? [...BASE_PACKAGES, 'nfs-kernel-server'] : BASE_PACKAGES;
  const doc = {
    hostname: node.name,
    preserve_hostname: false,
    // ansible writes /etc/hosts for the cluster's names
    manage_etc_hosts: false,
    ssh_pwauth: false,
    disable_root: true,
    package_update: true,
    packages,
  };
  return `#cloud-config\n${stringify(doc)}`;
}
