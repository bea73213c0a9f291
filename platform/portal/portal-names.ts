import { PLATFORM, VERSIONS } from '../../config';
import type { PlatformConfig } from '../../config';
import { PORTAL_LISTEN_PORTS } from '../../config/contracts/portal-ports';
import { PORTAL_CLUSTER_SECRET } from '../../config/contracts/portal-cluster-secret';
import { podsPeer, type Peer } from '../../config/contracts/connections';
import { mariadbAddress, mariadbSelector } from '../../constructs/k8s/mariadb-database';
import { ServiceAddress } from '../../constructs/k8s/service-endpoint';
import { KEYCLOAK_DATABASE } from '../keycloak/keycloak-names';

/** Names other programs and services know portal by: its namespace, Secrets, images and addresses. */

/** The CP-Portal's namespace (K-PaaS's name). */
export const PORTAL_NAMESPACE = 'cp-portal';

/** `app.kubernetes.io/name` of every portal object; each component adds its `app.kubernetes.io/component`. */
export const PORTAL_APP = 'cp-portal';

/** A component's plain-HTTP Service: one port named `http`, the name its container port and probes use. */
const httpService = (name: string, port: number) => new ServiceAddress({ name, namespace: PORTAL_NAMESPACE, ports: [{ name: 'http', port }] });

/**
 * The components' in-cluster addresses: the K-PaaS installer's Service names, on the ports the
 * components listen on (config/contracts/portal-ports.ts, read from their code). The UI's Service
 * keeps the seed's name.
 */
export const PORTAL_ENDPOINTS = {
  ui: httpService('cp-portal-service', PORTAL_LISTEN_PORTS.ui.port),
  api: httpService('cp-portal-api-service', PORTAL_LISTEN_PORTS.api.port),
  commonApi: httpService('cp-portal-common-api-service', PORTAL_LISTEN_PORTS.commonApi.port),
  metricApi: httpService('cp-portal-metric-api-service', PORTAL_LISTEN_PORTS.metricsApi.port),
} as const;

/**
 * The portal's MariaDB (MariaDbDatabase builds it): the portal's schema `cp` and Keycloak's tables
 * (database `keycloak`), on one server because common-api reads both through one DATABASE_URL.
 */
export const PORTAL_DATABASE_ENDPOINT = mariadbAddress(PORTAL_APP, PORTAL_NAMESPACE);

/** The portal's MariaDB pods, as the connections of its clients (common-api, metric-api, the schema Job, Keycloak) name them. */
export const PORTAL_MARIADB_PEER: Peer = podsPeer(PORTAL_NAMESPACE, mariadbSelector(PORTAL_APP));

/** The CP-Portal's Secrets, by name. */
export const PORTAL_SECRETS = {
  tls: 'portal-tls',
  db: 'cp-portal-db',
  keycloak: 'cp-portal-keycloak',
  /** Copy of Keycloak's database user: the portal's MariaDB creates it, with its database, at first start. */
  keycloakDb: 'cp-portal-keycloak-db',
  /** Copy of ChartMuseum's basic auth: the UI's default chart repository (CHART_REPO_USERNAME/PASSWORD). */
  chartRepo: 'cp-portal-chart-repo',
  api: 'cp-portal-api',
  /**
   * The portal's OpenBao AppRole login (keys PORTAL_OPENBAO_KEYS). Not made by `kpaas secrets`:
   * `kpaas portal register` reads both from OpenBao once its configuration stack is applied and
   * applies the Secret (docs/portal.md), so neither is written to a file or Terraform state.
   */
  openbao: 'cp-portal-openbao',
  /**
   * The pull Secret of the portal's images in Harbor (a robot account of its project): written by
   * the images playbook (dist/ansible/playbooks/portal-images.yml), never by `kpaas secrets`.
   */
  registry: 'cp-portal-registry',
} as const;

/**
 * Keys of Secret PORTAL_SECRETS.openbao: `kpaas portal register` writes them, the portal's
 * Deployments read them (VAULT_ROLE_ID, VAULT_SECRET_ID).
 */
export const PORTAL_OPENBAO_KEYS = { roleId: 'roleId', secretId: 'secretId' } as const;

/** The Harbor project the portal's images are pushed to and pulled from (the default portal.registry names it). */
export const PORTAL_IMAGE_PROJECT = PLATFORM.portal.imageProject;

/**
 * The portal's components, by image name (K-PaaS's names). terraman (cp-portal-terraman) is not
 * deployed: it builds clusters on an IaaS by SSH to a K-PaaS installer host (a cp-deployment
 * checkout, OpenTofu and sudo kubectl on a master), which this platform does not have; see
 * PORTAL_TERRAMAN_URI.
 */
export const PORTAL_COMPONENT_IMAGES = ['cp-portal-ui', 'cp-portal-api', 'cp-portal-common-api', 'cp-portal-metric-api'] as const;

/**
 * What cp-portal-api is given as CP_PORTAL_TERRAMAN_API_URI while terraman is not deployed: it needs
 * a value to start (PropertyService @Value) and calls it only to build a cluster on an IaaS. A name
 * under `.invalid` never resolves (RFC 6761), so that request fails at once and the API answers
 * UNABLE_TO_COMMUNICATE_TERRAMAN_SERVER (ClustersService.java:131-137) instead of reaching anything.
 */
export const PORTAL_TERRAMAN_URI = 'http://cp-portal-terraman.invalid';

/** A portal image: pulled from the configured registry (the K-PaaS images are not on a public registry by these names). */
export function portalImage(config: PlatformConfig, name: (typeof PORTAL_COMPONENT_IMAGES)[number]): string {
  return `${config.portal.registry}/${name}:${VERSIONS.kpaasPortal}`;
}

/**
 * The cluster the portal runs on, as the portal registers it (its `cp_clusters` row of type HOST and
 * its OpenBao secret `secret/cluster/<id>`): the id is the cluster's name from the config, so the
 * schema's seed row, `kpaas portal register` and the docs agree without a generated UUID.
 */
export interface PortalHostCluster {
  readonly id: string;
  readonly name: string;
  /**
   * The portal's provider_type enum has no Kakao value (cp-portal-api: AWS, OPENSTACK, NAVER, NHN,
   * KT); Kakao Cloud is OpenStack underneath, on either infrastructure target.
   */
  readonly providerType: 'OPENSTACK';
  /**
   * The API as the portal's pods reach it: the in-cluster `kubernetes` Service, which every API
   * server certificate names, instead of the master LB (whose address kakaocloud knows only after
   * apply, and which the pods would reach through the node network).
   */
  readonly apiUrl: string;
}

export function portalHostCluster(config: PlatformConfig): PortalHostCluster {
  return { id: config.name, name: config.name, providerType: 'OPENSTACK', apiUrl: 'https://kubernetes.default.svc' };
}

/** The portal's OpenBao KV path of a registered cluster's credentials (cp-portal-api reads `secret/cluster/<id>`). */
export function portalClusterSecretPath(clusterId: string): string {
  return PORTAL_CLUSTER_SECRET.path.template.replace('{id}', clusterId);
}

/**
 * Schemas on the portal's MariaDB: `cp`, which the components' prod profiles name in their JDBC
 * URLs, `broker`, and Keycloak's (K-PaaS's name, KEYCLOAK_DB_SCHEMA of common-api).
 */
export const PORTAL_SCHEMAS = Object.freeze({ portal: 'cp', broker: 'broker', keycloak: KEYCLOAK_DATABASE.database });
