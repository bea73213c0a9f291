import { PLATFORM } from '../../config';
import { OPENBAO_CLIENT_ACCOUNT, PodSecurityLevel, POSTGRES_IMAGE, postgresSelector } from '../../constructs/k8s';
import type { PlatformService } from '../../constructs/platform-service';
import { NFS_STORAGE_CLASSES } from '../nfs-storage/nfs-storage-names';
import { KeycloakChart } from './keycloak-chart';
import { KEYCLOAK_CONNECTIONS } from './keycloak-connections';
import { KEYCLOAK_DATABASE, KEYCLOAK_ENDPOINTS, KEYCLOAK_IMAGE, KEYCLOAK_NAMESPACE, KEYCLOAK_SECRETS } from './keycloak-names';
import { keycloakSecrets } from './keycloak-secrets';

const database = KEYCLOAK_ENDPOINTS.database;

/** Keycloak: the platform's identity provider at keycloak.<domain>, under /auth. */
export const KEYCLOAK: PlatformService = {
  name: 'keycloak',
  title: 'Keycloak',
  manifest: '30-keycloak',
  namespace: { name: KEYCLOAK_NAMESPACE, podSecurity: PodSecurityLevel.RESTRICTED },
  hosts: (config) => {
    const path = PLATFORM.keycloak.relativePath;
    return [{ name: config.hosts.keycloak, reach: `\`https://${config.hosts.keycloak}${path}\` (admin console at \`${path}/admin\`); issuer \`${config.identity.issuerUrl}\`` }];
  },
  endpoints: KEYCLOAK_ENDPOINTS,
  secrets: keycloakSecrets,
  openbao: {
    boundServiceAccounts: [OPENBAO_CLIENT_ACCOUNT],
    databases: [{ name: 'keycloak', server: database, database: KEYCLOAK_DATABASE.database, ownerSecret: KEYCLOAK_SECRETS.db, selector: postgresSelector('keycloak') }],
  },
  connections: () => KEYCLOAK_CONNECTIONS,
  images: () => [KEYCLOAK_IMAGE, POSTGRES_IMAGE],
  chart: (scope, { config, connections }) => new KeycloakChart(scope, KEYCLOAK.manifest, { config, connections, databaseStorageClass: NFS_STORAGE_CLASSES.retain }),
};
