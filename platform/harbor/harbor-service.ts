import { platformUrl } from '../../config';
import { OPENBAO_CLIENT_ACCOUNT, PodSecurityLevel, POSTGRES_IMAGE } from '../../constructs/k8s';
import type { PlatformService } from '../../constructs/platform-service';
import { NFS_STORAGE_CLASSES } from '../nfs-storage/nfs-storage-names';
import { HarborChart } from './harbor-chart';
import { HARBOR_CONNECTIONS } from './harbor-connections';
import { HARBOR_ADDRESSES, HARBOR_DATABASE, HARBOR_NAMESPACE, HARBOR_SECRETS, HARBOR_SELECTORS } from './harbor-names';
import { harborSecrets } from './harbor-secrets';
import { HARBOR_IMAGES } from './harbor-workload';

/** Harbor: the platform's registry at harbor.<domain>, with OIDC login through Keycloak. */
export const HARBOR: PlatformService = {
  name: 'harbor',
  title: 'Harbor',
  manifest: '50-harbor',
  namespace: { name: HARBOR_NAMESPACE, podSecurity: PodSecurityLevel.RESTRICTED },
  hosts: (config) => [{
    name: config.hosts.harbor,
    reach: `\`${platformUrl(config.hosts.harbor)}\` (UI, API, OIDC login); \`docker login ${config.hosts.harbor}\`; Helm charts as OCI artifacts`,
  }],
  endpoints: HARBOR_ADDRESSES,
  secrets: harborSecrets,
  openbao: {
    boundServiceAccounts: [OPENBAO_CLIENT_ACCOUNT],
    databases: [{ name: 'harbor', server: HARBOR_ADDRESSES.database, database: HARBOR_DATABASE.database, ownerSecret: HARBOR_SECRETS.db, selector: HARBOR_SELECTORS.database }],
  },
  connections: () => HARBOR_CONNECTIONS,
  images: () => [HARBOR_IMAGES.core, HARBOR_IMAGES.portal, HARBOR_IMAGES.jobservice, HARBOR_IMAGES.registry, HARBOR_IMAGES.registryctl, HARBOR_IMAGES.trivyAdapter, HARBOR_IMAGES.redis, POSTGRES_IMAGE],
  chart: (scope, { config, connections }) => new HarborChart(scope, HARBOR.manifest, { config, connections, storageClass: NFS_STORAGE_CLASSES.shared, databaseStorageClass: NFS_STORAGE_CLASSES.retain }),
};
