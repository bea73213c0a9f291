import { selectorLabels } from '../../constructs/k8s/labels';
import { postgresAddress, postgresSelector } from '../../constructs/k8s/postgres-database';
import { EndpointPort, ServiceAddress } from '../../constructs/k8s/service-endpoint';

/** Names other programs and services know harbor by: its namespace, its Secrets and its addresses. */

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

/** Labels that select each component's pods. */
export const HARBOR_SELECTORS = {
  core: selectorLabels('harbor', 'core'),
  portal: selectorLabels('harbor', 'portal'),
  registry: selectorLabels('harbor', 'registry'),
  jobservice: selectorLabels('harbor', 'jobservice'),
  trivy: selectorLabels('harbor', 'trivy'),
  redis: selectorLabels('harbor', 'redis'),
  database: postgresSelector('harbor'),
} as const;

/** One component's Service: `harbor-<component>` in Harbor's namespace. */
const address = (component: string, ports: readonly EndpointPort[]) =>
  new ServiceAddress({ name: `harbor-${component}`, namespace: HARBOR_NAMESPACE, ports });

/**
 * Harbor's in-cluster Services: every URL the components give each other (CORE_URL, REGISTRY_URL,
 * the Redis URLs, ...) and every port of the connection contract comes from these.
 */
export const HARBOR_ADDRESSES = {
  core: address('core', [{ name: 'http', port: 80, targetPort: 8080 }]),
  portal: address('portal', [{ name: 'http', port: 80, targetPort: 8080 }]),
  // distribution's API and registryctl's, two containers of one pod
  registry: address('registry', [{ name: 'registry', port: 5000 }, { name: 'controller', port: 8080 }]),
  jobservice: address('jobservice', [{ name: 'http', port: 80, targetPort: 8080 }]),
  trivy: address('trivy', [{ name: 'api-server', port: 8080 }]),
  redis: address('redis', [{ name: 'redis', port: 6379 }]),
  database: postgresAddress('harbor', HARBOR_NAMESPACE),
} as const;
