import type { StorageClassRef } from '../../constructs/k8s/storage-class-ref';
import type { Construct } from 'constructs';
import { PLATFORM, PlatformConfig, platformUrl, VERSIONS } from '../../config';
import type { Connection } from '../../config/contracts/connections';
import { commonApiPoolSize, metricsApiPoolSize } from '../../config/contracts/portal-db-pools';
import { PORTAL_SPRING_PROPERTIES, springEnvName } from '../../config/contracts/portal-env';
import { MariaDbDatabase, MariaDbUserDatabase, PlatformChart, PlatformIngress, TOKEN_HEADER_BUFFER_KB } from '../../constructs/k8s';
import { DatabaseClientPool, podsDuringRollout } from '../../constructs/k8s/database-parts';
import { env as value, secretEnv as secret } from '../../constructs/k8s/pod-defaults';
import {
  KubeClusterRoleBinding,
  KubeHorizontalPodAutoscalerV2,
  KubeSecret,
  KubeServiceAccount,
} from '../../imports/k8s';
import { PortalComponent, PortalComponentProps } from './portal-component';
import { PORTAL_APP, PORTAL_COMPONENT_IMAGES, PORTAL_ENDPOINTS, portalImage, PORTAL_NAMESPACE, PORTAL_OPENBAO_KEYS, PORTAL_SCHEMAS, PORTAL_SECRETS, PORTAL_TERRAMAN_URI } from './portal-names';
import { OPENBAO_ENDPOINTS } from '../openbao/openbao-names';
import { PLATFORM_CA_SECRET } from '../../constructs/secret-spec';
import { KEYCLOAK_DB_POOL_MAX_SIZE, keycloakPublicUrl, keycloakRealmId } from '../keycloak/keycloak-names';
import { PortalSchema } from './portal-schema';

const APP = PORTAL_APP;

/** The seed's HorizontalPodAutoscaler of the portal UI, exactly. */
export const PORTAL_HPA = Object.freeze({ name: 'portal-hpa', minReplicas: 2, maxReplicas: 10, cpuUtilization: 70 });

/**
 * The UI's Deployment is the seed HPA's target, so it carries the seed's name; the other
 * components keep the K-PaaS installer's `<image>-deployment` names.
 */
export const PORTAL_UI_DEPLOYMENT = 'cp-portal-deployment';

/** Path under portal.<domain> where the browser reaches the portal API (the UI hands it this URL). */
export const PORTAL_API_PATH = '/cpapi';



/** The ServiceAccount whose token the portal manages the cluster with (kept in OpenBao, never mounted). */
export const PORTAL_CLUSTER_ACCOUNT = 'cp-portal-cluster-manager';

/**
 * The ClusterRole the cluster account is bound to: the built-in cluster-admin, as K-PaaS binds its
 * cp-cluster-admin account. The portal's super administrator acts with this token on everything
 * the portal shows, the portal binds its cluster administrators to cluster-admin and writes Roles
 * with impersonate, pods/exec and serviceaccounts/token (RBAC lets it grant only what it holds):
 * config/contracts/portal-rbac.ts lists the calls and grants, test/contracts/portal-rbac.test.ts
 * holds the binding against them.
 */
export const PORTAL_CLUSTER_ROLE = 'cluster-admin';

/** The portal UI's default chart repository name (K-PaaS's CHART_REPO_NAME). */
export const PORTAL_CHART_REPO_NAME = 'cp-chart-repository';

/**
 * Where the UI sends the browser for the catalog and chaos menus: K-PaaS's paths under the portal's
 * host. Neither API is deployed (the catalog API's image and configuration are not in the pinned
 * sources, the chaos API drives Chaos Mesh, which the platform does not install) and no route
 * serves these paths, so those menus fail; the UI renders the URLs into every page and needs them set.
 */
export const PORTAL_ABSENT_API_PATHS = Object.freeze({ catalog: '/cpcatalog', chaos: '/cpchaos' });

/**
 * Connections the portal's MariaDB holds at most beyond its clients' pools: an operator's client,
 * the probes' mariadb-admin pings and the schema Job.
 */
export const PORTAL_DATABASE_RESERVE = Object.freeze({ maintenance: 5, schemaJob: 2 });

/** Replicas of the components that keep a fixed count. */
const REPLICAS = Object.freeze({ api: 2, commonApi: 1, metricApi: 1 });

/**
 * Every client pool of the portal's MariaDB: Keycloak's (its tables live there, db-pool-max-size as
 * set), common-api's two datasources (`cp` and Keycloak's USER_ENTITY, each HikariCP's default
 * pool), metric-api's two unbounded Go pools (sqlmapper and gorm, an estimate each); the facts and
 * their sources are in config/contracts/portal-db-pools.ts. The server's max_connections is their
 * sum plus PORTAL_DATABASE_RESERVE.
 */
export function portalDatabasePools(config: PlatformConfig): DatabaseClientPool[] {
  return [
    { client: 'keycloak', pods: podsDuringRollout(config.identity.keycloakReplicas), poolSize: KEYCLOAK_DB_POOL_MAX_SIZE },
    { client: 'cp-portal-common-api', pods: podsDuringRollout(REPLICAS.commonApi), poolSize: commonApiPoolSize() },
    { client: 'cp-portal-metric-api', pods: podsDuringRollout(REPLICAS.metricApi), poolSize: metricsApiPoolSize() },
  ];
}

/**
 * Keycloak's database and user on the portal's server, made at the server's first start. The
 * database takes utf8mb3, which older Keycloak guides named for MySQL/MariaDB; Keycloak creates its
 * tables in the database's default set and requires none (its current guide recommends utf8mb4:
 * config/contracts/keycloak-env.ts KEYCLOAK_DATABASE_CHARSET), so utf8mb3 keeps it to the Basic
 * Multilingual Plane. common-api's user may read it (it reads USER_ENTITY).
 */
const KEYCLOAK_USER_DATABASE: MariaDbUserDatabase = Object.freeze({
  name: 'keycloak',
  secret: { name: PORTAL_SECRETS.keycloakDb },
  characterSet: 'utf8mb3',
  applicationUserMayRead: true,
});

export interface PortalChartProps {
  /** The resolved platform configuration. */
  readonly config: PlatformConfig;
  /** Every declared connection of the platform: each component's NetworkPolicy admits and opens its own. */
  readonly connections: readonly Connection[];
  /** StorageClass of the database: the platform's Retain class. */
  readonly databaseStorageClass: StorageClassRef;
}

/**
 * The K-PaaS CP-Portal v1.6 (sources: VERSIONS.kpaasPortalSources) on this platform: UI, API,
 * common API and metric API with their own ServiceAccounts, the portal's MariaDB on the Retain
 * class (also holding Keycloak's tables), the seed's HPA on the UI, PDBs and anti-affinity for the
 * multi-replica components, the ingress at portal.<domain> (UI at /, API at /cpapi for the
 * browser), NetworkPolicies per component derived from the declared connections, and the account
 * the portal manages the cluster with (bound to cluster-admin, its token kept in OpenBao).
 *
 * Not deployed: terraman (cluster building on an IaaS, PORTAL_TERRAMAN_URI), the service broker,
 * the chaos API and collector and the catalog API (PORTAL_ABSENT_API_PATHS).
 *
 * Order: the components expect the `cp` tables and the host cluster row (the schema Job) and the
 * OpenBao AppRole Secret (`kpaas portal register`); until then common-api's queries fail and
 * metric-api exits on its first dashboard request, and Kubernetes restarts them.
 */
export class PortalChart extends PlatformChart {
  public readonly ui: PortalComponent;
  public readonly api: PortalComponent;
  public readonly commonApi: PortalComponent;
  public readonly metricApi: PortalComponent;
  public readonly database: MariaDbDatabase;
  /** The `cp` schema and its seed rows, applied by a Job named by the SQL's digest. */
  public readonly schema: PortalSchema;
  public readonly hpa: KubeHorizontalPodAutoscalerV2;
  public readonly clusterRoleBinding: KubeClusterRoleBinding;
  public readonly ingress: PlatformIngress;
  public readonly apiIngress: PlatformIngress;

  public constructor(scope: Construct, id: string, props: PortalChartProps) {
    const namespace = PORTAL_NAMESPACE;
    super(scope, id, { config: props.config, component: APP, version: VERSIONS.kpaasPortal, namespace });
    const { config } = props;
    const { hosts, identity } = config;
    const workers = config.nodes.workers.nodes.length;
    const image = (name: (typeof PORTAL_COMPONENT_IMAGES)[number]) => portalImage(config, name);
    const jvm = { platformCaSecret: PLATFORM_CA_SECRET };
    const networkPolicy = { connections: props.connections, config };
    const component = (cid: string, p: Omit<PortalComponentProps, 'placement' | 'networkPolicy'> & { readonly maxReplicas?: number }) =>
      new PortalComponent(this, cid, { ...p, placement: { workers, maxReplicas: p.maxReplicas }, networkPolicy });

    this.database = new MariaDbDatabase(this, 'database', {
      app: APP,
      secret: { name: PORTAL_SECRETS.db },
      storageClass: props.databaseStorageClass,
      // clusters, users, the latest metrics per node and Keycloak's realm: small, like the seed's 5Gi
      size: '5Gi',
      connections: props.connections,
      config,
      extraDatabases: [PORTAL_SCHEMAS.portal, PORTAL_SCHEMAS.broker],
      userDatabases: [KEYCLOAK_USER_DATABASE],
      connectionBudget: { pools: portalDatabasePools(config), reserve: PORTAL_DATABASE_RESERVE },
    });
    this.schema = new PortalSchema(this, 'schema', { config, database: this.database.serviceAddress, connections: props.connections });

    const db = [
      value('DATABASE_URL', this.database.address),
      secret('DATABASE_USER_ID', PORTAL_SECRETS.db, 'username'),
      secret('DATABASE_USER_PASSWORD', PORTAL_SECRETS.db, 'password'),
    ];
    // Spring Cloud Vault and the Go client over TLS to the OpenBao Service (the listener's certificate names it)
    const openbaoUrl = OPENBAO_ENDPOINTS.api.url('https');
    const openbao = [
      secret('VAULT_ROLE_ID', PORTAL_SECRETS.openbao, PORTAL_OPENBAO_KEYS.roleId),
      secret('VAULT_SECRET_ID', PORTAL_SECRETS.openbao, PORTAL_OPENBAO_KEYS.secretId),
      value('VAULT_ROLE_NAME', PLATFORM.portal.openbaoRole),
    ];

    this.commonApi = component('common-api', {
      component: 'common-api',
      name: 'cp-portal-common-api',
      image: image('cp-portal-common-api'),
      address: PORTAL_ENDPOINTS.commonApi,
      replicas: REPLICAS.commonApi,
      env: [
        ...db,
        value('KEYCLOAK_DB_SCHEMA', PORTAL_SCHEMAS.keycloak),
        // compared with Keycloak's USER_ENTITY.REALM_ID: the realm is imported with this id
        value('KEYCLOAK_CP_REALM_ID', keycloakRealmId(config)),
      ],
      resources: { cpu: '100m', memory: '512Mi', memoryLimit: '1Gi' },
      jvm,
    });
    this.metricApi = component('metric-api', {
      component: 'metric-api',
      name: 'cp-portal-metric-api',
      image: image('cp-portal-metric-api'),
      address: PORTAL_ENDPOINTS.metricApi,
      replicas: REPLICAS.metricApi,
      env: [
        value('PROFILE', 'prod'),
        value('DATABASE_URL', this.database.address),
        value('DATABASE_NAME', PORTAL_SCHEMAS.portal),
        secret('DATABASE_TERRAMAN_ID', PORTAL_SECRETS.db, 'username'),
        secret('DATABASE_TERRAMAN_PASSWORD', PORTAL_SECRETS.db, 'password'),
        // the Vault client takes the address as given: scheme included
        value('VAULT_URL', openbaoUrl),
        ...openbao.slice(0, 2),
      ],
      // FROM scratch: no CA store of its own; Go reads the platform CA from SSL_CERT_FILE
      caFile: { platformCaSecret: PLATFORM_CA_SECRET, env: 'SSL_CERT_FILE' },
      resources: { cpu: '50m', memory: '64Mi', memoryLimit: '256Mi' },
    });
    this.api = component('api', {
      component: 'api',
      name: 'cp-portal-api',
      image: image('cp-portal-api'),
      address: PORTAL_ENDPOINTS.api,
      replicas: REPLICAS.api,
      env: [
        value('VAULT_URL', openbaoUrl),
        ...openbao,
        secret(springEnvName(PORTAL_SPRING_PROPERTIES.jwtSecret.property), PORTAL_SECRETS.api, 'jwtSecret'),
        value('CP_PORTAL_COMMON_API_URI', PORTAL_ENDPOINTS.commonApi.url('http')),
        value('CP_PORTAL_TERRAMAN_API_URI', PORTAL_TERRAMAN_URI),
        value('CP_PORTAL_METRIC_COLLECTOR_API_URI', PORTAL_ENDPOINTS.metricApi.url('http')),
      ],
      resources: { cpu: '200m', memory: '512Mi', memoryLimit: '1Gi' },
      jvm,
    });
    const portalUrl = platformUrl(hosts.portal);
    this.ui = component('ui', {
      component: 'ui',
      name: 'cp-portal-ui',
      deploymentName: PORTAL_UI_DEPLOYMENT,
      address: PORTAL_ENDPOINTS.ui,
      image: image('cp-portal-ui'),
      // the HPA owns the count (a fixed replicas would reset it on every apply); it starts at 2
      replicas: 'autoscaled',
      minReplicas: PORTAL_HPA.minReplicas,
      maxReplicas: PORTAL_HPA.maxReplicas,
      env: [
        // the UI appends /realms/<realm>/... (v1.6 no longer adds /auth): Keycloak is served under /auth
        value('KEYCLOAK_URI', keycloakPublicUrl(config)),
        value('KEYCLOAK_CP_REALM', identity.realm),
        value('KEYCLOAK_CP_CLIENT_ID', identity.portalClientId),
        secret('KEYCLOAK_CP_CLIENT_SECRET', PORTAL_SECRETS.keycloak, 'clientSecret'),
        // the OAuth2 redirect URI is <this>/login/oauth2/code/keycloak (the client allows <this>/*)
        value('CP_PORTAL_UI_URI', portalUrl),
        // the platform's registry for the portal's private-repository view
        value('REPOSITORY_URL', platformUrl(hosts.harbor)),
        // the browser calls the API at this URL: same origin, through the ingress
        value('CP_PORTAL_API_URI', `${portalUrl}${PORTAL_API_PATH}`),
        value('CP_PORTAL_CATALOG_API_URI', `${portalUrl}${PORTAL_ABSENT_API_PATHS.catalog}`),
        value('CP_PORTAL_CHAOS_API_URI', `${portalUrl}${PORTAL_ABSENT_API_PATHS.chaos}`),
        // the default chart repository: the platform's ChartMuseum, its basic auth and CA
        value('CHART_REPO_URL', platformUrl(hosts.chartmuseum)),
        value('CHART_REPO_NAME', PORTAL_CHART_REPO_NAME),
        secret('CHART_REPO_USERNAME', PORTAL_SECRETS.chartRepo, 'username'),
        secret('CHART_REPO_PASSWORD', PORTAL_SECRETS.chartRepo, 'password'),
        secret('CHART_REPO_CRT', PLATFORM_CA_SECRET, 'ca.crt'),
      ],
      resources: { cpu: '200m', memory: '512Mi', memoryLimit: '1Gi' },
      jvm,
    });

    this.hpa = new KubeHorizontalPodAutoscalerV2(this, 'hpa', {
      metadata: { name: PORTAL_HPA.name },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: this.ui.deploymentName },
        minReplicas: PORTAL_HPA.minReplicas,
        maxReplicas: PORTAL_HPA.maxReplicas,
        metrics: [{
          type: 'Resource',
          resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: PORTAL_HPA.cpuUtilization } },
        }],
      },
    });

    this.ingress = new PlatformIngress(this, 'ingress', {
      controller: config.ingress.controller,
      name: 'cp-portal-ingress',
      host: hosts.portal,
      tlsSecretName: PORTAL_SECRETS.tls,
      routes: [{ path: '/', service: this.ui.service, port: PORTAL_ENDPOINTS.ui.port('http').port }],
      traffic: {
        // the UI keeps the login in an in-memory session: each browser stays on one replica
        affinityCookie: { name: 'CPPORTALROUTE', secure: true },
        responseHeaderBufferKb: TOKEN_HEADER_BUFFER_KB,
      },
    });
    this.apiIngress = new PlatformIngress(this, 'api-ingress', {
      controller: config.ingress.controller,
      name: 'cp-portal-api-ingress',
      host: hosts.portal,
      tlsSecretName: PORTAL_SECRETS.tls,
      routes: [{ path: PORTAL_API_PATH, service: this.api.service, port: PORTAL_ENDPOINTS.api.port('http').port }],
      // the API serves at its root: /cpapi/x reaches it as /x
      traffic: { stripPathPrefix: true, responseHeaderBufferKb: TOKEN_HEADER_BUFFER_KB },
    });

    this.clusterRoleBinding = this.clusterAccess();
  }

  /**
   * The account the portal manages the cluster with, bound to cluster-admin (PORTAL_CLUSTER_ROLE),
   * a ServiceAccount no pod runs as. Its long-lived token (a service-account-token Secret, filled by
   * the token controller, never in dist) is what `kpaas portal register` keeps in OpenBao as the
   * host cluster's token (secret/cluster/<id>, clusterToken).
   */
  private clusterAccess(): KubeClusterRoleBinding {
    const namespace = PORTAL_NAMESPACE;
    const sa = new KubeServiceAccount(this, 'cluster-account', {
      metadata: { name: PORTAL_CLUSTER_ACCOUNT },
      automountServiceAccountToken: false,
    });
    new KubeSecret(this, 'cluster-account-token', {
      metadata: { name: `${PORTAL_CLUSTER_ACCOUNT}-token`, annotations: { 'kubernetes.io/service-account.name': sa.name } },
      type: 'kubernetes.io/service-account-token',
    });
    return new KubeClusterRoleBinding(this, 'cluster-role-binding', {
      metadata: { name: `kpaas:${PORTAL_CLUSTER_ACCOUNT}` },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: PORTAL_CLUSTER_ROLE },
      subjects: [{ kind: 'ServiceAccount', name: sa.name, namespace }],
    });
  }
}
