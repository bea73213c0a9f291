import { PLATFORM } from '../../config';
import { OPENBAO_CLIENT_ACCOUNT, PodSecurityLevel } from '../../constructs/k8s';
import type { PlatformService } from '../../constructs/platform-service';
import { KeycloakChart } from './keycloak-chart';
import { KEYCLOAK_CONNECTIONS } from './keycloak-connections';
import { KEYCLOAK_ENDPOINTS, KEYCLOAK_IMAGE, KEYCLOAK_NAMESPACE, keycloakPublicUrl } from './keycloak-names';
import { keycloakSecrets } from './keycloak-secrets';

/** Keycloak: the platform's identity provider at keycloak.<domain>, under /auth. */
export const KEYCLOAK: PlatformService = {
  name: 'keycloak',
  title: 'Keycloak',
  manifest: '30-keycloak',
  namespace: { name: KEYCLOAK_NAMESPACE, podSecurity: PodSecurityLevel.RESTRICTED },
  hosts: (config) => {
    const base = keycloakPublicUrl(config);
    return [{ name: config.hosts.keycloak, reach: `\`${base}\` (admin console at \`${PLATFORM.keycloak.relativePath}/admin\`); issuer \`${config.identity.issuerUrl}\`` }];
  },
  endpoints: KEYCLOAK_ENDPOINTS,
  secrets: keycloakSecrets,
  // no database for OpenBao's engine: Keycloak's tables are in the CP-Portal's MariaDB
  openbao: { boundServiceAccounts: [OPENBAO_CLIENT_ACCOUNT] },
  connections: () => KEYCLOAK_CONNECTIONS,
  images: () => [KEYCLOAK_IMAGE],
  chart: (scope, { config, connections }) => new KeycloakChart(scope, KEYCLOAK.manifest, { config, connections }),
};
