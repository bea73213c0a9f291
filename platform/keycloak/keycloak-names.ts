import { VERSIONS } from '../../config';

/** Names other programs and services know keycloak by: its namespace and its Secrets. */

/** Keycloak's namespace. */
export const KEYCLOAK_NAMESPACE = 'keycloak';

/** Keycloak's Secrets, by name (made by `kpaas secrets`). */
export const KEYCLOAK_SECRETS = {
  tls: 'keycloak-tls',
  admin: 'keycloak-admin',
  db: 'keycloak-db',
  /** Client secrets of the realm's confidential clients; each client's own Secret copies its key. */
  clients: 'keycloak-clients',
} as const;

/** Keys of the clients Secret, one per confidential client. */
export const KEYCLOAK_CLIENT_KEYS = { portal: 'portal', harbor: 'harbor' } as const;

/** Keycloak's image. */
export const KEYCLOAK_IMAGE = `quay.io/keycloak/keycloak:${VERSIONS.keycloak}`;

/** Keycloak's PostgreSQL database and its owner (the Secret's literal keys; OpenBao's engine connects to it). */
export const KEYCLOAK_DATABASE = { database: 'keycloak', owner: 'keycloak' } as const;
