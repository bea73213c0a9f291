import { platformUrl } from '../../config';
import { OPENBAO_CLIENT_ACCOUNT, PodSecurityLevel } from '../../constructs/k8s';
import type { PlatformService } from '../../constructs/platform-service';
import { NFS_STORAGE_CLASSES } from '../nfs-storage/nfs-storage-names';
import { OpenbaoChart } from './openbao-chart';
import { OPENBAO_CONNECTIONS } from './openbao-connections';
import { OPENBAO_ENDPOINTS, OPENBAO_IMAGES, OPENBAO_NAMESPACE } from './openbao-names';
import { openbaoSecrets } from './openbao-secrets';

/** OpenBao: Raft HA secrets store at openbao.<domain>, with the agent injector. */
export const OPENBAO: PlatformService = {
  name: 'openbao',
  title: 'OpenBao',
  manifest: '40-openbao',
  namespace: { name: OPENBAO_NAMESPACE, podSecurity: PodSecurityLevel.RESTRICTED },
  hosts: (config) => [{
    name: config.hosts.openbao,
    reach: `\`${platformUrl(config.hosts.openbao)}\` (UI, \`BAO_ADDR\`); in the cluster \`${OPENBAO_ENDPOINTS.api.url('https')}\``,
  }],
  endpoints: OPENBAO_ENDPOINTS,
  secrets: openbaoSecrets,
  openbao: { boundServiceAccounts: [OPENBAO_CLIENT_ACCOUNT] },
  connections: () => OPENBAO_CONNECTIONS,
  images: () => [OPENBAO_IMAGES.server, OPENBAO_IMAGES.injector],
  chart: (scope, { config, connections }) => new OpenbaoChart(scope, OPENBAO.manifest, {
    config,
    connections,
    dataStorageClass: NFS_STORAGE_CLASSES.retain,
  }),
};
