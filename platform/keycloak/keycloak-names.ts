import { VERSIONS } from '../../config';
import type { PlatformConfig } from '../../config';
import { postgresAddress } from '../../constructs/k8s/postgres-database';
import { ServiceAddress } from '../../constructs/k8s/service-endpoint';

/** Names other programs and services know keycloak by: its namespace, Secrets and Services. */

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

/** Keycloak's in-cluster Services. */
export const KEYCLOAK_ENDPOINTS = {
  /** The server's plain-HTTP listener: TLS ends at the ingress, the only client. */
  server: new ServiceAddress({ name: 'keycloak', namespace: KEYCLOAK_NAMESPACE, ports: [{ name: 'http', port: 8080 }] }),
  /** Its PostgreSQL server (PostgresDatabase builds it). */
  database: postgresAddress('keycloak', KEYCLOAK_NAMESPACE),
} as const;

/**
 * The replicas' Infinispan cluster over JGroups' default stack, jdbc-ping (the replicas find each
 * other through the database, then connect directly): the transport (jgroups.bind.port) and the
 * failure detection (FD_SOCK2, the bind port plus jgroups.fd.port-offset 50000). Keycloak 26 docs,
 * "Configuring distributed caches", network ports; CachingOptions.java (cache-stack). Pod to pod,
 * without a Service.
 */
export const KEYCLOAK_JGROUPS_PORTS = { transport: 7800, failureDetection: 57800 } as const;

/**
 * The realm's internal id: fixed, so the CP-Portal's common-api can be told it (it matches
 * Keycloak's USER_ENTITY.REALM_ID, KEYCLOAK_CP_REALM_ID) before Keycloak runs. The realm name
 * is unique in Keycloak, so it serves as the id.
 */
export function keycloakRealmId(config: PlatformConfig): string {
  return config.identity.realm;
}
