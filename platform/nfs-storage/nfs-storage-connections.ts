import { API, appLabels, Connection, Peer, podsPeer } from '../../config/contracts/connections';
import { NFS_NAMESPACE } from './nfs-storage-names';

/** The provisioner's pods. */
export const NFS_PROVISIONER_PEER: Peer = podsPeer(NFS_NAMESPACE, appLabels('nfs-subdir-external-provisioner'));

/** The connections the NFS provisioner makes. */
export const NFS_STORAGE_CONNECTIONS: readonly Connection[] = [  {
    component: 'nfs-storage', name: 'nfs-provisioner -> kube-apiserver', from: NFS_PROVISIONER_PEER, to: API, port: 6443, protocol: 'TCP',
    why: 'watches claims and classes, creates and deletes PersistentVolumes, holds the leader lock',
    opens: { repo: 'kubernetes-sigs/nfs-subdir-external-provisioner', ref: 'v4.0.2', path: 'cmd/nfs-subdir-external-provisioner/provisioner.go', note: 'rest.InClusterConfig and controller.NewProvisionController' },
  },
];
