import { OPENBAO_CLIENT_ACCOUNT, PodSecurityLevel } from '../../constructs/k8s';
import type { PlatformService } from '../../constructs/platform-service';
import { NfsStorageChart } from './nfs-storage-chart';
import { NFS_STORAGE_CONNECTIONS } from './nfs-storage-connections';
import { NFS_NAMESPACE, NFS_PROVISIONER_IMAGE, NFS_STORAGE_CLASSES } from './nfs-storage-names';

/** Dynamic NFS provisioning from the export on the NFS server node, with the seed's classes. */
export const NFS_STORAGE: PlatformService = {
  name: 'nfs-storage',
  title: 'NFS storage',
  manifest: '20-nfs-storage',
  namespace: {
    name: NFS_NAMESPACE,
    podSecurity: PodSecurityLevel.BASELINE,
    reason: 'the NFS provisioner runs as root to remove volume directories owned by any user',
  },
  hosts: () => [],
  reach: () => `claims with \`storageClassName: ${NFS_STORAGE_CLASSES.shared.name}\` (the default, deleted with the claim) or \`${NFS_STORAGE_CLASSES.retain.name}\` (kept)`,
  storage: (config) => `the export \`${config.storage.nfsServer.privateIp}:${config.storage.nfsPath}\` on ${config.storage.nfsServer.name}`,
  endpoints: {},
  secrets: () => ({ certificates: [], secrets: [] }),
  openbao: { boundServiceAccounts: [OPENBAO_CLIENT_ACCOUNT] },
  connections: () => NFS_STORAGE_CONNECTIONS,
  images: () => [NFS_PROVISIONER_IMAGE],
  chart: (scope, { config, connections }) => new NfsStorageChart(scope, NFS_STORAGE.manifest, { config, connections }),
};

