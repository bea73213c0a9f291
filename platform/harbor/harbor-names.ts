/** Names other programs and services know harbor by: its namespace and its Secrets. */

/** Harbor's namespace. */
export const HARBOR_NAMESPACE = 'harbor';

/** Harbor's Secrets, by name (made by `kpaas secrets`). */
export const HARBOR_SECRETS = {
  tls: 'harbor-tls',
  admin: 'harbor-admin',
  db: 'harbor-db',
  core: 'harbor-core',
  jobservice: 'harbor-jobservice',
  registry: 'harbor-registry',
  token: 'harbor-token-service',
  oidc: 'harbor-oidc',
  redis: 'harbor-redis',
} as const;

/** Harbor's PostgreSQL database and its owner (the Secret's literal keys; OpenBao's engine connects to it). */
export const HARBOR_DATABASE = { database: 'registry', owner: 'harbor' } as const;
