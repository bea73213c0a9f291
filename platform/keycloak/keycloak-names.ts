import { PLATFORM, platformUrl, VERSIONS } from '../../config';
import type { PlatformConfig } from '../../config';
import { ServiceAddress } from '../../constructs/k8s/service-endpoint';

/** Names other programs and services know keycloak by: its namespace, Secrets and Services. */

/** Keycloak's namespace. */
export const KEYCLOAK_NAMESPACE = 'keycloak';

/** Keycloak's Secrets, by name (made by `kpaas secrets`). */
export const KEYCLOAK_SECRETS = {
  tls: 'keycloak-tls',
  admin: 'keycloak-admin',
  /** Keycloak's user and database on the portal's MariaDB (the portal's namespace holds a copy for the server's init). */
  db: 'keycloak-db',
  /** Passwords of the users the realm import creates (`${KC_...}` placeholders, like the client secrets). */
  users: 'keycloak-users',
  /** Client secrets of the realm's confidential clients; each client's own Secret copies its key. */
  clients: 'keycloak-clients',
} as const;

/** Keys of the clients Secret, one per confidential client. */
export const KEYCLOAK_CLIENT_KEYS = { portal: 'portal', harbor: 'harbor' } as const;

/** Keys of the users Secret. */
export const KEYCLOAK_USER_KEYS = { portalAdmin: 'portal-admin' } as const;

/**
 * The CP-Portal's initial administrator, created by the realm import: a member of the admins group
 * (the portal's super-administrator role, cp-cluster-admin-role), whose first login registers the
 * portal's SUPER_ADMIN (cp-portal-ui PortalOAuth2UserService, cp-portal-common-api UsersService).
 */
export const KEYCLOAK_PORTAL_ADMIN = 'portal-admin';

/** Keycloak's image. */
export const KEYCLOAK_IMAGE = `quay.io/keycloak/keycloak:${VERSIONS.keycloak}`;

/**
 * Keycloak's database and user on the CP-Portal's MariaDB (the Secret's literal keys). The portal's
 * common-api reads Keycloak's USER_ENTITY in the database named `KEYCLOAK_DB_SCHEMA` on the same
 * server as its own schema (cp-portal-common-api application.yml, spring.datasource.keycloak), so
 * Keycloak keeps its tables there, as K-PaaS runs it (KC_DB=mariadb, database `keycloak`).
 */
export const KEYCLOAK_DATABASE = { database: 'keycloak', user: 'keycloak' } as const;

/**
 * Connections each Keycloak pod may open to its database (db-pool-max-size; Keycloak's default per
 * pod, config/contracts/portal-db-pools.ts, would outgrow the server). The portal's MariaDB derives
 * its max_connections from it.
 */
export const KEYCLOAK_DB_POOL_MAX_SIZE = 30;

/** Keycloak's in-cluster Services. */
export const KEYCLOAK_ENDPOINTS = {
  /** The server's plain-HTTP listener: TLS ends at the ingress, the only client. */
  server: new ServiceAddress({ name: 'keycloak', namespace: KEYCLOAK_NAMESPACE, ports: [{ name: 'http', port: 8080 }] }),
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
 * The realm's internal id (the import's `id`): fixed, so the CP-Portal's common-api can be told it (it matches
 * Keycloak's USER_ENTITY.REALM_ID, KEYCLOAK_CP_REALM_ID) before Keycloak runs. The realm name
 * is unique in Keycloak, so it serves as the id.
 */
export function keycloakRealmId(config: PlatformConfig): string {
  return config.identity.realm;
}

/**
 * Keycloak's public base URL, under its relative path: the base of the issuer (`<base>/realms/<realm>`)
 * that Keycloak announces (KC_HOSTNAME) and that the portal's UI builds its issuer from (KEYCLOAK_URI).
 */
export function keycloakPublicUrl(config: PlatformConfig): string {
  return platformUrl(config.hosts.keycloak, PLATFORM.keycloak.relativePath);
}
