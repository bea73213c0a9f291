import { PLATFORM, VERSIONS } from '../../config';
import { selectorLabels } from '../../constructs/k8s/labels';
import type { StorageClassRef } from '../../constructs/k8s/storage-class-ref';

/** Names other programs and services know the NFS storage by. */

/** The provisioner's namespace. */
export const NFS_NAMESPACE = PLATFORM.storage.namespace;

/** Name of the provisioner's Deployment, ServiceAccount and RBAC. */
export const NFS_PROVISIONER_NAME = 'nfs-subdir-external-provisioner';

/** Labels of the provisioner's pods. */
export const NFS_PROVISIONER_SELECTOR: Readonly<Record<string, string>> = selectorLabels(NFS_PROVISIONER_NAME);

/** The provisioner's image. */
export const NFS_PROVISIONER_IMAGE = `registry.k8s.io/sig-storage/nfs-subdir-external-provisioner:${VERSIONS.nfsProvisioner}`;

/** The classes the chart makes, for other services' claims. */
export const NFS_STORAGE_CLASSES = {
  /** The seed's class: ReadWriteMany-capable, reclaim Delete, the cluster default. */
  shared: { name: PLATFORM.storage.sharedClass },
  /** Reclaim Retain, for the platform's databases: deleting a claim never deletes the data. */
  retain: { name: PLATFORM.storage.retainClass },
} as const satisfies Record<string, StorageClassRef>;
