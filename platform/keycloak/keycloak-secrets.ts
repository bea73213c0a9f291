import type { PlatformConfig } from '../../config';
import { ingressCertificate, pw, SecretCatalog, tlsKeys } from '../../constructs/secret-spec';
import { KEYCLOAK_CLIENT_KEYS, KEYCLOAK_DATABASE, KEYCLOAK_NAMESPACE, KEYCLOAK_SECRETS, KEYCLOAK_USER_KEYS } from './keycloak-names';

export function keycloakSecrets(config: PlatformConfig): SecretCatalog {
  const h = config.hosts;
  const ns = KEYCLOAK_NAMESPACE;
  const n = KEYCLOAK_SECRETS;
  return {
    certificates: [ingressCertificate('keycloak', h.keycloak)],
    secrets: [
      { name: n.tls, namespace: ns, type: 'kubernetes.io/tls', description: `TLS of ${h.keycloak}`, keys: tlsKeys('keycloak') },
      { name: n.admin, namespace: ns, type: 'Opaque', description: 'Keycloak bootstrap administrator', keys: { username: { kind: 'literal', value: 'admin' }, password: pw() } },
      { name: n.db, namespace: ns, type: 'Opaque', description: 'Keycloak\'s user and database on the CP-Portal\'s MariaDB', keys: { database: { kind: 'literal', value: KEYCLOAK_DATABASE.database }, username: { kind: 'literal', value: KEYCLOAK_DATABASE.user }, password: pw() } },
      { name: n.users, namespace: ns, type: 'Opaque', description: 'Initial passwords of the users the realm import creates (realm import placeholders)', keys: { [KEYCLOAK_USER_KEYS.portalAdmin]: pw() } },
      { name: n.clients, namespace: ns, type: 'Opaque', description: 'Client secrets of the realm\'s confidential clients (realm import placeholders)', keys: { [KEYCLOAK_CLIENT_KEYS.portal]: pw(), [KEYCLOAK_CLIENT_KEYS.harbor]: pw() } },
    ],
  };
}
