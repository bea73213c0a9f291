import { MARIADB_IMAGE, OPENBAO_CLIENT_ACCOUNT, PodSecurityLevel } from '../../constructs/k8s';
import type { PlatformService } from '../../constructs/platform-service';
import { PLATFORM, platformUrl } from '../../config';
import { NFS_STORAGE_CLASSES } from '../nfs-storage/nfs-storage-names';
import { PORTAL_API_PATH, PortalChart } from './portal-chart';
import { PORTAL_CONNECTIONS } from './portal-connections';
import { PORTAL_COMPONENT_IMAGES, PORTAL_ENDPOINTS, portalImage, PORTAL_NAMESPACE } from './portal-names';
import { portalSecrets } from './portal-secrets';

/** The CP-Portal: K-PaaS's management console at portal.<domain>. */
export const PORTAL: PlatformService = {
  name: 'portal',
  title: 'CP-Portal',
  manifest: '70-portal',
  namespace: { name: PORTAL_NAMESPACE, podSecurity: PodSecurityLevel.RESTRICTED },
  hosts: (config) => [{
    name: config.hosts.portal,
    reach: `\`${platformUrl(config.hosts.portal)}\` (login through Keycloak, realm \`${config.identity.realm}\`); its API for the browser at \`${platformUrl(config.hosts.portal, PORTAL_API_PATH)}\``,
  }],
  endpoints: PORTAL_ENDPOINTS,
  secrets: portalSecrets,
  openbao: {
    boundServiceAccounts: [OPENBAO_CLIENT_ACCOUNT],
    appRoles: [{ policy: 'cp-portal', outputKey: 'portal_kv', role: PLATFORM.portal.openbaoRole, kvMount: PLATFORM.portal.openbaoKv, description: 'CP-Portal: cluster credentials and settings (secret/cluster/<id>, ...)' }],
  },
  connections: () => PORTAL_CONNECTIONS,
  images: (config) => [...PORTAL_COMPONENT_IMAGES.map((name) => portalImage(config, name)), MARIADB_IMAGE],
  chart: (scope, { config, connections }) => new PortalChart(scope, PORTAL.manifest, { config, connections, databaseStorageClass: NFS_STORAGE_CLASSES.retain }),
};
