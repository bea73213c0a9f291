import type { Construct } from 'constructs';
import { PLATFORM, PlatformConfig, platformUrl, VERSIONS } from '../../config';
import type { Connection } from '../../config/contracts/connections';
import {
  env,
  httpProbe,
  PlatformChart,
  PlatformIngress,
  TOKEN_HEADER_BUFFER_KB,
  PlatformWorkload,
  podSecurityContext,
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
  KEYCLOAK_DB_POOL_MAX_SIZE,
  KEYCLOAK_ENDPOINTS,
  KEYCLOAK_IMAGE,
  KEYCLOAK_JGROUPS_PORTS,
  KEYCLOAK_NAMESPACE,
  KEYCLOAK_PORTAL_ADMIN,
  KEYCLOAK_SECRETS,
  KEYCLOAK_USER_KEYS,
  keycloakRealmId,
  keycloakPublicUrl,
} from './keycloak-names';
import { PORTAL_DATABASE_ENDPOINT } from '../portal/portal-names';

const NAME = 'keycloak';
/** Health and metrics (Keycloak's management interface): probed by the kubelet, in no Service. */
const MANAGEMENT_PORT = 9000;
/** The image's keycloak user. */
const UID = 1000;
/** Served under /auth, as the CP-Portal's keycloak settings expect. */
const RELATIVE_PATH = PLATFORM.keycloak.relativePath;
const IMPORT_DIR = '/opt/keycloak/data/import';
/** The realm import's placeholder of the portal administrator's initial password. */
const PORTAL_ADMIN_PASSWORD_ENV = 'KC_USER_PASSWORD_PORTAL_ADMIN';
/** Realm role of the administrators: OTP is required for it. */
const ADMIN_ROLE = 'platform-admin';
/**
 * The CP-Portal's super-administrator realm role: cp-portal-ui `keycloak.superAdminRole`
 * (K-PaaS/cp-portal-ui@v1.6.1.1 src/main/resources/application.yml:25), which it looks up in the
 * userinfo's `roles` claim (PortalOAuth2UserService.java; OAuthAttributes.java reads "roles").
 */
export const PORTAL_SUPER_ADMIN_ROLE = 'cp-cluster-admin-role';
/** The claim the portal UI reads the realm roles from (its userinfo attribute `roles`). */
export const PORTAL_ROLES_CLAIM = 'roles';

export interface KeycloakChartProps {
  /** The resolved platform configuration. */
  readonly config: PlatformConfig;
  /** Every connection of every service: the server's and the database's policies admit those made to them. */
  readonly connections: readonly Connection[];
}

/**
 * Keycloak, the seed's IAM: production mode behind the ingress at keycloak.<domain> under /auth,
 * clustered replicas (Keycloak's default jdbc-ping discovery through the database), its tables in
 * the CP-Portal's MariaDB (database `keycloak`, its own user: the portal's common-api reads
 * USER_ENTITY there), the platform realm imported at start-up with a fixed id and the portal's
 * initial administrator, and the ClusterRoleBindings that give the realm's groups their
 * Kubernetes roles through the API server's OIDC flags.
 */
export class KeycloakChart extends PlatformChart {
  public readonly realm: KeycloakRealm;
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

    this.realm = new KeycloakRealm(this, 'realm', {
      realm: identity.realm,
      // common-api compares USER_ENTITY.REALM_ID with the id it is given (KEYCLOAK_CP_REALM_ID)
      id: keycloakRealmId(config),
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
          redirectUris: [platformUrl(hosts.portal, '/*')], webOrigins: [platformUrl(hosts.portal)], secretEnv: 'KC_CLIENT_SECRET_PORTAL',
          // the portal builds its authorization requests itself, without a PKCE challenge
          pkce: false,
          // the UI reads the realm roles from the userinfo's `roles` (a missing claim fails the login)
          realmRolesClaim: PORTAL_ROLES_CLAIM,
        },
        {
          clientId: identity.harborClientId, name: 'Harbor', access: ClientAccess.CONFIDENTIAL,
          redirectUris: [platformUrl(hosts.harbor, '/c/oidc/callback')], webOrigins: [platformUrl(hosts.harbor)], secretEnv: 'KC_CLIENT_SECRET_HARBOR',
        },
        {
          // kubectl with kubelogin: a browser login redirected to a local port
          clientId: identity.kubernetesClientId, name: 'Kubernetes API', access: ClientAccess.PUBLIC,
          redirectUris: ['http://localhost:8000', 'http://localhost:18000'],
        },
      ],
      // the portal's first administrator: its first login registers the portal's SUPER_ADMIN
      users: [{ username: KEYCLOAK_PORTAL_ADMIN, groups: [identity.groups.admins], passwordEnv: PORTAL_ADMIN_PASSWORD_ENV }],
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
          env('KC_HOSTNAME', keycloakPublicUrl(config)),
          env('KC_HTTP_RELATIVE_PATH', RELATIVE_PATH),
          // TLS ends at the ingress; Keycloak trusts its X-Forwarded-* headers
          env('KC_HTTP_ENABLED', true),
          env('KC_PROXY_HEADERS', 'xforwarded'),
          env('KC_HEALTH_ENABLED', true),
          env('KC_METRICS_ENABLED', true),
          env('KC_DB', 'mariadb'),
          env('KC_DB_URL', `jdbc:mariadb://${PORTAL_DATABASE_ENDPOINT.address('mysql')}/${KEYCLOAK_DATABASE.database}`),
          env('KC_DB_POOL_MAX_SIZE', KEYCLOAK_DB_POOL_MAX_SIZE),
          secretEnv('KC_DB_USERNAME', KEYCLOAK_SECRETS.db, 'username'),
          secretEnv('KC_DB_PASSWORD', KEYCLOAK_SECRETS.db, 'password'),
          secretEnv('KC_BOOTSTRAP_ADMIN_USERNAME', KEYCLOAK_SECRETS.admin, 'username'),
          secretEnv('KC_BOOTSTRAP_ADMIN_PASSWORD', KEYCLOAK_SECRETS.admin, 'password'),
          secretEnv('KC_CLIENT_SECRET_PORTAL', KEYCLOAK_SECRETS.clients, KEYCLOAK_CLIENT_KEYS.portal),
          secretEnv('KC_CLIENT_SECRET_HARBOR', KEYCLOAK_SECRETS.clients, KEYCLOAK_CLIENT_KEYS.harbor),
          secretEnv(PORTAL_ADMIN_PASSWORD_ENV, KEYCLOAK_SECRETS.users, KEYCLOAK_USER_KEYS.portalAdmin),
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
      controller: config.ingress.controller,
      name: NAME,
      host: hosts.keycloak,
      tlsSecretName: KEYCLOAK_SECRETS.tls,
      routes: [{ path: RELATIVE_PATH, service: this.endpoint.service, port: http.port }],
      // "/" opens the console under /auth; tokens make large headers
      traffic: { rootRedirect: RELATIVE_PATH, responseHeaderBufferKb: TOKEN_HEADER_BUFFER_KB },
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
