import { App, Chart, Testing } from 'cdk8s';
import { parseConfig } from '../../../config';
import type { Connection } from '../../../config/contracts/connections';
import { PLATFORM_SERVICES, platformConnections } from '../../../platform';
import { KEYCLOAK_CONNECTIONS } from '../../../platform/keycloak/keycloak-connections';
import { KeycloakChart } from '../../../platform/keycloak/keycloak-chart';
import { KEYCLOAK_ENDPOINTS, keycloakRealmId } from '../../../platform/keycloak/keycloak-names';
import { ClientAccess, KeycloakRealm } from '../../../platform/keycloak/keycloak-realm';
import { KEYCLOAK } from '../../../platform/keycloak/keycloak-service';
import { find, manifestFiles, objectsOf } from '../../support/manifests';

describe('Keycloak chart', () => {
  const objects = objectsOf(manifestFiles().get('30-keycloak.yaml')!);
  const deployment = find(objects, 'Deployment', 'keycloak');
  const container = deployment.spec.template.spec.containers[0];
  const env = Object.fromEntries(container.env.map((e: { name: string; value?: string; valueFrom?: unknown }) => [e.name, e.value ?? e.valueFrom]));
  const realmMap = find(objects, 'ConfigMap', 'keycloak-realm-k-paas');
  const realm = JSON.parse(realmMap.data['k-paas-realm.json']);
  const client = (id: string) => realm.clients.find((c: { clientId: string }) => c.clientId === id);

  it('runs Keycloak 26 in production mode under /auth behind the ingress', () => {
    expect(container.image).toBe('quay.io/keycloak/keycloak:26.7.5');
    expect(container.args).toEqual(['start', '--import-realm']);
    expect(env).toMatchObject({
      KC_HOSTNAME: 'https://keycloak.k-paas.io/auth',
      KC_HTTP_RELATIVE_PATH: '/auth',
      KC_PROXY_HEADERS: 'xforwarded',
      KC_HTTP_ENABLED: 'true',
      KC_HEALTH_ENABLED: 'true',
      KC_METRICS_ENABLED: 'true',
      KC_DB: 'mariadb',
      KC_DB_URL: 'jdbc:mariadb://cp-portal-mariadb.cp-portal.svc:3306/keycloak',
      KC_DB_USERNAME: { secretKeyRef: { name: 'keycloak-db', key: 'username' } },
      KC_DB_PASSWORD: { secretKeyRef: { name: 'keycloak-db', key: 'password' } },
      KC_USER_PASSWORD_PORTAL_ADMIN: { secretKeyRef: { name: 'keycloak-users', key: 'portal-admin' } },
      KC_BOOTSTRAP_ADMIN_PASSWORD: { secretKeyRef: { name: 'keycloak-admin', key: 'password' } },
      KC_CLIENT_SECRET_PORTAL: { secretKeyRef: { name: 'keycloak-clients', key: 'portal' } },
      KC_CLIENT_SECRET_HARBOR: { secretKeyRef: { name: 'keycloak-clients', key: 'harbor' } },
      KC_CACHE: 'ispn',
      KC_DB_POOL_MAX_SIZE: '30',
    });
    // the deprecated kubernetes stack and its DNS query are gone: the default stack is jdbc-ping
    expect(env).not.toHaveProperty('KC_CACHE_STACK');
    expect(env).not.toHaveProperty('JAVA_OPTS_APPEND');
  });

  it('probes health on the management port', () => {
    expect(container.readinessProbe.httpGet).toEqual({ path: '/auth/health/ready', port: 'management', scheme: 'HTTP' });
    expect(container.livenessProbe.httpGet.path).toBe('/auth/health/live');
    expect(container.startupProbe.httpGet.path).toBe('/auth/health/started');
    expect(container.ports.find((p: { name: string }) => p.name === 'management').containerPort).toBe(9000);
  });

  it('runs two replicas on different workers with a PDB, clustered through the database (jdbc-ping), without a headless Service', () => {
    expect(deployment.spec.replicas).toBe(2);
    expect(deployment.spec.template.spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey).toBe('kubernetes.io/hostname');
    expect(objects.filter((o) => o.kind === 'Service').map((o) => o.metadata.name).sort()).toEqual(['keycloak']);
    expect(find(objects, 'PodDisruptionBudget', 'keycloak').spec.maxUnavailable).toBe(1);
  });

  it('lets the replicas reach each other on the JGroups transport (7800) and failure detection (57800) ports only', () => {
    const np = find(objects, 'NetworkPolicy', 'keycloak').spec;
    const self = { podSelector: { matchLabels: { 'app.kubernetes.io/name': 'keycloak', 'app.kubernetes.io/component': 'server' } } };
    const jgroups = [{ protocol: 'TCP', port: 7800 }, { protocol: 'TCP', port: 57800 }];
    expect(np.ingress).toContainEqual({ from: [self], ports: jgroups });
    expect(np.egress).toContainEqual({ to: [self], ports: jgroups });
  });

  it('has no database of its own: its tables are in the CP-Portal\'s MariaDB (whose max_connections counts its pool)', () => {
    expect(objects.filter((o) => o.kind === 'StatefulSet' || o.kind === 'PersistentVolumeClaim')).toEqual([]);
    expect(KEYCLOAK.openbao?.databases ?? []).toEqual([]);
    expect(KEYCLOAK.images(parseConfig({}))).toEqual(['quay.io/keycloak/keycloak:26.7.5']);
  });

  it('falls back to preferred anti-affinity with more replicas than workers', () => {
    const o = objectsOf(manifestFiles({ identity: { keycloakReplicas: 5 } }).get('30-keycloak.yaml')!);
    const affinity = find(o, 'Deployment', 'keycloak').spec.template.spec.affinity.podAntiAffinity;
    expect(affinity.requiredDuringSchedulingIgnoredDuringExecution).toBeUndefined();
    expect(affinity.preferredDuringSchedulingIgnoredDuringExecution).toHaveLength(1);
  });

  it('routes keycloak.<domain>/auth with the platform certificate', () => {
    const ingress = find(objects, 'Ingress', 'keycloak');
    expect(ingress.spec).toEqual({
      ingressClassName: 'nginx',
      tls: [{ hosts: ['keycloak.k-paas.io'], secretName: 'keycloak-tls' }],
      rules: [{ host: 'keycloak.k-paas.io', http: { paths: [{ path: '/auth', pathType: 'Prefix', backend: { service: { name: 'keycloak', port: { number: 8080 } } } }] } }],
    });
  });

  it('imports the k-paas realm with the three clients and redirect URIs from the hosts', () => {
    expect(realm.realm).toBe('k-paas');
    expect(realm.clients.map((c: { clientId: string; publicClient: boolean; redirectUris: string[] }) => [c.clientId, c.publicClient, c.redirectUris])).toEqual([
      ['portal', false, ['https://portal.k-paas.io/*']],
      ['harbor', false, ['https://harbor.k-paas.io/c/oidc/callback']],
      ['kubernetes', true, ['http://localhost:8000', 'http://localhost:18000']],
    ]);
    expect(client('portal').secret).toBe('${KC_CLIENT_SECRET_PORTAL}');
    expect(client('harbor').secret).toBe('${KC_CLIENT_SECRET_HARBOR}');
    expect(client('kubernetes').secret).toBeUndefined();
    // PKCE where the client sends a challenge (kubelogin, Harbor); the portal builds its own requests
    expect(realm.clients.map((c: { clientId: string; attributes: Record<string, string> }) => [c.clientId, c.attributes['pkce.code.challenge.method']])).toEqual([
      ['portal', undefined], ['harbor', 'S256'], ['kubernetes', 'S256'],
    ]);
    const groups = expect.objectContaining({ protocolMapper: 'oidc-group-membership-mapper', config: expect.objectContaining({ 'claim.name': 'groups', 'full.path': 'false' }) });
    for (const c of realm.clients.filter((x: { clientId: string }) => x.clientId !== 'portal')) expect(c.protocolMappers).toEqual([groups]);
    // the portal UI reads the realm roles from the userinfo's `roles` (cp-portal-ui OAuthAttributes.java)
    expect(client('portal').protocolMappers).toEqual([groups, {
      name: 'realm roles', protocol: 'openid-connect', protocolMapper: 'oidc-usermodel-realm-role-mapper', consentRequired: false,
      config: {
        'claim.name': 'roles', multivalued: 'true', 'jsonType.label': 'String', 'id.token.claim': 'true',
        'access.token.claim': 'true', 'userinfo.token.claim': 'true', 'introspection.token.claim': 'true',
      },
    }]);
  });

  it('imports the realm with the fixed id the portal\'s common-api is given, and the portal\'s first administrator', () => {
    expect(realm.id).toBe(keycloakRealmId(parseConfig({})));
    const portal = objectsOf(manifestFiles().get('70-portal.yaml')!);
    const commonApi = find(portal, 'Deployment', 'cp-portal-common-api-deployment').spec.template.spec.containers[0];
    expect(commonApi.env).toContainEqual({ name: 'KEYCLOAK_CP_REALM_ID', value: realm.id });
    // a member of admins, whose realm roles hold the portal's super-administrator role
    expect(realm.users).toEqual([{
      username: 'portal-admin', enabled: true, groups: ['/admins'],
      credentials: [{ type: 'password', value: '${KC_USER_PASSWORD_PORTAL_ADMIN}', temporary: false }],
    }]);
    expect(realm.groups.find((g: { name: string }) => g.name === 'admins').realmRoles).toContain('cp-cluster-admin-role');
  });

  it('has the seed\'s groups with roles, OTP for administrators, brute-force protection and a password policy', () => {
    expect(realm.groups).toEqual([
      { name: 'admins', path: '/admins', realmRoles: ['platform-admin', 'cp-cluster-admin-role'] },
      { name: 'developers', path: '/developers', realmRoles: ['developer'] },
      { name: 'operators', path: '/operators', realmRoles: ['operator'] },
    ]);
    expect(realm.roles.realm.map((r: { name: string }) => r.name)).toEqual(['platform-admin', 'cp-cluster-admin-role', 'developer', 'operator']);
    expect(realm.browserFlow).toBe('browser with admin otp');
    const otpFlow = realm.authenticationFlows.find((f: { alias: string }) => f.alias === 'browser with admin otp conditional otp');
    expect(otpFlow.authenticationExecutions.map((e: { authenticator: string; requirement: string }) => [e.authenticator, e.requirement])).toEqual([
      ['conditional-user-role', 'REQUIRED'], ['auth-otp-form', 'REQUIRED'],
    ]);
    expect(realm.authenticatorConfig).toEqual([{ alias: 'otp for admin role', config: { condUserRole: 'platform-admin', negate: 'false' } }]);
    expect(realm).toMatchObject({ bruteForceProtected: true, failureFactor: 5, otpPolicyType: 'totp', otpPolicyDigits: 6, registrationAllowed: false });
    // no character classes: the import fails the start on an imported password that misses one, and kpaas secrets makes letters and digits
    expect(realm.passwordPolicy).toBe('length(12) and notUsername and passwordHistory(5)');
  });

  it('follows the configured realm name and domain', () => {
    const o = objectsOf(manifestFiles({ domain: 'example.org', identity: { realm: 'acme' } }).get('30-keycloak.yaml')!);
    const r = JSON.parse(find(o, 'ConfigMap', 'keycloak-realm-acme').data['acme-realm.json']);
    expect(r.realm).toBe('acme');
    expect(r.clients[1].redirectUris).toEqual(['https://harbor.example.org/c/oidc/callback']);
  });

  it('maps the realm\'s groups to cluster-admin, edit and view for OIDC users', () => {
    const crbs = objects.filter((o) => o.kind === 'ClusterRoleBinding').map((o) => [o.metadata.name, o.roleRef.name, o.subjects[0].name, o.metadata.namespace]);
    expect(crbs).toEqual([
      ['kpaas:oidc:admins', 'cluster-admin', 'oidc:admins', undefined],
      ['kpaas:oidc:developers', 'edit', 'oidc:developers', undefined],
      ['kpaas:oidc:operators', 'view', 'oidc:operators', undefined],
    ]);
  });

  it('has no secret values in its output', () => {
    const text = manifestFiles().get('30-keycloak.yaml')!;
    expect(text).not.toMatch(/kind: Secret\b/);
    expect(text).not.toMatch(/"secret": "(?!\$\{)/);
  });
});

describe('KeycloakChart', () => {
  const config = parseConfig({});
  const synth = (connections: readonly Connection[]) => {
    const chart = new KeycloakChart(Testing.app(), 'keycloak', { config, connections });
    const objects = Testing.synth(chart);
    return { chart, objects, get: (kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name) };
  };
  const { chart, objects, get } = synth(platformConnections(PLATFORM_SERVICES, config));
  const server = { podSelector: { matchLabels: { 'app.kubernetes.io/name': 'keycloak', 'app.kubernetes.io/component': 'server' } } };
  const mariadb = { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'cp-portal' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'mariadb', 'app.kubernetes.io/instance': 'cp-portal-mariadb' } } };
  const tcp = (...ports: number[]) => ports.map((port) => ({ protocol: 'TCP', port }));

  it('builds its Services from the addresses the descriptor declares', () => {
    expect(KEYCLOAK.endpoints).toBe(KEYCLOAK_ENDPOINTS);
    expect(get('Service', 'keycloak').spec).toEqual({
      selector: server.podSelector.matchLabels,
      ports: [{ name: 'http', port: 8080, targetPort: 'http', protocol: 'TCP' }],
    });
    expect(chart.endpoint.service.name).toBe(KEYCLOAK_ENDPOINTS.server.name);
    expect(objects.filter((o) => o.kind === 'Service').map((o) => o.metadata.name).sort()).toEqual(['keycloak']);
  });

  it('derives the server\'s policy from the connections: the ingress on http, the replicas on JGroups, the portal\'s MariaDB', () => {
    expect(get('NetworkPolicy', 'keycloak').spec).toEqual({
      podSelector: server.podSelector,
      policyTypes: ['Ingress', 'Egress'],
      ingress: [
        { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }], ports: tcp(8080) },
        { from: [server], ports: tcp(7800, 57800) },
      ],
      egress: [
        { to: [mariadb], ports: tcp(3306) },
        { to: [server], ports: tcp(7800, 57800) },
      ],
    });
  });

  it('opens nothing a connection does not declare', () => {
    const without = synth(KEYCLOAK_CONNECTIONS.filter((c) => !/jgroups failure detection|mariadb/.test(c.name)));
    expect(without.get('NetworkPolicy', 'keycloak').spec.ingress[1]).toEqual({ from: [server], ports: tcp(7800) });
    expect(without.get('NetworkPolicy', 'keycloak').spec.egress).toEqual([{ to: [server], ports: tcp(7800) }]);
  });

  it('runs the server as its own user with the restricted contexts, no token, and a budget of one', () => {
    const pod = get('Deployment', 'keycloak').spec.template.spec;
    expect(pod.securityContext).toEqual({ runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.containers[0].securityContext).toEqual({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    expect(pod.containers[0].ports).toEqual([
      { name: 'http', containerPort: 8080 }, { name: 'management', containerPort: 9000 },
      { name: 'jgroups', containerPort: 7800 }, { name: 'jgroups-fd', containerPort: 57800 },
    ]);
    expect([pod.serviceAccountName, pod.automountServiceAccountToken, get('ServiceAccount', 'keycloak').automountServiceAccountToken]).toEqual(['keycloak', false, false]);
    expect(get('PodDisruptionBudget', 'keycloak').spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: server.podSelector.matchLabels } });
  });

  it('sends "/" to the console under /auth and makes room for token headers', () => {
    expect(get('Ingress', 'keycloak').metadata.annotations).toEqual({
      'nginx.ingress.kubernetes.io/ssl-redirect': 'true',
      'nginx.ingress.kubernetes.io/app-root': '/auth',
      'nginx.ingress.kubernetes.io/proxy-buffer-size': '128k',
    });
  });
});

describe('KeycloakRealm', () => {
  it('fails on a confidential client without a secret variable', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'test');
    new KeycloakRealm(chart, 'realm', {
      realm: 'r', displayName: 'R', otpRole: 'admin', groupsClaim: 'groups', groups: [],
      clients: [{ clientId: 'app', name: 'App', access: ClientAccess.CONFIDENTIAL, redirectUris: ['https://app/*'] }],
    });
    expect(() => app.synth()).toThrow(/confidential client app needs secretEnv/);
  });

  it('fails on a public client with a secret', () => {
    const app = new App({ outdir: require('os').tmpdir() });
    const chart = new Chart(app, 'test');
    new KeycloakRealm(chart, 'realm', {
      realm: 'r', displayName: 'R', otpRole: 'admin', groupsClaim: 'groups', groups: [],
      clients: [{ clientId: 'cli', name: 'CLI', access: ClientAccess.PUBLIC, redirectUris: ['http://localhost:8000'], secretEnv: 'X' }],
    });
    expect(() => app.synthYaml()).toThrow(/public client cli cannot have a secret/);
  });

  it('fails on a user in a group the realm does not have', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'test');
    new KeycloakRealm(chart, 'realm', {
      realm: 'r', displayName: 'R', otpRole: 'admin', groupsClaim: 'groups', groups: [], clients: [],
      users: [{ username: 'u', groups: ['admins'], passwordEnv: 'P' }],
    });
    expect(() => app.synth()).toThrow(/user u is in group admins, which the realm does not have/);
  });

  it('keeps the config unused by the realm out of it', () => {
    expect(parseConfig({}).identity.issuerUrl).toBe('https://keycloak.k-paas.io/auth/realms/k-paas');
  });
});
