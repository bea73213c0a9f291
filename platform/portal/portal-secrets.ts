import type { PlatformConfig } from '../../config';
import { ingressCertificate, platformCaSecret, pw, SecretCatalog, tlsKeys } from '../../constructs/secret-spec';
import { PORTAL_NAMESPACE, PORTAL_SCHEMAS, PORTAL_SECRETS } from './portal-names';
import { KEYCLOAK_CLIENT_KEYS, KEYCLOAK_SECRETS } from '../keycloak/keycloak-names';
import { CHARTMUSEUM_SECRETS } from '../chartmuseum/chartmuseum-names';

export function portalSecrets(config: PlatformConfig): SecretCatalog {
  const h = config.hosts;
  const ns = PORTAL_NAMESPACE;
  const n = PORTAL_SECRETS;
  return {
    certificates: [ingressCertificate('portal', h.portal)],
    secrets: [
      { name: n.tls, namespace: ns, type: 'kubernetes.io/tls', description: `TLS of ${h.portal}`, keys: tlsKeys('portal') },
      {
        name: n.db, namespace: ns, type: 'Opaque', description: 'CP-Portal\'s MariaDB',
        // the portal's prod profiles name the schema `cp` in their JDBC URLs
        keys: { rootPassword: pw(), database: { kind: 'literal', value: PORTAL_SCHEMAS.portal }, username: { kind: 'literal', value: 'cp_portal' }, password: pw() },
      },
      { name: n.api, namespace: ns, type: 'Opaque', description: 'Signing key of the JWTs the portal API hands the UI', keys: { jwtSecret: pw(64) } },
      { name: n.keycloak, namespace: ns, type: 'Opaque', description: 'CP-Portal\'s client secret in the realm', keys: { clientSecret: { kind: 'copy', secret: KEYCLOAK_SECRETS.clients, key: KEYCLOAK_CLIENT_KEYS.portal } } },
      {
        name: n.keycloakDb, namespace: ns, type: 'Opaque', description: 'Keycloak\'s user and database on the portal\'s MariaDB (copy of keycloak/keycloak-db)',
        keys: Object.fromEntries(['database', 'username', 'password'].map((k) => [k, { kind: 'copy', secret: KEYCLOAK_SECRETS.db, key: k }])),
      },
      {
        name: n.chartRepo, namespace: ns, type: 'Opaque', description: 'ChartMuseum\'s basic auth, the UI\'s default chart repository (copy of chartmuseum/chartmuseum-auth)',
        keys: Object.fromEntries(['username', 'password'].map((k) => [k, { kind: 'copy', secret: CHARTMUSEUM_SECRETS.auth, key: k }])),
      },
      platformCaSecret(ns, 'the portal for Keycloak, OpenBao and Harbor'),
    ],
  };
}
