import type { StorageClassRef } from '../../constructs/k8s/storage-class-ref';
import type { Construct } from 'constructs';
import { PLATFORM, PlatformConfig, VERSIONS } from '../../config';
import type { Connection } from '../../config/contracts/connections';
import { MariaDbDatabase, PlatformChart, PlatformIngress } from '../../constructs/k8s';
import { env as value, secretEnv as secret } from '../../constructs/k8s/pod-defaults';
import {
  KubeClusterRole,
  KubeClusterRoleBinding,
  KubeHorizontalPodAutoscalerV2,
  KubeSecret,
  KubeServiceAccount,
} from '../../imports/k8s';
import { PortalComponent, PortalComponentProps } from './portal-component';
import { PORTAL_TERRAMAN_SSH } from './portal-connections';
import { PORTAL_APP, PORTAL_COMPONENT_IMAGES, PORTAL_ENDPOINTS, portalImage, PORTAL_NAMESPACE, PORTAL_SECRETS } from './portal-names';
import { OPENBAO_ENDPOINTS } from '../openbao/openbao-names';
import { PLATFORM_CA_SECRET } from '../../constructs/secret-spec';

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

/** AppRole role the K-PaaS portal logs in to OpenBao with (its installer's VAULT_ROLE_NAME). */
export const PORTAL_OPENBAO_ROLE = PLATFORM.portal.openbaoRole;

/** Schemas the portal's prod profiles name in their JDBC URLs (K-PaaS keeps Keycloak's tables in `keycloak`). */
export const PORTAL_SCHEMAS = Object.freeze({ portal: 'cp', broker: 'broker', keycloak: 'keycloak' });

/** The ServiceAccount whose token the portal manages the cluster with (kept in OpenBao, never mounted). */
export const PORTAL_CLUSTER_ACCOUNT = 'cp-portal-cluster-manager';

export interface PortalChartProps {
  /** The resolved platform configuration. */
  readonly config: PlatformConfig;
  /** Every declared connection of the platform: each component's NetworkPolicy admits and opens its own. */
  readonly connections: readonly Connection[];
  /** StorageClass of the database: the platform's Retain class. */
  readonly databaseStorageClass: StorageClassRef;
}

/**
 * The K-PaaS CP-Portal v1.6.2 as its standalone install guide deploys it, on this platform:
 * UI, API, common API, metric API and terraman with their own ServiceAccounts, the portal's
 * MariaDB on the Retain class, the seed's HPA on the UI, PDBs and anti-affinity for the
 * multi-replica components, the ingress at portal.<domain> (UI at /, API at /cpapi for the
 * browser), NetworkPolicies per component derived from the declared connections (terraman's SSH
 * stays closed: building clusters from the portal is not supported), and a ClusterRole listing
 * what the portal manages.
 *
 * Not deployed: the service broker (only for the `service` provider type, with the K-PaaS
 * application platform), the chaos API and collector (they drive Chaos Mesh, which the seed does
 * not install), and the catalog API (the pinned release holds no image or configuration facts
 * for it).
 */
export class PortalChart extends PlatformChart {
  public readonly ui: PortalComponent;
  public readonly api: PortalComponent;
  public readonly commonApi: PortalComponent;
  public readonly metricApi: PortalComponent;
  public readonly terraman: PortalComponent;
  public readonly database: MariaDbDatabase;
  public readonly hpa: KubeHorizontalPodAutoscalerV2;
  public readonly clusterRole: KubeClusterRole;
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
    const closed = new Set(PORTAL_TERRAMAN_SSH.map((c) => c.name));
    const networkPolicy = { connections: props.connections.filter((c) => !closed.has(c.name)), config };
    const component = (cid: string, p: Omit<PortalComponentProps, 'placement' | 'networkPolicy'> & { readonly maxReplicas?: number }) =>
      new PortalComponent(this, cid, { ...p, placement: { workers, maxReplicas: p.maxReplicas }, networkPolicy });


    this.database = new MariaDbDatabase(this, 'database', {
      app: APP,
      secret: { name: PORTAL_SECRETS.db },
      storageClass: props.databaseStorageClass,
      // clusters, users and the latest metrics per node: small, like Keycloak's 5Gi
      size: '5Gi',
      connections: props.connections,
      config,
      extraDatabases: [PORTAL_SCHEMAS.portal, PORTAL_SCHEMAS.broker, PORTAL_SCHEMAS.keycloak],
    });

    const db = [
      value('DATABASE_URL', this.database.address),
      secret('DATABASE_USER_ID', PORTAL_SECRETS.db, 'username'),
      secret('DATABASE_USER_PASSWORD', PORTAL_SECRETS.db, 'password'),
    ];
    // Spring Cloud Vault over TLS to the OpenBao Service (the listener's certificate names it)
    const openbaoUrl = OPENBAO_ENDPOINTS.api.url('https');
    const openbao = [
      secret('VAULT_ROLE_ID', PORTAL_SECRETS.openbao, 'roleId'),
      secret('VAULT_SECRET_ID', PORTAL_SECRETS.openbao, 'secretId'),
      value('VAULT_ROLE_NAME', PORTAL_OPENBAO_ROLE),
    ];

    this.commonApi = component('common-api', {
      component: 'common-api',
      name: 'cp-portal-common-api',
      image: image('cp-portal-common-api'),
      address: PORTAL_ENDPOINTS.commonApi,
      replicas: 1,
      env: [...db, value('KEYCLOAK_DB_SCHEMA', PORTAL_SCHEMAS.keycloak), value('KEYCLOAK_CP_REALM', identity.realm)],
      resources: { cpu: '100m', memory: '512Mi', memoryLimit: '1Gi' },
      jvm,
    });
    this.metricApi = component('metric-api', {
      component: 'metric-api',
      name: 'cp-portal-metric-api',
      image: image('cp-portal-metric-api'),
      address: PORTAL_ENDPOINTS.metricApi,
      replicas: 1,
      env: [
        value('PROFILE', 'prod'),
        value('DATABASE_URL', this.database.address),
        value('DATABASE_NAME', PORTAL_SCHEMAS.portal),
        secret('DATABASE_TERRAMAN_ID', PORTAL_SECRETS.db, 'username'),
        secret('DATABASE_TERRAMAN_PASSWORD', PORTAL_SECRETS.db, 'password'),
        // host:port: this Go component puts the scheme in front itself
        value('VAULT_URL', OPENBAO_ENDPOINTS.api.address('https')),
        ...openbao.slice(0, 2),
      ],
      resources: { cpu: '50m', memory: '64Mi', memoryLimit: '256Mi' },
    });
    this.terraman = component('terraman', {
      component: 'terraman',
      name: 'cp-portal-terraman',
      image: image('cp-portal-terraman'),
      address: PORTAL_ENDPOINTS.terraman,
      replicas: 1,
      env: [
        ...db,
        value('VAULT_URL', openbaoUrl),
        ...openbao,
        // the host terraman reaches over SSH: a master's own address (the master LB forwards only
        // the API port, and its address is known only after apply on kakaocloud)
        value('K8S_MASTER_NODE_IP', config.nodes.masters.nodes[0].privateIp),
        // its SSH and Terraform working files go under the image's home for uid 1000
        value('HOME', '/home/1000'),
      ],
      resources: { cpu: '100m', memory: '512Mi', memoryLimit: '1Gi' },
      jvm,
      readOnlyRootFilesystem: false,
    });
    this.api = component('api', {
      component: 'api',
      name: 'cp-portal-api',
      image: image('cp-portal-api'),
      address: PORTAL_ENDPOINTS.api,
      replicas: 2,
      env: [
        value('VAULT_URL', openbaoUrl),
        ...openbao,
        secret('JWT_SECRET', PORTAL_SECRETS.api, 'jwtSecret'),
        value('CP_PORTAL_COMMON_API_URI', PORTAL_ENDPOINTS.commonApi.url('http')),
        value('CP_PORTAL_TERRAMAN_API_URI', PORTAL_ENDPOINTS.terraman.url('http')),
        value('CP_PORTAL_METRIC_COLLECTOR_API_URI', PORTAL_ENDPOINTS.metricApi.url('http')),
      ],
      resources: { cpu: '200m', memory: '512Mi', memoryLimit: '1Gi' },
      jvm,
    });
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
        // the UI appends /auth/realms/<realm>/... itself: Keycloak is served under /auth
        value('KEYCLOAK_URI', `https://${hosts.keycloak}`),
        value('KEYCLOAK_CP_REALM', identity.realm),
        value('KEYCLOAK_CP_CLIENT_ID', identity.portalClientId),
        secret('KEYCLOAK_CP_CLIENT_SECRET', PORTAL_SECRETS.keycloak, 'clientSecret'),
        // the platform's registry for the portal's private-repository view
        value('REPOSITORY_URL', `https://${hosts.harbor}`),
        // the browser calls the API at this URL: same origin, through the ingress
        value('CP_PORTAL_API_URI', `https://${hosts.portal}${PORTAL_API_PATH}`),
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
      name: 'cp-portal-ingress',
      host: hosts.portal,
      tlsSecretName: PORTAL_SECRETS.tls,
      routes: [{ path: '/', service: this.ui.service, port: PORTAL_ENDPOINTS.ui.port('http').port }],
      annotations: {
        // the UI keeps the login in an in-memory session: each browser stays on one replica
        'nginx.ingress.kubernetes.io/affinity': 'cookie',
        'nginx.ingress.kubernetes.io/affinity-mode': 'persistent',
        'nginx.ingress.kubernetes.io/session-cookie-name': 'CPPORTALROUTE',
        'nginx.ingress.kubernetes.io/session-cookie-secure': 'true',
        'nginx.ingress.kubernetes.io/proxy-buffer-size': '128k',
      },
    });
    this.apiIngress = new PlatformIngress(this, 'api-ingress', {
      name: 'cp-portal-api-ingress',
      host: hosts.portal,
      tlsSecretName: PORTAL_SECRETS.tls,
      routes: [{ path: `${PORTAL_API_PATH}(/|$)(.*)`, pathType: 'ImplementationSpecific', service: this.api.service, port: PORTAL_ENDPOINTS.api.port('http').port }],
      annotations: {
        // the API serves at its root: /cpapi/x reaches it as /x
        'nginx.ingress.kubernetes.io/use-regex': 'true',
        'nginx.ingress.kubernetes.io/rewrite-target': '/$2',
        'nginx.ingress.kubernetes.io/proxy-buffer-size': '128k',
      },
    });

    this.clusterRole = this.clusterAccess();
  }

  /**
   * The account the portal manages the cluster with: a ClusterRole with what the portal API's
   * requests touch (its application.yml lists each endpoint), bound to a ServiceAccount no pod
   * runs as. Its long-lived token (a service-account-token Secret, filled by the token
   * controller, never in dist) is what the portal keeps in OpenBao as the cluster's admin token.
   */
  private clusterAccess(): KubeClusterRole {
    const namespace = PORTAL_NAMESPACE;
    const sa = new KubeServiceAccount(this, 'cluster-account', {
      metadata: { name: PORTAL_CLUSTER_ACCOUNT },
      automountServiceAccountToken: false,
    });
    new KubeSecret(this, 'cluster-account-token', {
      metadata: { name: `${PORTAL_CLUSTER_ACCOUNT}-token`, annotations: { 'kubernetes.io/service-account.name': sa.name } },
      type: 'kubernetes.io/service-account-token',
    });
    const crud = ['get', 'list', 'create', 'update', 'delete'];
    const read = ['get', 'list'];
    const role = new KubeClusterRole(this, 'cluster-role', {
      metadata: { name: `kpaas:${APP}` },
      rules: [
        // workloads and configuration users create and edit from the portal's forms and YAML editor
        { apiGroups: [''], resources: ['pods', 'services', 'configmaps', 'persistentvolumeclaims'], verbs: crud },
        { apiGroups: ['apps'], resources: ['deployments', 'replicasets'], verbs: crud },
        { apiGroups: ['networking.k8s.io'], resources: ['ingresses'], verbs: crud },
        // tenancy: a namespace per project with its quota and limit range templates (cp-*-resourcequota, cp-*-limitrange)
        { apiGroups: [''], resources: ['namespaces', 'resourcequotas', 'limitranges'], verbs: crud },
        // storage the cluster administrator manages from the portal
        { apiGroups: [''], resources: ['persistentvolumes'], verbs: crud },
        { apiGroups: ['storage.k8s.io'], resources: ['storageclasses'], verbs: crud },
        // a ServiceAccount per portal user and namespace, and the tokens it hands out for them
        { apiGroups: [''], resources: ['serviceaccounts'], verbs: ['get', 'list', 'create', 'delete'] },
        { apiGroups: [''], resources: ['serviceaccounts/token'], verbs: ['create'] },
        { apiGroups: [''], resources: ['secrets'], verbs: ['get', 'create'] },
        // the users' roles (cp-init-role, cp-admin-role) and their bindings in each namespace
        { apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles', 'rolebindings'], verbs: crud },
        // roles it writes may hold rights this account lacks (escalate); it binds its own roles and the
        // built-in cluster-admin for the portal's cluster administrators (bind), nothing else
        { apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles'], verbs: ['escalate', 'bind'] },
        { apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], verbs: ['bind'], resourceNames: ['cluster-admin'] },
        { apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterrolebindings'], verbs: ['create', 'delete'] },
        // read-only views
        { apiGroups: [''], resources: ['nodes', 'endpoints', 'events'], verbs: read },
        { apiGroups: ['metrics.k8s.io'], resources: ['nodes', 'pods'], verbs: read },
      ],
    });
    new KubeClusterRoleBinding(this, 'cluster-role-binding', {
      metadata: { name: `kpaas:${APP}` },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role.name },
      subjects: [{ kind: 'ServiceAccount', name: sa.name, namespace }],
    });
    return role;
  }
}
