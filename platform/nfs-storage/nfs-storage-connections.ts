import { PLATFORM } from '../../config/platform';
import { API, Connection, Peer, podsPeer } from '../../config/contracts/connections';
import { NFS_NAMESPACE, NFS_PROVISIONER_SELECTOR } from './nfs-storage-names';

/** The provisioner's pods. */
export const NFS_PROVISIONER_PEER: Peer = podsPeer(NFS_NAMESPACE, { ...NFS_PROVISIONER_SELECTOR });

/**
 * The connections the NFS provisioner makes. The NFS mount itself is the kubelet's (host
 * network), not the pod's.
 */
export const NFS_STORAGE_CONNECTIONS: readonly Connection[] = [
  {
    component: 'nfs-storage', name: 'nfs-provisioner -> kube-apiserver', from: NFS_PROVISIONER_PEER, to: API, port: PLATFORM.apiServerPort, protocol: 'TCP',
    why: 'watches claims and classes, creates and deletes PersistentVolumes, holds the leader lock',
    opens: { repo: 'kubernetes-sigs/nfs-subdir-external-provisioner', ref: 'v4.0.2', path: 'cmd/nfs-subdir-external-provisioner/provisioner.go', note: 'rest.InClusterConfig and controller.NewProvisionController' },
  },
];
