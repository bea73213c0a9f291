import type { StorageClassRef } from '../../constructs/k8s/storage-class-ref';
import type { Construct } from 'constructs';
import { PLATFORM, PlatformConfig, VERSIONS } from '../../config';
import type { Connection } from '../../config/contracts/connections';
import {
  env,
  httpProbe,
  PlatformChart,
  PlatformIngress,
  PlatformWorkload,
  podsDuringRollout,
  podSecurityContext,
  PostgresDatabase,
  resources,
  secretEnv,
  selectorLabels,
  ServiceEndpoint,
} from '../../constructs/k8s';
import { KubeClusterRoleBinding, KubeDeployment } from '../../imports/k8s';
import { ClientAccess, KeycloakRealm } from './keycloak-realm';
import {
  KEYCLOAK_CLIENT_KEYS,
  KEYCLOAK_DATABASE,
  KEYCLOAK_ENDPOINTS,
  KEYCLOAK_IMAGE,
  KEYCLOAK_JGROUPS_PORTS,
  KEYCLOAK_NAMESPACE,
  KEYCLOAK_SECRETS,
} from './keycloak-names';

const NAME = 'keycloak';
/** Health and metrics (Keycloak's management interface): probed by the kubelet, in no Service. */
const MANAGEMENT_PORT = 9000;
/** The image's keycloak user. */
const UID = 1000;
/**
 * Connections each Keycloak pod may open to its database (db-pool-max-size; Keycloak's default 100
 * per pod would outgrow the server). The database's max_connections is derived from it.
 */
const DB_POOL_MAX_SIZE = 30;
/** Served under /auth, as the CP-Portal's keycloak settings expect. */
const RELATIVE_PATH = PLATFORM.keycloak.relativePath;
const IMPORT_DIR = '/opt/keycloak/data/import';
/** Realm role of the administrators: OTP is required for it. */
const ADMIN_ROLE = 'platform-admin';
/** The CP-Portal's super-administrator realm role (superAdminRole in its configuration). */
const PORTAL_SUPER_ADMIN_ROLE = 'cp-cluster-admin-role';

export interface KeycloakChartProps {
  /** The resolved platform configuration. */
  readonly config: PlatformConfig;
  /** Every connection of every service: the server's and the database's policies admit those made to them. */
  readonly connections: readonly Connection[];
  /** StorageClass of the database: the platform's Retain class. */
  readonly databaseStorageClass: StorageClassRef;
}

/**
 * Keycloak, the seed's IAM: production mode behind the ingress at keycloak.<domain> under /auth,
 * clustered replicas (Keycloak's default jdbc-ping discovery through the database), its own PostgreSQL, the
 * platform realm imported at start-up, and the ClusterRoleBindings that give the realm's groups
 * their Kubernetes roles through the API server's OIDC flags.
 */
export class KeycloakChart extends PlatformChart {
  public readonly realm: KeycloakRealm;
  public readonly database: PostgresDatabase;
  public readonly endpoint: ServiceEndpoint;
  public readonly server: PlatformWorkload;
  public readonly deployment: KubeDeployment;
  public readonly ingress: PlatformIngress;

  public constructor(scope: Construct, id: string, props: KeycloakChartProps) {
    const namespace = KEYCLOAK_NAMESPACE;
    super(scope, id, { config: props.config, component: NAME, version: VERSIONS.keycloak, namespace });
    const { config, connections } = props;
    const { identity, hosts } = config;
    const selector = selectorLabels(NAME, 'server');
    const replicas = identity.keycloakReplicas;

    this.database = new PostgresDatabase(this, 'database', {
      app: NAME,
      secret: { name: KEYCLOAK_SECRETS.db },
      storageClass: props.databaseStorageClass,
      size: '5Gi', // the seed's keycloak-db-pvc
      connections,
      config,
      connectionPools: [{ client: NAME, pods: podsDuringRollout(replicas), poolSize: DB_POOL_MAX_SIZE }],
    });

    this.realm = new KeycloakRealm(this, 'realm', {
      realm: identity.realm,
      displayName: 'K-PaaS',
      otpRole: ADMIN_ROLE,
      groupsClaim: identity.groupsClaim,
      groups: [
        // cp-cluster-admin-role is the CP-Portal's super-administrator role (its superAdminRole)
        { name: identity.groups.admins, roles: [ADMIN_ROLE, PORTAL_SUPER_ADMIN_ROLE], description: 'Administers the cluster and the platform (cluster-admin)' },
        { name: identity.groups.developers, roles: ['developer'], description: 'Deploys applications (edit)' },
        { name: identity.groups.operators, roles: ['operator'], description: 'Observes the cluster (view)' },
      ],
      clients: [
        {
          clientId: identity.portalClientId, name: 'K-PaaS CP-Portal', access: ClientAccess.CONFIDENTIAL,
          redirectUris: [`https://${hosts.portal}/*`], webOrigins: [`https://${hosts.portal}`], secretEnv: 'KC_CLIENT_SECRET_PORTAL',
          // the portal builds its authorization requests itself, without a PKCE challenge
          pkce: false,
        },
        {
          clientId: identity.harborClientId, name: 'Harbor', access: ClientAccess.CONFIDENTIAL,
          redirectUris: [`https://${hosts.harbor}/c/oidc/callback`], webOrigins: [`https://${hosts.harbor}`], secretEnv: 'KC_CLIENT_SECRET_HARBOR',
        },
        {
          // kubectl with kubelogin: a browser login redirected to a local port
          clientId: identity.kubernetesClientId, name: 'Kubernetes API', access: ClientAccess.PUBLIC,
          redirectUris: ['http://localhost:8000', 'http://localhost:18000'],
        },
      ],
    });

    const http = KEYCLOAK_ENDPOINTS.server.port('http');
    this.endpoint = new ServiceEndpoint(this, 'service', { address: KEYCLOAK_ENDPOINTS.server, selector });
    const probe = (path: string, failureThreshold: number) => httpProbe(`${RELATIVE_PATH}/health/${path}`, 'management', { failureThreshold });

    this.server = new PlatformWorkload(this, 'server', {
      name: NAME,
      selector,
      replicas,
      placement: { workers: config.nodes.workers.nodes.length },
      securityContext: podSecurityContext(UID, { onRootMismatch: false }),
      containers: [{
        name: NAME,
        image: KEYCLOAK_IMAGE,
        args: ['start', '--import-realm'],
        ports: [
          { name: http.name, containerPort: http.targetPort },
          { name: 'management', containerPort: MANAGEMENT_PORT },
          { name: 'jgroups', containerPort: KEYCLOAK_JGROUPS_PORTS.transport },
          { name: 'jgroups-fd', containerPort: KEYCLOAK_JGROUPS_PORTS.failureDetection },
        ],
        env: [
          env('KC_HOSTNAME', `https://${hosts.keycloak}${RELATIVE_PATH}`),
          env('KC_HTTP_RELATIVE_PATH', RELATIVE_PATH),
          // TLS ends at the ingress; Keycloak trusts its X-Forwarded-* headers
          env('KC_HTTP_ENABLED', true),
          env('KC_PROXY_HEADERS', 'xforwarded'),
          env('KC_HEALTH_ENABLED', true),
          env('KC_METRICS_ENABLED', true),
          env('KC_DB', 'postgres'),
          env('KC_DB_URL', this.database.jdbcUrl(KEYCLOAK_DATABASE.database)),
          env('KC_DB_POOL_MAX_SIZE', DB_POOL_MAX_SIZE),
          secretEnv('KC_DB_USERNAME', KEYCLOAK_SECRETS.db, 'username'),
          secretEnv('KC_DB_PASSWORD', KEYCLOAK_SECRETS.db, 'password'),
          secretEnv('KC_BOOTSTRAP_ADMIN_USERNAME', KEYCLOAK_SECRETS.admin, 'username'),
          secretEnv('KC_BOOTSTRAP_ADMIN_PASSWORD', KEYCLOAK_SECRETS.admin, 'password'),
          secretEnv('KC_CLIENT_SECRET_PORTAL', KEYCLOAK_SECRETS.clients, KEYCLOAK_CLIENT_KEYS.portal),
          secretEnv('KC_CLIENT_SECRET_HARBOR', KEYCLOAK_SECRETS.clients, KEYCLOAK_CLIENT_KEYS.harbor),
          // clustered caches; the stack is Keycloak's default, jdbc-ping (kubernetes is deprecated in 26)
          env('KC_CACHE', 'ispn'),
        ],
        resources: resources({ cpu: '250m', memory: '768Mi', memoryLimit: '1536Mi' }),
        startupProbe: probe('started', 60),
        readinessProbe: probe('ready', 3),
        livenessProbe: probe('live', 3),
        volumeMounts: [{ name: 'realm', mountPath: IMPORT_DIR, readOnly: true }],
      }],
      volumes: [{ name: 'realm', configMap: { name: this.realm.configMap.name } }],
      networkPolicy: { connections, config },
    });
    this.deployment = this.server.resource as KubeDeployment;

    this.ingress = new PlatformIngress(this, 'ingress', {
      name: NAME,
      host: hosts.keycloak,
      tlsSecretName: KEYCLOAK_SECRETS.tls,
      routes: [{ path: RELATIVE_PATH, service: this.endpoint.service, port: http.port }],
      annotations: {
        // "/" opens the console under /auth; tokens make large headers
        'nginx.ingress.kubernetes.io/app-root': RELATIVE_PATH,
        'nginx.ingress.kubernetes.io/proxy-buffer-size': '128k',
      },
    });

    // the realm's groups as Kubernetes roles for OIDC users (API server flags: dist/ansible)
    const bindings: Array<[string, string]> = [
      [identity.groups.admins, 'cluster-admin'],
      [identity.groups.developers, 'edit'],
      [identity.groups.operators, 'view'],
    ];
    for (const [group, role] of bindings) {
      new KubeClusterRoleBinding(this, `oidc-${group}`, {
        metadata: { name: `kpaas:oidc:${group}` },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
        subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: `${identity.groupsPrefix}${group}` }],
      });
    }
  }
}
