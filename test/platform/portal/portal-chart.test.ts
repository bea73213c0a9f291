import { Chart, Testing } from 'cdk8s';
import { PORTAL_HPA } from '../../../platform/portal/portal-chart';
import { PORTAL_ENDPOINTS } from '../../../platform/portal/portal-names';
import { ConfigError, parseConfig } from '../../../config';
import { MariaDbDatabase } from '../../../constructs/k8s';
import { KubeStorageClass } from '../../../imports/k8s';
import { find, manifestFiles, objectsOf } from '../../support/manifests';
import type { K8sObject } from '../../support/manifests';

const FILE = '70-portal.yaml';

type EnvVar = { name: string; value?: string; valueFrom?: unknown };
/** The main container's environment as name -> value (or valueFrom). */
function envOf(deployment: K8sObject): Record<string, unknown> {
  const c = deployment.spec.template.spec.containers[0];
  return Object.fromEntries((c.env as EnvVar[]).map((e) => [e.name, e.value ?? e.valueFrom]));
}
const secretRef = (name: string, key: string) => ({ secretKeyRef: { name, key } });

describe('CP-Portal chart', () => {
  const yaml = manifestFiles().get(FILE)!;
  const objects = objectsOf(yaml);
  const deployments = objects.filter((o) => o.kind === 'Deployment');
  const ui = find(objects, 'Deployment', 'cp-portal-deployment');
  const api = find(objects, 'Deployment', 'cp-portal-api-deployment');
  const commonApi = find(objects, 'Deployment', 'cp-portal-common-api-deployment');
  const metricApi = find(objects, 'Deployment', 'cp-portal-metric-api-deployment');

  it('deploys the components of the standalone install guide that the seed\'s platform supports', () => {
    expect(deployments.map((d) => [d.metadata.name, d.spec.template.spec.containers[0].image, d.spec.template.spec.containers[0].ports[0].containerPort])).toEqual([
      ['cp-portal-common-api-deployment', 'harbor.k-paas.io/cp-portal-repository/cp-portal-common-api:v1.6.2', 3334],
      ['cp-portal-metric-api-deployment', 'harbor.k-paas.io/cp-portal-repository/cp-portal-metric-api:v1.6.2', 8900],
      ['cp-portal-api-deployment', 'harbor.k-paas.io/cp-portal-repository/cp-portal-api:v1.6.2', 3333],
      ['cp-portal-deployment', 'harbor.k-paas.io/cp-portal-repository/cp-portal-ui:v1.6.2', 8090],
    ]);
    for (const d of deployments) {
      for (const c of [...d.spec.template.spec.containers, ...(d.spec.template.spec.initContainers ?? [])]) expect(c.imagePullPolicy).toBe('IfNotPresent');
    }
    expect(objects.filter((o) => o.kind === 'Service').map((s) => [s.metadata.name, s.spec.ports[0].port])).toEqual([
      ['cp-portal-mariadb', 3306],
      ['cp-portal-common-api-service', 3334],
      ['cp-portal-metric-api-service', 8900],
      ['cp-portal-api-service', 3333],
      ['cp-portal-service', 8090],
    ]);
  });

  it('gives the UI the realm, its client and secret, its own URL, the registry, the API URL, the absent APIs\' paths and ChartMuseum', () => {
    expect(envOf(ui)).toEqual({
      KEYCLOAK_URI: 'https://keycloak.k-paas.io/auth',
      KEYCLOAK_CP_REALM: 'k-paas',
      KEYCLOAK_CP_CLIENT_ID: 'portal',
      KEYCLOAK_CP_CLIENT_SECRET: secretRef('cp-portal-keycloak', 'clientSecret'),
      CP_PORTAL_UI_URI: 'https://portal.k-paas.io',
      REPOSITORY_URL: 'https://harbor.k-paas.io',
      CP_PORTAL_API_URI: 'https://portal.k-paas.io/cpapi',
      CP_PORTAL_CATALOG_API_URI: 'https://portal.k-paas.io/cpcatalog',
      CP_PORTAL_CHAOS_API_URI: 'https://portal.k-paas.io/cpchaos',
      CHART_REPO_URL: 'https://chartmuseum.k-paas.io',
      CHART_REPO_NAME: 'cp-chart-repository',
      CHART_REPO_USERNAME: secretRef('cp-portal-chart-repo', 'username'),
      CHART_REPO_PASSWORD: secretRef('cp-portal-chart-repo', 'password'),
      CHART_REPO_CRT: secretRef('platform-ca', 'ca.crt'),
      MANAGEMENT_ENDPOINT_HEALTH_PROBES_ENABLED: 'true',
      JAVA_TOOL_OPTIONS: '-Djavax.net.ssl.trustStore=/truststore/cacerts -Djavax.net.ssl.trustStorePassword=changeit -XX:MaxRAMPercentage=70',
    });
  });

  it('reaches Keycloak under /auth: the endpoints the UI builds from KEYCLOAK_URI are the realm\'s', () => {
    // cp-portal-ui v1.6.1.1 application.yml: issuer-uri ${KEYCLOAK_URI}/realms/${KEYCLOAK_CP_REALM} (no /auth of its own)
    const env = envOf(ui) as Record<string, string>;
    const realmUrl = `${env.KEYCLOAK_URI}/realms/${env.KEYCLOAK_CP_REALM}`;
    expect(realmUrl).toBe(parseConfig({}).identity.issuerUrl);
    expect(`${realmUrl}/protocol/openid-connect/token`).toBe('https://keycloak.k-paas.io/auth/realms/k-paas/protocol/openid-connect/token');
  });

  it('gives the API OpenBao, its JWT key and the in-cluster URLs of the other components', () => {
    expect(envOf(api)).toMatchObject({
      VAULT_URL: 'https://openbao.openbao.svc:8200',
      VAULT_ROLE_ID: secretRef('cp-portal-openbao', 'roleId'),
      VAULT_SECRET_ID: secretRef('cp-portal-openbao', 'secretId'),
      VAULT_ROLE_NAME: 'cp_role',
      JWT_SECRET: secretRef('cp-portal-api', 'jwtSecret'),
      CP_PORTAL_COMMON_API_URI: 'http://cp-portal-common-api-service.cp-portal.svc:3334',
      // terraman is not deployed: a name that never resolves, so building a cluster fails at once
      CP_PORTAL_TERRAMAN_API_URI: 'http://cp-portal-terraman.invalid',
      CP_PORTAL_METRIC_COLLECTOR_API_URI: 'http://cp-portal-metric-api-service.cp-portal.svc:8900',
    });
  });

  it('writes every in-cluster URL of a component as its declared address gives it (`<svc>.<ns>.svc`)', () => {
    expect(envOf(api)).toMatchObject({
      CP_PORTAL_COMMON_API_URI: PORTAL_ENDPOINTS.commonApi.url('http'),
      CP_PORTAL_METRIC_COLLECTOR_API_URI: PORTAL_ENDPOINTS.metricApi.url('http'),
    });
    const values = deployments.flatMap((d) => (d.spec.template.spec.containers[0].env as EnvVar[]).map((e) => e.value ?? ''));
    expect(values.filter((v) => v.includes('cluster.local'))).toEqual([]);
  });

  it('gives the database users the MariaDB address and the credentials from the Secret', () => {
    const db = {
      DATABASE_URL: 'cp-portal-mariadb.cp-portal.svc:3306',
      DATABASE_USER_ID: secretRef('cp-portal-db', 'username'),
      DATABASE_USER_PASSWORD: secretRef('cp-portal-db', 'password'),
    };
    expect(envOf(commonApi)).toMatchObject({ ...db, KEYCLOAK_DB_SCHEMA: 'keycloak', KEYCLOAK_CP_REALM_ID: 'k-paas' });
    expect(envOf(commonApi)).not.toHaveProperty('KEYCLOAK_CP_REALM');
    expect(envOf(metricApi)).toEqual({
      PROFILE: 'prod',
      DATABASE_URL: 'cp-portal-mariadb.cp-portal.svc:3306',
      DATABASE_NAME: 'cp',
      DATABASE_TERRAMAN_ID: secretRef('cp-portal-db', 'username'),
      DATABASE_TERRAMAN_PASSWORD: secretRef('cp-portal-db', 'password'),
      VAULT_URL: 'https://openbao.openbao.svc:8200',
      VAULT_ROLE_ID: secretRef('cp-portal-openbao', 'roleId'),
      VAULT_SECRET_ID: secretRef('cp-portal-openbao', 'secretId'),
      SSL_CERT_FILE: '/platform-ca/ca.crt',
    });
    const pod = metricApi.spec.template.spec;
    expect(pod.containers[0].volumeMounts).toContainEqual({ name: 'platform-ca', mountPath: '/platform-ca', readOnly: true });
    expect(pod.volumes).toContainEqual({ name: 'platform-ca', secret: { secretName: 'platform-ca', items: [{ key: 'ca.crt', path: 'ca.crt' }] } });
  });

  it('scales the UI with the seed\'s HPA exactly: autoscaling/v2, 2 to 10 replicas at 70% CPU', () => {
    const hpa = find(objects, 'HorizontalPodAutoscaler', 'portal-hpa');
    expect(hpa.apiVersion).toBe('autoscaling/v2');
    expect(hpa.spec).toEqual({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'cp-portal-deployment' },
      minReplicas: 2,
      maxReplicas: 10,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
    });
    expect(PORTAL_HPA).toEqual({ name: 'portal-hpa', minReplicas: 2, maxReplicas: 10, cpuUtilization: 70 });
    // the HPA owns the UI's count; the API runs two fixed replicas
    expect(ui.spec.replicas).toBeUndefined();
    expect(api.spec.replicas).toBe(2);
    expect(ui.spec.template.spec.containers[0].resources.requests.cpu).toBe('200m');
  });

  it('keeps the multi-replica components available through drains and spread over the workers, on workers only', () => {
    expect(objects.filter((o) => o.kind === 'PodDisruptionBudget').map((p) => [p.metadata.name, p.spec.maxUnavailable, p.spec.selector.matchLabels['app.kubernetes.io/component']]))
      .toEqual([['cp-portal-api', 1, 'api'], ['cp-portal-ui', 1, 'ui']]);
    // two API replicas on three workers: required; the UI may grow to 10: preferred, so scaling is never blocked
    expect(api.spec.template.spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey).toBe('kubernetes.io/hostname');
    expect(ui.spec.template.spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution).toBeUndefined();
    expect(ui.spec.template.spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.topologyKey).toBe('kubernetes.io/hostname');
    expect(commonApi.spec.template.spec.affinity.podAntiAffinity).toBeUndefined();
    for (const d of deployments) {
      expect(d.spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms)
        .toEqual([{ matchExpressions: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'DoesNotExist' }] }]);
    }
  });

  it('runs every component as uid 1000 without an API token, probing Spring Boot\'s health groups', () => {
    for (const d of deployments) {
      const pod = d.spec.template.spec;
      const main = pod.containers[0];
      expect([d.metadata.name, pod.securityContext]).toEqual([d.metadata.name, { runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' } }]);
      expect(pod.automountServiceAccountToken).toBe(false);
      expect(pod.serviceAccountName).toBe(main.name);
      expect(main.securityContext).toMatchObject({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
      expect(main.livenessProbe.httpGet).toEqual({ path: '/actuator/health/liveness', port: 'http', scheme: 'HTTP' });
      expect(main.readinessProbe.httpGet).toEqual({ path: '/actuator/health/readiness', port: 'http', scheme: 'HTTP' });
    }
    // none writes outside /tmp and its logs
    expect(deployments.filter((d) => !d.spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem).map((d) => d.metadata.name))
      .toEqual([]);
  });

  it('makes the JVM components trust the platform CA through a truststore built at start', () => {
    const init = api.spec.template.spec.initContainers[0];
    expect(init.image).toBe(api.spec.template.spec.containers[0].image);
    expect(init.command[2]).toContain('keytool -importcert -noprompt -alias kpaas-platform-ca -file /platform-ca/ca.crt -keystore /truststore/cacerts');
    expect(api.spec.template.spec.volumes).toContainEqual({ name: 'platform-ca', secret: { secretName: 'platform-ca', items: [{ key: 'ca.crt', path: 'ca.crt' }] } });
    // the Go metric API has no JVM: it reads the CA file itself (SSL_CERT_FILE)
    expect(metricApi.spec.template.spec.initContainers).toBeUndefined();
  });

  it('serves the UI and, at /cpapi, the API at portal.<domain> with the portal certificate', () => {
    expect(find(objects, 'Ingress', 'cp-portal-ingress').spec).toEqual({
      ingressClassName: 'nginx',
      tls: [{ hosts: ['portal.k-paas.io'], secretName: 'portal-tls' }],
      rules: [{ host: 'portal.k-paas.io', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'cp-portal-service', port: { number: 8090 } } } }] } }],
    });
    const apiIngress = find(objects, 'Ingress', 'cp-portal-api-ingress');
    expect(apiIngress.spec.rules[0].http.paths).toEqual([
      { path: '/cpapi(/|$)(.*)', pathType: 'ImplementationSpecific', backend: { service: { name: 'cp-portal-api-service', port: { number: 3333 } } } },
    ]);
    expect(apiIngress.metadata.annotations).toMatchObject({ 'nginx.ingress.kubernetes.io/use-regex': 'true', 'nginx.ingress.kubernetes.io/rewrite-target': '/$2' });
    expect(find(objects, 'Ingress', 'cp-portal-ingress').metadata.annotations?.['nginx.ingress.kubernetes.io/affinity']).toBe('cookie');
  });

  it('binds the portal\'s cluster account to cluster-admin, with a long-lived token no pod mounts', () => {
    // what it may do and grant is checked against the source in test/contracts/portal-rbac.test.ts
    expect(objects.filter((o) => o.kind === 'ClusterRole')).toEqual([]);
    const binding = find(objects, 'ClusterRoleBinding', 'kpaas:cp-portal-cluster-manager');
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' });
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'cp-portal-cluster-manager', namespace: 'cp-portal' }]);
    // its long-lived token is filled in by the token controller, never by dist
    const token = find(objects, 'Secret', 'cp-portal-cluster-manager-token');
    expect(token).toMatchObject({ type: 'kubernetes.io/service-account-token', metadata: { annotations: { 'kubernetes.io/service-account.name': 'cp-portal-cluster-manager' } } });
    expect(token.data).toBeUndefined();
    // no pod runs as it
    expect(deployments.filter((d) => d.spec.template.spec.serviceAccountName === 'cp-portal-cluster-manager')).toEqual([]);
  });

  it('keeps the portal\'s MariaDB on the Retain class with the schemas the portal names, reachable only by its users (OpenBao manages no MariaDB)', () => {
    const db = find(objects, 'StatefulSet', 'cp-portal-mariadb');
    expect(db.spec.volumeClaimTemplates[0].spec).toEqual({ accessModes: ['ReadWriteOnce'], storageClassName: 'cp-storageclass-retain', resources: { requests: { storage: '5Gi' } } });
    const c = db.spec.template.spec.containers[0];
    expect(c.image).toBe('docker.io/library/mariadb:11.4.12');
    expect(Object.fromEntries((c.env as EnvVar[]).map((e) => [e.name, e.valueFrom]))).toEqual({
      MARIADB_ROOT_PASSWORD: secretRef('cp-portal-db', 'rootPassword'),
      MARIADB_DATABASE: secretRef('cp-portal-db', 'database'),
      MARIADB_USER: secretRef('cp-portal-db', 'username'),
      MARIADB_PASSWORD: secretRef('cp-portal-db', 'password'),
      KEYCLOAK_DB_NAME: secretRef('cp-portal-keycloak-db', 'database'),
      KEYCLOAK_DB_USER: secretRef('cp-portal-keycloak-db', 'username'),
      KEYCLOAK_DB_PASSWORD: secretRef('cp-portal-keycloak-db', 'password'),
    });
    expect(db.spec.template.spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 999 });
    const init = find(objects, 'ConfigMap', 'cp-portal-mariadb-init').data;
    expect(init['10-extra-databases.sh']).toMatch(/^for db in cp broker; do$/m);
    // Keycloak's database, in the character set Keycloak supports on MariaDB, with its own user; common-api may read it
    expect(init['20-keycloak.sh'].split('\n')).toEqual([
      'docker_process_sql --database=mysql <<EOSQL',
      'CREATE DATABASE IF NOT EXISTS ${KEYCLOAK_DB_NAME} CHARACTER SET utf8mb3 COLLATE utf8mb3_unicode_ci;',
      "CREATE USER IF NOT EXISTS '${KEYCLOAK_DB_USER}'@'%' IDENTIFIED BY '${KEYCLOAK_DB_PASSWORD}';",
      "GRANT ALL ON ${KEYCLOAK_DB_NAME}.* TO '${KEYCLOAK_DB_USER}'@'%';",
      "GRANT SELECT ON ${KEYCLOAK_DB_NAME}.* TO '${MARIADB_USER}'@'%';",
      'EOSQL',
      '',
    ]);
    const from = find(objects, 'NetworkPolicy', 'cp-portal-mariadb').spec.ingress.flatMap((r: { from: Array<{ podSelector: { matchLabels: Record<string, string> } }> }) => r.from)
      .map((p: { podSelector: { matchLabels: Record<string, string> } }) => `${p.podSelector.matchLabels['app.kubernetes.io/name']}/${p.podSelector.matchLabels['app.kubernetes.io/component']}`);
    expect(from).toEqual(['keycloak/server', 'cp-portal/common-api', 'cp-portal/metric-api', 'cp-portal/schema']);
  });

  it('lets MariaDB take every client pool at once during rolling updates: Keycloak\'s, common-api\'s and metric-api\'s, plus the reserve', () => {
    const check = (input: Parameters<typeof manifestFiles>[0]) => {
      const files = manifestFiles(input);
      const portal = objectsOf(files.get(FILE)!);
      const keycloak = find(objectsOf(files.get('30-keycloak.yaml')!), 'Deployment', 'keycloak');
      const args = find(portal, 'StatefulSet', 'cp-portal-mariadb').spec.template.spec.containers[0].args as string[];
      const max = Number(/^--max-connections=(\d+)$/.exec(args.find((a) => a.startsWith('--max-connections='))!)![1]);
      const rollout = (replicas: number) => replicas + Math.ceil(replicas / 4);
      const kcPool = Number(keycloak.spec.template.spec.containers[0].env.find((e: EnvVar) => e.name === 'KC_DB_POOL_MAX_SIZE').value);
      const commonApiPods = rollout(find(portal, 'Deployment', 'cp-portal-common-api-deployment').spec.replicas);
      const metricApiPods = rollout(find(portal, 'Deployment', 'cp-portal-metric-api-deployment').spec.replicas);
      // Keycloak's pool; common-api's two Hikari pools of 10 (its default); metric-api's two unbounded Go pools, counted as 5 each; the reserve
      const needed = rollout(keycloak.spec.replicas) * kcPool + commonApiPods * 2 * 10 + metricApiPods * 2 * 5 + 7;
      expect(max).toBeGreaterThanOrEqual(needed);
      return max;
    };
    expect(check({})).toBe(3 * 30 + 2 * 20 + 2 * 10 + 7);
    expect(check({ identity: { keycloakReplicas: 5 } })).toBe(7 * 30 + 2 * 20 + 2 * 10 + 7);
  });

  it('lets each component accept traffic only from where it must', () => {
    const policy = (name: string) => find(objects, 'NetworkPolicy', name).spec;
    const peers = (name: string) => policy(name).ingress.flatMap((r: { from: Array<Record<string, { matchLabels: Record<string, string> }>> }) => r.from.map((p) =>
      p.podSelector ? `pods:${p.podSelector.matchLabels['app.kubernetes.io/component']}` : `namespace:${p.namespaceSelector.matchLabels['kubernetes.io/metadata.name']}`));
    expect(peers('cp-portal-ui')).toEqual(['namespace:ingress-nginx']);
    expect(peers('cp-portal-api')).toEqual(['namespace:ingress-nginx']);
    expect(peers('cp-portal-common-api')).toEqual(['pods:api']);
    expect(peers('cp-portal-metric-api')).toEqual(['pods:api']);
    for (const [name, address] of Object.entries({ 'cp-portal-ui': PORTAL_ENDPOINTS.ui, 'cp-portal-api': PORTAL_ENDPOINTS.api, 'cp-portal-common-api': PORTAL_ENDPOINTS.commonApi })) {
      expect(policy(name).ingress[0].ports).toEqual([{ protocol: 'TCP', port: address.port('http').targetPort }]);
    }
    // the UI reaches Keycloak and the API by their public names (the ingress IP in the cluster), over https only; the common API only its database
    expect(policy('cp-portal-ui').egress).toContainEqual({ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }], ports: [{ protocol: 'TCP', port: 443 }] });
    expect(policy('cp-portal-common-api').egress).toEqual([{ to: [{ podSelector: { matchLabels: { 'app.kubernetes.io/instance': 'cp-portal-mariadb', 'app.kubernetes.io/name': 'mariadb' } } }], ports: [{ protocol: 'TCP', port: 3306 }] }]);
    // the API reaches the host cluster's API at the kubernetes Service, i.e. the masters on 6443 after DNAT
    const cidrs = (o: typeof objects) => find(o, 'NetworkPolicy', 'cp-portal-api').spec.egress
      .flatMap((r: { to: Array<{ ipBlock?: { cidr: string } }>; ports: unknown[] }) => r.to.filter((p) => p.ipBlock).map((p) => [p.ipBlock!.cidr, r.ports]));
    const apiPort = [{ protocol: 'TCP', port: 6443 }];
    expect(cidrs(objects)).toEqual(['172.16.0.192/32', '172.16.0.157/32', '172.16.0.254/32'].map((c) => [c, apiPort]));
    expect(cidrs(objectsOf(manifestFiles({ cloud: { provider: 'openstack' } }).get(FILE)!))).toEqual(cidrs(objects));
  });

  it('deploys no terraman: the API is given a URL that never resolves, and no component opens SSH', () => {
    expect(objects.filter((o) => /terraman/.test(o.metadata.name ?? ''))).toEqual([]);
    const ports = (name: string) => find(objects, 'NetworkPolicy', name).spec.egress.flatMap((r: { ports: Array<{ port: number }> }) => r.ports.map((p) => p.port));
    for (const d of deployments) expect(ports(d.spec.template.spec.serviceAccountName)).not.toContain(22);
  });

  it('logs in through the Keycloak client the realm import declares: its id, the realm, the redirect URI and origin it allows', () => {
    // spring-security's redirect-uri is ${CP_PORTAL_UI_URI}/login/oauth2/code/keycloak (config/contracts/portal-env.ts);
    // Keycloak matches a redirect URI ending in /* as a prefix and web origins exactly
    const allowed = (patterns: string[], uri: string) => patterns.some((p) => (p.endsWith('/*') ? uri.startsWith(p.slice(0, -1)) : uri === p));
    for (const input of [{}, { domain: 'example.org', identity: { realm: 'acme' } }]) {
      const files = manifestFiles(input);
      const env = envOf(find(objectsOf(files.get(FILE)!), 'Deployment', 'cp-portal-deployment')) as Record<string, string>;
      const realm = JSON.parse(find(objectsOf(files.get('30-keycloak.yaml')!), 'ConfigMap', `keycloak-realm-${env.KEYCLOAK_CP_REALM}`).data[`${env.KEYCLOAK_CP_REALM}-realm.json`]);
      expect(realm.realm).toBe(env.KEYCLOAK_CP_REALM);
      const client = realm.clients.find((c: { clientId: string }) => c.clientId === env.KEYCLOAK_CP_CLIENT_ID);
      expect(allowed(client.redirectUris, `${env.CP_PORTAL_UI_URI}/login/oauth2/code/keycloak`)).toBe(true);
      expect(client.webOrigins).toContain(new URL(env.CP_PORTAL_UI_URI).origin);
    }
  });

  it('follows the configured domain, realm and image registry', () => {
    const o = objectsOf(manifestFiles({ domain: 'example.org', identity: { realm: 'acme' }, portal: { registry: 'registry.example.org:5000/kpaas' } }).get(FILE)!);
    const d = find(o, 'Deployment', 'cp-portal-deployment');
    expect(d.spec.template.spec.containers[0].image).toBe('registry.example.org:5000/kpaas/cp-portal-ui:v1.6.2');
    expect(envOf(d)).toMatchObject({ KEYCLOAK_URI: 'https://keycloak.example.org/auth', KEYCLOAK_CP_REALM: 'acme', CP_PORTAL_API_URI: 'https://portal.example.org/cpapi', CP_PORTAL_UI_URI: 'https://portal.example.org' });
    expect(envOf(find(o, 'Deployment', 'cp-portal-common-api-deployment'))).toMatchObject({ KEYCLOAK_CP_REALM_ID: 'acme' });
    expect(find(o, 'Ingress', 'cp-portal-ingress').spec.rules[0].host).toBe('portal.example.org');
    // the default registry follows the domain
    const other = objectsOf(manifestFiles({ domain: 'example.org' }).get(FILE)!);
    expect(find(other, 'Deployment', 'cp-portal-api-deployment').spec.template.spec.containers[0].image).toBe('harbor.example.org/cp-portal-repository/cp-portal-api:v1.6.2');
  });

  it('uses required anti-affinity for the UI too once the workers outnumber its HPA maximum', () => {
    const o = objectsOf(manifestFiles({ nodes: { workers: { count: 10, ipRange: '172.16.0.20-172.16.0.40' } } }).get(FILE)!);
    expect(find(o, 'Deployment', 'cp-portal-deployment').spec.template.spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution).toHaveLength(1);
  });

  it('has no secret values in its output', () => {
    expect(objects.filter((o) => o.kind === 'Secret' && (o.data || o.stringData))).toEqual([]);
  });
});

describe('portal configuration', () => {
  it('defaults the registry to the platform Harbor\'s cp-portal-repository project', () => {
    expect(parseConfig({}).portal).toEqual({ registry: 'harbor.k-paas.io/cp-portal-repository' });
  });

  it('fails on a registry with a scheme, naming the field and the value', () => {
    expect(() => parseConfig({ portal: { registry: 'https://harbor.k-paas.io/cp' } })).toThrow(ConfigError);
    expect(() => parseConfig({ portal: { registry: 'https://harbor.k-paas.io/cp' } })).toThrow(/portal\.registry: .*is not an image registry and path/);
  });

  it('fails on a registry with a tag or without a project', () => {
    expect(() => parseConfig({ portal: { registry: 'harbor.k-paas.io/cp:v1' } })).toThrow(/portal\.registry/);
    expect(() => parseConfig({ portal: { registry: 'harbor.k-paas.io' } })).toThrow(/portal\.registry/);
  });

  it('fails on an unknown key in the portal section', () => {
    expect(() => parseConfig({ portal: { replicas: 3 } })).toThrow(/portal/);
  });
});

describe('MariaDbDatabase', () => {
  it('fails on an extra database name the init script could not use as is', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'test', { namespace: 'ns' });
    const storageClass = new KubeStorageClass(chart, 'sc', { metadata: { name: 'sc' }, provisioner: 'p' });
    new MariaDbDatabase(chart, 'db', { app: 'a', secret: { name: 's' }, storageClass, size: '1Gi', connections: [], config: parseConfig({}), extraDatabases: ['ok_name', 'bad-name; DROP'] });
    expect(() => app.synth()).toThrow(/extra database "bad-name; DROP" is not a plain name/);
  });

  it('makes no init script without extra databases', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'test', { namespace: 'ns' });
    const storageClass = new KubeStorageClass(chart, 'sc', { metadata: { name: 'sc' }, provisioner: 'p' });
    const db = new MariaDbDatabase(chart, 'db', { app: 'a', secret: { name: 's' }, storageClass, size: '1Gi', connections: [], config: parseConfig({}) });
    const out = chart.toJson();
    expect(out.filter((o: K8sObject) => o.kind === 'ConfigMap')).toEqual([]);
    expect(db.address).toBe('a-mariadb.ns.svc:3306');
  });
});
