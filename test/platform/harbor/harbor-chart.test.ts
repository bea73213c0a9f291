import { parseConfig } from '../../../config';
import { secretCatalog } from '../../../secrets/catalog';
import { find, manifestFiles, objectsOf } from '../../support/manifests';

interface EnvVar { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }
interface Container { name: string; image: string; env?: EnvVar[]; ports?: Array<{ name: string; containerPort: number }>; volumeMounts?: Array<{ name: string; mountPath: string; subPath?: string }>; resources: { requests: { cpu: string; memory: string }; limits: { memory: string } } }

const files = manifestFiles();
const yaml = files.get('50-harbor.yaml')!;
const objects = objectsOf(yaml);
const workloads = objects.filter((o) => o.kind === 'Deployment' || o.kind === 'StatefulSet');
/** Every container as `workload/container`. */
const containers = workloads.flatMap((w) => (w.spec.template.spec.containers as Container[]).map((c) => ({ id: `${w.metadata.name}/${c.name}`, workload: w, c })));
const container = (id: string) => {
  const hit = containers.find((x) => x.id === id);
  if (!hit) throw new Error(`no container ${id}`);
  return hit.c;
};
const envOf = (id: string) => Object.fromEntries((container(id).env ?? []).map((e) => [e.name, e.value ?? e.valueFrom?.secretKeyRef]));
/** Where each container reads an environment variable from (containers without it are left out). */
const refsOf = (name: string) => Object.fromEntries(containers
  .map(({ id, c }) => [id, c.env?.find((e) => e.name === name)] as const)
  .filter(([, e]) => e !== undefined)
  .map(([id, e]) => [id, e!.valueFrom?.secretKeyRef ?? e!.value]));
const selects = (selector: Record<string, string>, labels: Record<string, string>) => Object.entries(selector).every(([k, v]) => labels[k] === v);

describe('Harbor chart', () => {
  it('runs Harbor v2.15.2\'s components: core, portal, registry with registryctl in one pod, jobservice, Trivy, Redis and PostgreSQL', () => {
    expect(workloads.map((w) => [w.kind, w.metadata.name, w.spec.replicas, (w.spec.template.spec.containers as Container[]).map((c) => c.image)])).toEqual([
      ['StatefulSet', 'harbor-postgres', 1, ['docker.io/library/postgres:17.11']],
      ['StatefulSet', 'harbor-redis', 1, ['docker.io/goharbor/valkey-photon:v2.15.2']],
      ['Deployment', 'harbor-core', 2, ['docker.io/goharbor/harbor-core:v2.15.2']],
      ['Deployment', 'harbor-portal', 2, ['docker.io/goharbor/harbor-portal:v2.15.2']],
      ['Deployment', 'harbor-registry', 2, ['docker.io/goharbor/registry-photon:v2.15.2', 'docker.io/goharbor/harbor-registryctl:v2.15.2']],
      ['Deployment', 'harbor-jobservice', 2, ['docker.io/goharbor/harbor-jobservice:v2.15.2']],
      ['StatefulSet', 'harbor-trivy', 1, ['docker.io/goharbor/trivy-adapter-photon:v2.15.2']],
    ]);
    for (const o of objects) expect([o.metadata.name, o.metadata.namespace]).toEqual([o.metadata.name, 'harbor']);
  });

  it('routes harbor.<domain>: /api/, /service/, /v2/ and /c/ to core, / to the portal, with TLS, unlimited bodies and long timeouts', () => {
    const ingress = find(objects, 'Ingress', 'harbor');
    const backend = (name: string) => ({ service: { name, port: { number: 80 } } });
    expect(ingress.spec).toEqual({
      ingressClassName: 'nginx',
      tls: [{ hosts: ['harbor.k-paas.io'], secretName: 'harbor-tls' }],
      rules: [{
        host: 'harbor.k-paas.io',
        http: {
          paths: [
            { path: '/api/', pathType: 'Prefix', backend: backend('harbor-core') },
            { path: '/service/', pathType: 'Prefix', backend: backend('harbor-core') },
            { path: '/v2/', pathType: 'Prefix', backend: backend('harbor-core') },
            { path: '/c/', pathType: 'Prefix', backend: backend('harbor-core') },
            { path: '/', pathType: 'Prefix', backend: backend('harbor-portal') },
          ],
        },
      }],
    });
    expect(ingress.metadata.annotations).toEqual({
      'nginx.ingress.kubernetes.io/ssl-redirect': 'true',
      'nginx.ingress.kubernetes.io/proxy-body-size': '0',
      'nginx.ingress.kubernetes.io/proxy-request-buffering': 'off',
      'nginx.ingress.kubernetes.io/proxy-read-timeout': '900',
      'nginx.ingress.kubernetes.io/proxy-send-timeout': '900',
    });
    // the backends are the Services the components' pods are behind
    expect(find(objects, 'Service', 'harbor-core').spec.ports).toEqual([{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }]);
    expect(find(objects, 'Service', 'harbor-portal').spec.ports).toEqual([{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }]);
  });

  it('routes the OIDC callback Keycloak redirects to (/c/oidc/callback) to core', () => {
    const realmMap = objectsOf(files.get('30-keycloak.yaml')!).find((o) => o.kind === 'ConfigMap' && o.metadata.name.startsWith('keycloak-realm-'))!;
    const realm = JSON.parse(Object.values(realmMap.data as Record<string, string>)[0]);
    const client = realm.clients.find((c: { clientId: string }) => c.clientId === 'harbor');
    const callback = new URL(client.redirectUris[0]);
    const rules = find(objects, 'Ingress', 'harbor').spec.rules;
    expect(rules[0].host).toBe(callback.host);
    const route = (rules[0].http.paths as Array<{ path: string; backend: { service: { name: string } } }>)
      .filter((p) => callback.pathname.startsWith(p.path))
      .sort((a, b) => b.path.length - a.path.length)[0];
    expect([callback.pathname, route.path, route.backend.service.name]).toEqual(['/c/oidc/callback', '/c/', 'harbor-core']);
  });

  it('reads every internal secret from the same Secret key in every component that uses it', () => {
    expect(refsOf('CORE_SECRET')).toEqual({
      'harbor-core/core': { name: 'harbor-core', key: 'secret' },
      'harbor-registry/registryctl': { name: 'harbor-core', key: 'secret' },
      'harbor-jobservice/jobservice': { name: 'harbor-core', key: 'secret' },
    });
    expect(refsOf('JOBSERVICE_SECRET')).toEqual({
      'harbor-core/core': { name: 'harbor-jobservice', key: 'secret' },
      'harbor-registry/registryctl': { name: 'harbor-jobservice', key: 'secret' },
      'harbor-jobservice/jobservice': { name: 'harbor-jobservice', key: 'secret' },
    });
    expect(refsOf('REGISTRY_HTTP_SECRET')).toEqual({
      'harbor-registry/registry': { name: 'harbor-registry', key: 'httpSecret' },
      'harbor-registry/registryctl': { name: 'harbor-registry', key: 'httpSecret' },
    });
    expect(refsOf('REGISTRY_CREDENTIAL_USERNAME')).toEqual({
      'harbor-core/core': { name: 'harbor-registry', key: 'username' },
      'harbor-jobservice/jobservice': { name: 'harbor-registry', key: 'username' },
    });
    expect(refsOf('REGISTRY_CREDENTIAL_PASSWORD')).toEqual({
      'harbor-core/core': { name: 'harbor-registry', key: 'password' },
      'harbor-jobservice/jobservice': { name: 'harbor-registry', key: 'password' },
    });
    expect(envOf('harbor-core/core')).toMatchObject({
      CSRF_KEY: { name: 'harbor-core', key: 'csrfKey' },
      HARBOR_ADMIN_PASSWORD: { name: 'harbor-admin', key: 'password' },
    });
    const coreVolumes = find(objects, 'Deployment', 'harbor-core').spec.template.spec.volumes;
    expect(coreVolumes.find((v: { name: string }) => v.name === 'secret-key').secret).toEqual({ secretName: 'harbor-core', items: [{ key: 'secretKey', path: 'key' }] });
    expect(coreVolumes.find((v: { name: string }) => v.name === 'token-signing-key').secret).toEqual({ secretName: 'harbor-token-service', items: [{ key: 'tls.key', path: 'tls.key' }] });
  });

  it('gives the registry an htpasswd made from the very credentials core and jobservice log in with', () => {
    const registry = find(objects, 'Deployment', 'harbor-registry').spec.template.spec;
    const htpasswd = registry.volumes.find((v: { name: string }) => v.name === 'htpasswd').secret;
    expect(container('harbor-registry/registry').volumeMounts).toContainEqual({ name: 'htpasswd', mountPath: '/etc/registry/passwd', subPath: 'passwd' });
    const user = envOf('harbor-core/core').REGISTRY_CREDENTIAL_USERNAME as { name: string; key: string };
    const password = envOf('harbor-core/core').REGISTRY_CREDENTIAL_PASSWORD as { name: string; key: string };
    expect([user.name, password.name, htpasswd.secretName]).toEqual(['harbor-registry', 'harbor-registry', 'harbor-registry']);
    const spec = secretCatalog(parseConfig({})).secrets.find((s) => s.name === htpasswd.secretName && s.namespace === 'harbor')!;
    expect(spec.keys[htpasswd.items[0].key]).toEqual({ kind: 'htpasswd', userKey: user.key, passwordKey: password.key });
  });

  it('builds every in-cluster URL from a Service of the chart, on a port that leads to a container port of the pods it selects', () => {
    const services = objects.filter((o) => o.kind === 'Service');
    const urls = containers.flatMap(({ id, c }) => (c.env ?? [])
      .filter((e) => e.value !== undefined && /^(https?|redis):\/\//.test(e.value) && !e.value.includes('harbor.k-paas.io') && !e.value.includes('keycloak.'))
      .map((e) => ({ where: `${id} ${e.name}`, url: new URL(e.value!.replace('$(REDIS_PASSWORD)', 'x')) })));
    expect(urls.length).toBeGreaterThanOrEqual(15); // not vacuous
    const problems = urls.flatMap(({ where, url }) => {
      if (url.hostname === '127.0.0.1') return [];
      const [svcName, ns, svc] = url.hostname.split('.');
      const service = services.find((s) => s.metadata.name === svcName);
      if (!service || ns !== 'harbor' || svc !== 'svc') return [`${where}: ${url.hostname} is not a Service of the chart`];
      // URL leaves out a scheme's default port
      const number = url.port ? Number(url.port) : { 'http:': 80, 'https:': 443 }[url.protocol];
      const port = (service.spec.ports as Array<{ port: number; targetPort: string }>).find((p) => p.port === number);
      if (!port) return [`${where}: Service ${svcName} has no port ${number}`];
      const backends = workloads.filter((w) => selects(service.spec.selector, w.spec.template.metadata.labels));
      const target = backends.flatMap((w) => (w.spec.template.spec.containers as Container[]).flatMap((c) => c.ports ?? [])).find((p) => p.name === port.targetPort);
      return target ? [] : [`${where}: Service ${svcName} port ${number} leads to no container port ${port.targetPort}`];
    });
    expect(problems).toEqual([]);
    expect(refsOf('CORE_URL')).toEqual({ 'harbor-core/core': 'http://harbor-core.harbor.svc:80', 'harbor-jobservice/jobservice': 'http://harbor-core.harbor.svc:80' });
    expect(refsOf('TOKEN_SERVICE_URL')).toEqual({
      'harbor-core/core': 'http://harbor-core.harbor.svc:80/service/token',
      'harbor-jobservice/jobservice': 'http://harbor-core.harbor.svc:80/service/token',
    });
    expect(refsOf('REGISTRY_URL')).toEqual({ 'harbor-core/core': 'http://harbor-registry.harbor.svc:5000', 'harbor-jobservice/jobservice': 'http://harbor-registry.harbor.svc:5000' });
    expect(refsOf('REGISTRY_CONTROLLER_URL')).toEqual({ 'harbor-core/core': 'http://harbor-registry.harbor.svc:8080', 'harbor-jobservice/jobservice': 'http://harbor-registry.harbor.svc:8080' });
    expect(envOf('harbor-core/core')).toMatchObject({
      EXT_ENDPOINT: 'https://harbor.k-paas.io',
      JOBSERVICE_URL: 'http://harbor-jobservice.harbor.svc:80',
      PORTAL_URL: 'http://harbor-portal.harbor.svc:80',
      TRIVY_ADAPTER_URL: 'http://harbor-trivy.harbor.svc:8080',
      WITH_TRIVY: 'true',
      POSTGRESQL_HOST: 'harbor-postgres.harbor.svc',
      POSTGRESQL_PORT: '5432',
      POSTGRESQL_DATABASE: { name: 'harbor-db', key: 'database' },
      POSTGRESQL_USERNAME: { name: 'harbor-db', key: 'username' },
      POSTGRESQL_PASSWORD: { name: 'harbor-db', key: 'password' },
    });
    // the database was created from the same Secret keys core logs in with
    expect(envOf('harbor-postgres/postgres')).toMatchObject({
      POSTGRES_DB: { name: 'harbor-db', key: 'database' },
      POSTGRES_USER: { name: 'harbor-db', key: 'username' },
      POSTGRES_PASSWORD: { name: 'harbor-db', key: 'password' },
    });
  });

  it('puts the Redis password into every Redis URL through $(REDIS_PASSWORD), defined earlier in the same container from harbor-redis', () => {
    const redisVars = containers.flatMap(({ id, c }) => (c.env ?? []).map((e, i) => ({ id, c, e, i })).filter(({ e }) => e.value?.startsWith('redis://')));
    expect(redisVars.map(({ id, e }) => `${id} ${e.name}=${e.value}`)).toEqual([
      'harbor-core/core _REDIS_URL_CORE=redis://:$(REDIS_PASSWORD)@harbor-redis.harbor.svc:6379/0?idle_timeout_seconds=30',
      'harbor-core/core _REDIS_URL_REG=redis://:$(REDIS_PASSWORD)@harbor-redis.harbor.svc:6379/2?idle_timeout_seconds=30',
      'harbor-jobservice/jobservice JOB_SERVICE_POOL_REDIS_URL=redis://:$(REDIS_PASSWORD)@harbor-redis.harbor.svc:6379/1',
      'harbor-trivy/trivy SCANNER_REDIS_URL=redis://:$(REDIS_PASSWORD)@harbor-redis.harbor.svc:6379/5?idle_timeout_seconds=30',
    ]);
    for (const { c, i } of redisVars) {
      const defined = (c.env ?? []).findIndex((e) => e.name === 'REDIS_PASSWORD');
      expect(defined).toBeGreaterThanOrEqual(0);
      expect(defined).toBeLessThan(i);
      expect(c.env![defined].valueFrom?.secretKeyRef).toEqual({ name: 'harbor-redis', key: 'password' });
    }
    expect(refsOf('REGISTRY_REDIS_PASSWORD')).toEqual({
      'harbor-registry/registry': { name: 'harbor-redis', key: 'password' },
      'harbor-registry/registryctl': { name: 'harbor-redis', key: 'password' },
    });
    const redis = container('harbor-redis/redis');
    expect([redis.env, (redis as unknown as { args: string[] }).args]).toEqual([
      [{ name: 'REDIS_PASSWORD', valueFrom: { secretKeyRef: { name: 'harbor-redis', key: 'password' } } }],
      ['/etc/redis.conf', '--requirepass', '$(REDIS_PASSWORD)'],
    ]);
    const registryConfig = find(objects, 'ConfigMap', 'harbor-registry').data['config.yml'] as string;
    expect(registryConfig).toContain('addr: harbor-redis.harbor.svc:6379\n  db: 2\n');
  });

  it('configures the OIDC login through the realm\'s harbor client at start-up, the client secret filled in by the kubelet', () => {
    const coreEnv = container('harbor-core/core').env!;
    const json = coreEnv.find((e) => e.name === 'CONFIG_OVERWRITE_JSON')!.value!;
    expect(JSON.parse(json)).toEqual({
      auth_mode: 'oidc_auth',
      oidc_name: 'Keycloak',
      oidc_endpoint: 'https://keycloak.k-paas.io/auth/realms/k-paas',
      oidc_client_id: 'harbor',
      oidc_client_secret: '$(HARBOR_OIDC_CLIENT_SECRET)',
      oidc_scope: 'openid,profile,email,offline_access',
      oidc_groups_claim: 'groups',
      oidc_admin_group: 'admins',
      oidc_user_claim: 'preferred_username',
      oidc_verify_cert: true,
      oidc_auto_onboard: true,
    });
    // the kubelet expands $(VAR) only for variables defined before the one that uses it
    const secretAt = coreEnv.findIndex((e) => e.name === 'HARBOR_OIDC_CLIENT_SECRET');
    expect(secretAt).toBeGreaterThanOrEqual(0);
    expect(secretAt).toBeLessThan(coreEnv.findIndex((e) => e.name === 'CONFIG_OVERWRITE_JSON'));
    expect(coreEnv[secretAt].valueFrom).toEqual({ secretKeyRef: { name: 'harbor-oidc', key: 'clientSecret' } });
    // Harbor's copy of the secret is Keycloak's, whose realm import reads it from keycloak-clients/harbor
    const catalog = secretCatalog(parseConfig({}));
    expect(catalog.secrets.find((s) => s.name === 'harbor-oidc')!.keys.clientSecret).toEqual({ kind: 'copy', secret: 'keycloak-clients', key: 'harbor' });
    const keycloak = objectsOf(files.get('30-keycloak.yaml')!).find((o) => o.kind === 'Deployment')!;
    expect(keycloak.spec.template.spec.containers[0].env).toContainEqual({ name: 'KC_CLIENT_SECRET_HARBOR', valueFrom: { secretKeyRef: { name: 'keycloak-clients', key: 'harbor' } } });
  });

  it('trusts the platform CA in core through Harbor\'s custom-CA directory, so oidc_verify_cert can stay on', () => {
    const core = find(objects, 'Deployment', 'harbor-core').spec.template.spec;
    expect(container('harbor-core/core').volumeMounts).toContainEqual({ name: 'trusted-ca', mountPath: '/harbor_cust_cert/platform-ca.crt', subPath: 'ca.crt' });
    expect(core.volumes).toContainEqual({ name: 'trusted-ca', secret: { secretName: 'platform-ca', items: [{ key: 'ca.crt', path: 'ca.crt' }] } });
  });

  it('follows the configured domain and realm', () => {
    const o = objectsOf(manifestFiles({ domain: 'example.org', identity: { realm: 'acme' } }).get('50-harbor.yaml')!);
    const core = o.find((x) => x.kind === 'Deployment' && x.metadata.name === 'harbor-core')!.spec.template.spec.containers[0];
    const env = Object.fromEntries(core.env.map((e: EnvVar) => [e.name, e.value]));
    expect(env.EXT_ENDPOINT).toBe('https://harbor.example.org');
    expect(JSON.parse(env.CONFIG_OVERWRITE_JSON).oidc_endpoint).toBe('https://keycloak.example.org/auth/realms/acme');
    expect(find(o, 'Ingress', 'harbor').spec.tls).toEqual([{ hosts: ['harbor.example.org'], secretName: 'harbor-tls' }]);
  });

  it('keeps the images on the seed\'s shared NFS class (harbor-pvc, 20Gi, ReadWriteMany), shared by registry and registryctl', () => {
    expect(find(objects, 'PersistentVolumeClaim', 'harbor-pvc').spec).toEqual({
      accessModes: ['ReadWriteMany'], storageClassName: 'cp-storageclass', resources: { requests: { storage: '20Gi' } },
    });
    const registry = find(objects, 'Deployment', 'harbor-registry').spec.template.spec;
    expect(registry.volumes).toContainEqual({ name: 'storage', persistentVolumeClaim: { claimName: 'harbor-pvc' } });
    for (const id of ['harbor-registry/registry', 'harbor-registry/registryctl']) {
      expect(container(id).volumeMounts).toContainEqual({ name: 'storage', mountPath: '/storage' });
    }
    expect(find(objects, 'ConfigMap', 'harbor-registry').data['config.yml']).toContain('filesystem:\n    rootdirectory: /storage\n');
  });

  it('shares one job-log volume between the jobservice replicas, keeps Trivy\'s and Redis\'s data per pod, and the database on the Retain class (10Gi)', () => {
    expect(find(objects, 'PersistentVolumeClaim', 'harbor-jobservice-logs').spec).toEqual({
      accessModes: ['ReadWriteMany'], storageClassName: 'cp-storageclass', resources: { requests: { storage: '1Gi' } },
    });
    expect(find(objects, 'Deployment', 'harbor-jobservice').spec.template.spec.volumes).toContainEqual({ name: 'job-logs', persistentVolumeClaim: { claimName: 'harbor-jobservice-logs' } });
    const claims = (name: string) => find(objects, 'StatefulSet', name).spec.volumeClaimTemplates.map((t: { metadata: { name: string }; spec: unknown }) => [t.metadata.name, t.spec]);
    expect(claims('harbor-trivy')).toEqual([['data', { accessModes: ['ReadWriteOnce'], storageClassName: 'cp-storageclass', resources: { requests: { storage: '5Gi' } } }]]);
    expect(claims('harbor-redis')).toEqual([['data', { accessModes: ['ReadWriteOnce'], storageClassName: 'cp-storageclass', resources: { requests: { storage: '1Gi' } } }]]);
    expect(claims('harbor-postgres')).toEqual([['data', { accessModes: ['ReadWriteOnce'], storageClassName: 'cp-storageclass-retain', resources: { requests: { storage: '10Gi' } } }]]);
  });

  it('runs core, portal, registry and jobservice as two replicas on different workers, each with a PDB; Trivy and Redis as one, without', () => {
    const pdbs = objects.filter((o) => o.kind === 'PodDisruptionBudget');
    for (const name of ['harbor-core', 'harbor-portal', 'harbor-registry', 'harbor-jobservice']) {
      const d = find(objects, 'Deployment', name);
      const labels = d.spec.template.metadata.labels;
      expect(d.spec.replicas).toBe(2);
      expect(d.spec.template.spec.affinity.podAntiAffinity).toEqual({
        requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: labels } }],
      });
      expect(pdbs.filter((p) => selects(p.spec.selector.matchLabels, labels)).map((p) => [p.metadata.name, p.spec.maxUnavailable])).toEqual([[name, 1]]);
    }
    for (const name of ['harbor-trivy', 'harbor-redis']) {
      const s = find(objects, 'StatefulSet', name);
      expect(s.spec.replicas).toBe(1);
      expect(pdbs.filter((p) => selects(p.spec.selector.matchLabels, s.spec.template.metadata.labels))).toEqual([]);
    }
  });

  it('prefers, rather than requires, spreading when there are fewer workers than replicas', () => {
    const o = objectsOf(manifestFiles({ nodes: { workers: { ips: ['172.16.0.12'] } } }).get('50-harbor.yaml')!);
    const affinity = find(o, 'Deployment', 'harbor-core').spec.template.spec.affinity.podAntiAffinity;
    expect(affinity.requiredDuringSchedulingIgnoredDuringExecution).toBeUndefined();
    expect(affinity.preferredDuringSchedulingIgnoredDuringExecution).toEqual([{
      weight: 100,
      podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { 'app.kubernetes.io/name': 'harbor', 'app.kubernetes.io/component': 'core' } } },
    }]);
  });

  it('requests at most 1.5 vCPU and 3 GiB altogether, and limits the memory of every container', () => {
    const cpu = (q: string) => (q.endsWith('m') ? Number(q.slice(0, -1)) / 1000 : Number(q));
    const mib = (q: string) => (q.endsWith('Gi') ? Number(q.slice(0, -2)) * 1024 : Number(q.replace(/Mi$/, '')));
    let cpus = 0;
    let memory = 0;
    for (const { workload, c } of containers) {
      cpus += cpu(c.resources.requests.cpu) * workload.spec.replicas;
      memory += mib(c.resources.requests.memory) * workload.spec.replicas;
      expect(mib(c.resources.limits.memory)).toBeGreaterThanOrEqual(mib(c.resources.requests.memory));
    }
    expect(cpus).toBeLessThanOrEqual(1.5);
    expect(memory).toBeLessThanOrEqual(3 * 1024);
  });

  it('runs the goharbor images as user 10000 and Redis as 999, non-root, without privilege escalation or capabilities, each under its own token-less ServiceAccount', () => {
    const uid = Object.fromEntries(workloads.map((w) => [w.metadata.name, w.spec.template.spec.securityContext.runAsUser]));
    expect(uid).toEqual({
      'harbor-postgres': 999, 'harbor-redis': 999, 'harbor-core': 10000, 'harbor-portal': 10000, 'harbor-registry': 10000, 'harbor-jobservice': 10000, 'harbor-trivy': 10000,
    });
    for (const w of workloads) {
      const pod = w.spec.template.spec;
      expect([w.metadata.name, pod.securityContext.runAsNonRoot, pod.securityContext.seccompProfile, pod.automountServiceAccountToken, pod.serviceAccountName])
        .toEqual([w.metadata.name, true, { type: 'RuntimeDefault' }, false, w.metadata.name]);
      expect(find(objects, 'ServiceAccount', w.metadata.name).automountServiceAccountToken).toBe(false);
      for (const c of pod.containers) expect(c.securityContext).toMatchObject({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    }
  });

  it('probes each component where Harbor answers', () => {
    const probes = containers.map(({ id, c }) => {
      const p = c as unknown as Record<string, { httpGet?: { path: string; port: string } } | undefined>;
      return [id, p.readinessProbe?.httpGet?.path, p.livenessProbe?.httpGet?.path];
    });
    expect(probes).toEqual([
      ['harbor-postgres/postgres', undefined, undefined],
      ['harbor-redis/redis', undefined, undefined],
      ['harbor-core/core', '/api/v2.0/ping', '/api/v2.0/ping'],
      ['harbor-portal/portal', '/', '/'],
      ['harbor-registry/registry', '/', '/'],
      ['harbor-registry/registryctl', '/api/health', '/api/health'],
      ['harbor-jobservice/jobservice', '/api/v1/stats', '/api/v1/stats'],
      ['harbor-trivy/trivy', '/probe/ready', '/probe/healthy'],
    ]);
  });

  it('lets each component accept traffic only from the components that call it, and reach only what it calls', () => {
    const peer = (p: { podSelector?: { matchLabels: Record<string, string> }; namespaceSelector?: { matchLabels: Record<string, string> }; ipBlock?: { cidr: string; except?: string[] } }) => {
      if (p.ipBlock) return `${p.ipBlock.cidr} except ${(p.ipBlock.except ?? []).join(' ')}`;
      if (p.namespaceSelector) return `ns:${p.namespaceSelector.matchLabels['kubernetes.io/metadata.name']}${p.podSelector ? `/${p.podSelector.matchLabels['app.kubernetes.io/name']}` : ''}`;
      const l = p.podSelector!.matchLabels;
      return l['app.kubernetes.io/component'] ?? l['app.kubernetes.io/instance'];
    };
    type Rule = { from?: Parameters<typeof peer>[0][]; to?: Parameters<typeof peer>[0][]; ports?: Array<{ port: number }> };
    const rules = (list: Rule[] | undefined) => (list ?? []).map((r) => `${(r.from ?? r.to ?? []).map(peer).join(',')} :${(r.ports ?? []).map((p) => p.port).join(',')}`);
    const policies = Object.fromEntries(objects.filter((o) => o.kind === 'NetworkPolicy').map((p) => [p.metadata.name, { policyTypes: p.spec.policyTypes, ingress: rules(p.spec.ingress), egress: rules(p.spec.egress) }]));
    const outside = '0.0.0.0/0 except 10.233.64.0/18 10.233.0.0/18 :443';
    const both = ['Ingress', 'Egress'];
    expect(policies).toEqual({
      'harbor-postgres': { policyTypes: both, ingress: ['core :5432', 'jobservice :5432', 'ns:openbao/openbao :5432'], egress: [] },
      'harbor-redis': { policyTypes: both, ingress: ['core :6379', 'jobservice :6379', 'registry :6379', 'trivy :6379'], egress: [] },
      'harbor-core': {
        policyTypes: both,
        // jobservice reports job status; Trivy pulls the images it scans through core's /v2/
        ingress: ['ns:ingress-nginx :8080', 'jobservice :8080', 'trivy :8080'],
        egress: ['harbor-postgres :5432', 'redis :6379', 'registry :5000,8080', 'jobservice :8080', 'trivy :8080', 'portal :8080', 'ns:ingress-nginx :443', outside],
      },
      // core's health API checks the portal (src/controller/health/checker.go)
      'harbor-portal': { policyTypes: both, ingress: ['ns:ingress-nginx :8080', 'core :8080'], egress: [] },
      'harbor-registry': { policyTypes: both, ingress: ['core :5000,8080', 'jobservice :5000,8080'], egress: ['redis :6379'] },
      'harbor-jobservice': {
        policyTypes: both,
        ingress: ['core :8080'],
        // jobservice opens its own database connection (src/jobservice/job/impl/context.go)
        egress: ['harbor-postgres :5432', 'redis :6379', 'core :8080', 'registry :5000,8080', 'trivy :8080', outside],
      },
      'harbor-trivy': { policyTypes: both, ingress: ['core :8080', 'jobservice :8080'], egress: ['redis :6379', 'core :8080', outside] },
    });
  });

  it('lets PostgreSQL accept the full pools of every core and jobservice pod during a rolling update, plus the reserve', () => {
    const db = find(objects, 'StatefulSet', 'harbor-postgres').spec.template.spec.containers[0];
    const maxConnections = Number(/^max_connections=(\d+)$/.exec(db.args[1])![1]);
    expect(db.args).toEqual(['-c', `max_connections=${maxConnections}`]);
    // jobservice reads POSTGRESQL_MAX_OPEN_CONNS from core's configuration API, so core's value is the pool of both
    const pool = Number(envOf('harbor-core/core').POSTGRESQL_MAX_OPEN_CONNS);
    expect(pool).toBeGreaterThan(0); // 0 would be unlimited
    expect(envOf('harbor-jobservice/jobservice').POSTGRESQL_MAX_OPEN_CONNS).toBeUndefined();
    const rollout = (name: string) => {
      const replicas = find(objects, 'Deployment', name).spec.replicas as number;
      return replicas + Math.ceil(replicas / 4); // the default maxSurge of 25%
    };
    const reserve = 3 + 4 + 5; // superuser slots, OpenBao's pool, maintenance
    expect(pool * (rollout('harbor-core') + rollout('harbor-jobservice')) + reserve).toBeLessThanOrEqual(maxConnections);
    expect(maxConnections).toBe(25 * (3 + 3) + 12);
  });

  it('names only Secrets and keys that `kpaas secrets` makes in the harbor namespace', () => {
    const catalog = secretCatalog(parseConfig({})).secrets.filter((s) => s.namespace === 'harbor');
    const refs = workloads.flatMap((w) => {
      const pod = w.spec.template.spec;
      const fromEnv = (pod.containers as Container[]).flatMap((c) => (c.env ?? []).flatMap((e) => (e.valueFrom?.secretKeyRef ? [e.valueFrom.secretKeyRef] : [])));
      const fromVolumes = (pod.volumes ?? []).flatMap((v: { secret?: { secretName: string; items?: Array<{ key: string }> } }) =>
        (v.secret ? (v.secret.items ?? []).map((i) => ({ name: v.secret!.secretName, key: i.key })) : []));
      return [...fromEnv, ...fromVolumes];
    });
    expect(refs.length).toBeGreaterThan(20);
    const missing = refs.filter((r) => !catalog.some((s) => s.name === r.name && r.key in s.keys)).map((r) => `${r.name}/${r.key}`);
    expect(missing).toEqual([]);
  });

  it('has no secret values in its output', () => {
    expect(yaml).not.toMatch(/kind: Secret\b/);
    expect(yaml).not.toMatch(/redis:\/\/:(?!\$\(REDIS_PASSWORD\))/);
    expect(yaml).not.toMatch(/"oidc_client_secret":"(?!\$\()/);
  });
});
