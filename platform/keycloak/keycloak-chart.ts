import type { StorageClassRef } from '../../constructs/k8s/storage-class-ref';
import type { Construct } from 'constructs';
import { PLATFORM, PlatformConfig, VERSIONS } from '../../config';
import {
  fromIngressController,
  PlatformChart,
  PlatformIngress,
  podsDuringRollout,
  podsWith,
  PostgresDatabase,
  selectorLabels,
  spreadOverWorkers,
  tcp,
} from '../../constructs/k8s';
import {
  IntOrString,
  KubeClusterRoleBinding,
  KubeDeployment,
  KubeNetworkPolicy,
  KubePodDisruptionBudget,
  KubeService,
  KubeServiceAccount,
  Quantity,
} from '../../imports/k8s';
import { ClientAccess, KeycloakRealm } from './keycloak-realm';
import { KEYCLOAK_IMAGE, KEYCLOAK_NAMESPACE, KEYCLOAK_SECRETS } from './keycloak-names';
import { OPENBAO_DATABASE_CLIENT } from '../openbao/openbao-names';

const NAME = 'keycloak';
const HTTP_PORT = 8080;
const MANAGEMENT_PORT = 9000;
/**
 * The replicas' Infinispan cluster over JGroups' default stack, jdbc-ping (the replicas find each
 * other through the database, then connect directly): 7800 is the transport (jgroups.bind.port),
 * 57800 the failure detection (FD_SOCK2, the bind port plus jgroups.fd.port-offset 50000). Keycloak
 * 26 docs, "Configuring distributed caches", network ports; CachingOptions.java (cache-stack).
 */
const JGROUPS_PORTS = [7800, 57800];
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
  public readonly service: KubeService;
  public readonly deployment: KubeDeployment;
  public readonly ingress: PlatformIngress;

  public constructor(scope: Construct, id: string, props: KeycloakChartProps) {
    const namespace = KEYCLOAK_NAMESPACE;
    super(scope, id, { config: props.config, component: NAME, version: VERSIONS.keycloak, namespace });
    const { config } = props;
    const { identity, hosts } = config;
    const selector = selectorLabels(NAME, 'server');
    const replicas = identity.keycloakReplicas;

    this.database = new PostgresDatabase(this, 'database', {
      app: NAME,
      secret: { name: KEYCLOAK_SECRETS.db },
      storageClass: props.databaseStorageClass,
      size: '5Gi', // the seed's keycloak-db-pvc
      clients: [podsWith(selector), OPENBAO_DATABASE_CLIENT],
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

    const sa = new KubeServiceAccount(this, 'service-account', { metadata: { name: NAME }, automountServiceAccountToken: false });
    this.service = new KubeService(this, 'service', {
      metadata: { name: NAME },
      spec: { selector, ports: [{ name: 'http', port: HTTP_PORT, targetPort: IntOrString.fromString('http') }] },
    });

    const secretEnv = (env: string, secret: string, key: string) => ({ name: env, valueFrom: { secretKeyRef: { name: secret, key } } });
    const probe = (path: string, failureThreshold: number) => ({
      httpGet: { path: `${RELATIVE_PATH}/health/${path}`, port: IntOrString.fromString('management'), scheme: 'HTTP' },
      periodSeconds: 10,
      timeoutSeconds: 5,
      failureThreshold,
    });

    this.deployment = new KubeDeployment(this, 'deployment', {
      metadata: { name: NAME },
      spec: {
        replicas,
        selector: { matchLabels: selector },
        template: {
          metadata: { labels: selector },
          spec: {
            serviceAccountName: sa.name,
            automountServiceAccountToken: false,
            securityContext: { runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' } },
            affinity: spreadOverWorkers(selector, replicas, config.nodes.workers.nodes.length),
            containers: [{
              name: NAME,
              image: KEYCLOAK_IMAGE,
              imagePullPolicy: 'IfNotPresent',
              args: ['start', '--import-realm'],
              ports: [
                { name: 'http', containerPort: HTTP_PORT },
                { name: 'management', containerPort: MANAGEMENT_PORT },
                { name: 'jgroups', containerPort: JGROUPS_PORTS[0] },
                { name: 'jgroups-fd', containerPort: JGROUPS_PORTS[1] },
              ],
              env: [
                { name: 'KC_HOSTNAME', value: `https://${hosts.keycloak}${RELATIVE_PATH}` },
                { name: 'KC_HTTP_RELATIVE_PATH', value: RELATIVE_PATH },
                // TLS ends at the ingress; Keycloak trusts its X-Forwarded-* headers
                { name: 'KC_HTTP_ENABLED', value: 'true' },
                { name: 'KC_PROXY_HEADERS', value: 'xforwarded' },
                { name: 'KC_HEALTH_ENABLED', value: 'true' },
                { name: 'KC_METRICS_ENABLED', value: 'true' },
                { name: 'KC_DB', value: 'postgres' },
                { name: 'KC_DB_URL', value: this.database.jdbcUrl('keycloak') },
                { name: 'KC_DB_POOL_MAX_SIZE', value: String(DB_POOL_MAX_SIZE) },
                secretEnv('KC_DB_USERNAME', KEYCLOAK_SECRETS.db, 'username'),
                secretEnv('KC_DB_PASSWORD', KEYCLOAK_SECRETS.db, 'password'),
                secretEnv('KC_BOOTSTRAP_ADMIN_USERNAME', KEYCLOAK_SECRETS.admin, 'username'),
                secretEnv('KC_BOOTSTRAP_ADMIN_PASSWORD', KEYCLOAK_SECRETS.admin, 'password'),
                secretEnv('KC_CLIENT_SECRET_PORTAL', KEYCLOAK_SECRETS.clients, 'portal'),
                secretEnv('KC_CLIENT_SECRET_HARBOR', KEYCLOAK_SECRETS.clients, 'harbor'),
                // clustered caches; the stack is Keycloak's default, jdbc-ping (kubernetes is deprecated in 26)
                { name: 'KC_CACHE', value: 'ispn' },
              ],
              resources: {
                requests: { cpu: Quantity.fromString('250m'), memory: Quantity.fromString('768Mi') },
                limits: { memory: Quantity.fromString('1536Mi') },
              },
              startupProbe: probe('started', 60),
              readinessProbe: probe('ready', 3),
              livenessProbe: probe('live', 3),
              securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
              volumeMounts: [{ name: 'realm', mountPath: IMPORT_DIR, readOnly: true }],
            }],
            volumes: [{ name: 'realm', configMap: { name: this.realm.configMap.name } }],
          },
        },
      },
    });
    new KubePodDisruptionBudget(this, 'pdb', {
      metadata: { name: NAME },
      spec: { maxUnavailable: IntOrString.fromNumber(1), selector: { matchLabels: selector } },
    });

    this.ingress = new PlatformIngress(this, 'ingress', {
      name: NAME,
      host: hosts.keycloak,
      tlsSecretName: KEYCLOAK_SECRETS.tls,
      routes: [{ path: RELATIVE_PATH, service: this.service, port: HTTP_PORT }],
      annotations: {
        // "/" opens the console under /auth; tokens make large headers
        'nginx.ingress.kubernetes.io/app-root': RELATIVE_PATH,
        'nginx.ingress.kubernetes.io/proxy-buffer-size': '128k',
      },
    });

    new KubeNetworkPolicy(this, 'network-policy', {
      metadata: { name: NAME },
      spec: {
        podSelector: { matchLabels: selector },
        policyTypes: ['Ingress', 'Egress'],
        ingress: [
          { from: [fromIngressController()], ports: [tcp(HTTP_PORT)] },
          { from: [podsWith(selector)], ports: JGROUPS_PORTS.map(tcp) },
        ],
        egress: [
          { to: [podsWith(this.database.selector)], ports: [tcp(this.database.port)] },
          { to: [podsWith(selector)], ports: JGROUPS_PORTS.map(tcp) },
        ],
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
