import { App, Chart } from 'cdk8s';
import { parseConfig } from '../../../config';
import { OpenbaoChart } from '../../../platform/openbao/openbao-chart';
import { renderHcl } from '../../../constructs/hcl';
import { openbaoServerConfig } from '../../../platform/openbao/openbao-config';
import { KubeStorageClass } from '../../../imports/k8s';
import { secretCatalog } from '../../../secrets/catalog';
import { ServiceAddress } from '../../../constructs/k8s/service-endpoint';
import { PLATFORM_SERVICES } from '../../../platform';
import { OPENBAO } from '../../../platform/openbao/openbao-service';
import { find, K8sObject, manifestFiles, objectsOf } from '../../support/manifests';

const FILE = '40-openbao.yaml';
const objectsFor = (input = {}) => objectsOf(manifestFiles(input).get(FILE)!);
const envOf = (container: { env: Array<{ name: string; value?: string; valueFrom?: unknown }> }) =>
  Object.fromEntries(container.env.map((e) => [e.name, e.value ?? e.valueFrom]));
const retryJoins = (hcl: string) => [...hcl.matchAll(/leader_api_addr\s+= "([^"]+)"/g)].map((m) => m[1]);

describe('OpenBao chart', () => {
  const yaml = manifestFiles().get(FILE)!;
  const objects = objectsOf(yaml);
  const sts = find(objects, 'StatefulSet', 'openbao');
  const pod = sts.spec.template.spec;
  const server = pod.containers[0];
  const configHcl: string = find(objects, 'ConfigMap', 'openbao-config').data['config.hcl'];
  const injector = find(objects, 'Deployment', 'openbao-agent-injector');
  const injectorContainer = injector.spec.template.spec.containers[0];

  describe('server configuration', () => {
    it('is exactly the UI, a TLS listener, Raft joining every peer over TLS, and service registration', () => {
      expect(configHcl).toBe([
        'ui            = true',
        'disable_mlock = true',
        '',
        'listener "tcp" {',
        '  address         = "0.0.0.0:8200"',
        '  cluster_address = "0.0.0.0:8201"',
        '  tls_cert_file   = "/openbao/tls/tls.crt"',
        '  tls_key_file    = "/openbao/tls/tls.key"',
        '  tls_min_version = "tls12"',
        '}',
        '',
        'storage "raft" {',
        '  path = "/openbao/data"',
        '',
        '  retry_join {',
        '    leader_api_addr     = "https://openbao-0.openbao-internal.openbao.svc:8200"',
        '    leader_ca_cert_file = "/openbao/tls/ca.crt"',
        '  }',
        '',
        '  retry_join {',
        '    leader_api_addr     = "https://openbao-1.openbao-internal.openbao.svc:8200"',
        '    leader_ca_cert_file = "/openbao/tls/ca.crt"',
        '  }',
        '',
        '  retry_join {',
        '    leader_api_addr     = "https://openbao-2.openbao-internal.openbao.svc:8200"',
        '    leader_ca_cert_file = "/openbao/tls/ca.crt"',
        '  }',
        '}',
        '',
        'service_registration "kubernetes" {}',
        '',
      ].join('\n'));
    });

    it('lists every server of a five-server cluster as a retry_join peer, and the StatefulSet runs five', () => {
      const o = objectsFor({ openbao: { replicas: 5 } });
      const hcl: string = find(o, 'ConfigMap', 'openbao-config').data['config.hcl'];
      expect(retryJoins(hcl)).toEqual([0, 1, 2, 3, 4].map((i) => `https://openbao-${i}.openbao-internal.openbao.svc:8200`));
      expect(hcl.match(/leader_ca_cert_file = "\/openbao\/tls\/ca.crt"/g)).toHaveLength(5);
      expect(find(o, 'StatefulSet', 'openbao').spec.replicas).toBe(5);
      // service registration may label exactly the pods that exist
      expect(find(o, 'Role', 'openbao-service-registration').rules[0].resourceNames).toEqual(['openbao-0', 'openbao-1', 'openbao-2', 'openbao-3', 'openbao-4']);
    });

    it('renders a single server without peers other than itself', () => {
      const peers = new ServiceAddress({ name: 'bao-peers', namespace: 'vault', scheme: 'https', ports: [{ name: 'https', port: 443, targetPort: 8300 }, { name: 'https-internal', port: 8301 }] });
      const hcl = renderHcl(openbaoServerConfig({ replicas: 1, statefulSetName: 'bao', peers, dataPath: '/d', tlsDir: '/t' }));
      // a headless name reaches the pod itself: the container port, not the Service port
      expect(retryJoins(hcl)).toEqual(['https://bao-0.bao-peers.vault.svc:8300']);
      expect(hcl).toContain('  address         = "0.0.0.0:8300"\n  cluster_address = "0.0.0.0:8301"\n');
      expect(hcl).toContain('  path = "/d"\n');
      expect(hcl).toContain('  tls_cert_file   = "/t/tls.crt"\n');
    });

    it('mounts the configuration, the listener certificate and the Raft volume where the configuration expects them', () => {
      expect(server.args).toEqual(['bao', 'server', '-config=/openbao/config/config.hcl']);
      expect(server.volumeMounts).toEqual([
        { name: 'data', mountPath: '/openbao/data' },
        { name: 'config', mountPath: '/openbao/config', readOnly: true },
        { name: 'tls', mountPath: '/openbao/tls', readOnly: true },
        { name: 'home', mountPath: '/home/openbao' },
        { name: 'tmp', mountPath: '/tmp' },
      ]);
      expect(pod.volumes).toEqual([
        { name: 'config', configMap: { name: 'openbao-config' } },
        { name: 'tls', secret: { secretName: 'openbao-server-tls', defaultMode: 0o440 } },
        { name: 'home', emptyDir: {} },
        { name: 'tmp', emptyDir: {} },
      ]);
    });
  });

  describe('server StatefulSet', () => {
    it('runs the pinned OpenBao image, three servers by default, one Retain volume of 5Gi each', () => {
      expect(server.image).toBe('quay.io/openbao/openbao:2.6.2');
      expect(sts.spec.replicas).toBe(3);
      expect(sts.spec.serviceName).toBe('openbao-internal');
      expect(sts.spec.volumeClaimTemplates).toEqual([{
        metadata: { name: 'data', labels: { 'app.kubernetes.io/name': 'openbao', 'app.kubernetes.io/component': 'server' } },
        spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'cp-storageclass-retain', resources: { requests: { storage: '5Gi' } } },
      }]);
    });

    it('starts every server at once and leaves restarts to the operator, who unseals each one', () => {
      expect(sts.spec.podManagementPolicy).toBe('Parallel');
      expect(sts.spec.updateStrategy).toEqual({ type: 'OnDelete' });
    });

    it('derives api_addr, cluster_addr and the Raft node id from the pod name through the headless Service', () => {
      const env = envOf(server);
      expect(env).toEqual({
        BAO_K8S_POD_NAME: { fieldRef: { fieldPath: 'metadata.name' } },
        BAO_K8S_NAMESPACE: { fieldRef: { fieldPath: 'metadata.namespace' } },
        BAO_API_ADDR: 'https://$(BAO_K8S_POD_NAME).openbao-internal.openbao.svc:8200',
        BAO_CLUSTER_ADDR: 'https://$(BAO_K8S_POD_NAME).openbao-internal.openbao.svc:8201',
        BAO_RAFT_NODE_ID: { fieldRef: { fieldPath: 'metadata.name' } },
        BAO_ADDR: 'https://127.0.0.1:8200',
        BAO_CACERT: '/openbao/tls/ca.crt',
        SKIP_CHOWN: 'true',
        SKIP_SETCAP: 'true',
        HOME: '/home/openbao',
      });
      // $(BAO_K8S_POD_NAME) only expands when the variable is defined earlier in the list
      const names = server.env.map((e: { name: string }) => e.name);
      expect(names.indexOf('BAO_K8S_POD_NAME')).toBeLessThan(names.indexOf('BAO_API_ADDR'));
    });

    it('is ready only when unsealed, and kept alive while sealed or uninitialised', () => {
      expect(server.readinessProbe.httpGet).toEqual({ path: '/v1/sys/health?standbyok=true', port: 'https', scheme: 'HTTPS' });
      expect(server.livenessProbe.httpGet).toEqual({ path: '/v1/sys/health?standbyok=true&sealedcode=204&uninitcode=204', port: 'https', scheme: 'HTTPS' });
      expect(server.livenessProbe.initialDelaySeconds).toBeGreaterThanOrEqual(30);
      expect(server.ports).toEqual([{ name: 'https', containerPort: 8200 }, { name: 'https-internal', containerPort: 8201 }]);
    });

    it('runs as the image\'s non-root user with nothing to escalate and a read-only root filesystem', () => {
      expect(pod.securityContext).toEqual({ runAsNonRoot: true, runAsUser: 100, runAsGroup: 1000, fsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' } });
      expect(server.securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
      expect(pod.automountServiceAccountToken).toBe(true);
      expect(pod.serviceAccountName).toBe('openbao');
      expect(server.resources).toEqual({ requests: { cpu: '250m', memory: '256Mi' }, limits: { memory: '1Gi' } });
    });

    it('requires one server per node, and prefers it when there are more servers than workers', () => {
      expect(pod.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution).toEqual([{
        topologyKey: 'kubernetes.io/hostname',
        labelSelector: { matchLabels: { 'app.kubernetes.io/name': 'openbao', 'app.kubernetes.io/component': 'server' } },
      }]);
      const five = find(objectsFor({ openbao: { replicas: 5 } }), 'StatefulSet', 'openbao').spec.template.spec.affinity.podAntiAffinity;
      expect(five.requiredDuringSchedulingIgnoredDuringExecution).toBeUndefined();
      expect(five.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.topologyKey).toBe('kubernetes.io/hostname');
    });

    it('keeps a Raft majority through drains: at most one server unavailable', () => {
      expect(find(objects, 'PodDisruptionBudget', 'openbao').spec).toEqual({
        maxUnavailable: 1,
        selector: { matchLabels: { 'app.kubernetes.io/name': 'openbao', 'app.kubernetes.io/component': 'server' } },
      });
    });

    it('fails on an even number of servers, in the config and in the construct', () => {
      expect(() => parseConfig({ openbao: { replicas: 4 } })).toThrow(/odd/);
      const config = parseConfig({});
      const app = new App();
      const storageClass = new KubeStorageClass(new Chart(app, 'storage'), 'retain', { metadata: { name: 'retain' }, provisioner: 'p' });
      expect(() => new OpenbaoChart(app, 'odd', { config, dataStorageClass: storageClass, connections: [] })).not.toThrow();
      expect(() => new OpenbaoChart(app, 'even', { config: { ...config, openbao: { replicas: 4 } }, dataStorageClass: storageClass, connections: [] }))
        .toThrow('OpenBao: replicas must be an odd number of servers (a Raft majority must survive a failure), got 4');
    });
  });

  describe('Services', () => {
    const selector = { 'app.kubernetes.io/name': 'openbao', 'app.kubernetes.io/component': 'server' };
    const api = [{ name: 'https', port: 8200, targetPort: 'https', protocol: 'TCP' }];

    it('has the names the listener certificate is valid for, with the selectors service registration drives', () => {
      expect(find(objects, 'Service', 'openbao').spec).toEqual({ selector, ports: api });
      expect(find(objects, 'Service', 'openbao-active').spec).toEqual({ selector: { ...selector, 'openbao-active': 'true' }, ports: api });
      expect(find(objects, 'Service', 'openbao-standby').spec).toEqual({ selector: { ...selector, 'openbao-active': 'false' }, ports: api });
      expect(find(objects, 'Service', 'openbao-internal').spec).toEqual({
        clusterIP: 'None',
        publishNotReadyAddresses: true,
        selector,
        ports: [...api, { name: 'https-internal', port: 8201, targetPort: 'https-internal', protocol: 'TCP' }],
      });
    });

    it('builds every Service from an address the descriptor declares', () => {
      const services = objects.filter((o) => o.kind === 'Service').map((o) => o.metadata.name);
      expect(services).toEqual(['openbao', 'openbao-active', 'openbao-standby', 'openbao-internal', 'openbao-agent-injector-svc']);
      expect(Object.values(OPENBAO.endpoints).map((a) => a.name)).toEqual(services);
      for (const address of Object.values(OPENBAO.endpoints)) {
        expect(find(objects, 'Service', address.name).spec.ports.map((p: { name: string; port: number }) => [p.name, p.port]))
          .toEqual(address.ports.map((p) => [p.name, p.port]));
      }
    });

    it('calls every server by a name its listener certificate holds (Raft joins, agents, the ingress, the CLI)', () => {
      const cert = secretCatalog(parseConfig({})).certificates.find((c) => c.name === 'openbao-server')!;
      const covered = (host: string) => cert.dnsNames.some((san) => (san.startsWith('*.')
        ? host.endsWith(san.slice(1)) && !host.slice(0, -san.length + 1).includes('.')
        : host === san)) || (cert.ipAddresses ?? []).includes(host);
      const hostOf = (url: string) => new URL(url).hostname;
      const hosts = [
        ...retryJoins(configHcl).map(hostOf),
        hostOf((envOf(server).BAO_API_ADDR as string).replace('$(BAO_K8S_POD_NAME)', 'openbao-1')),
        hostOf(envOf(server).BAO_ADDR as string),
        hostOf(envOf(injectorContainer).AGENT_INJECT_VAULT_ADDR as string),
        find(objects, 'Ingress', 'openbao').metadata.annotations!['nginx.ingress.kubernetes.io/proxy-ssl-name'],
      ];
      expect(hosts).toHaveLength(7);
      expect([covered('openbao-1.openbao-internal.openbao.svc'), covered('a.b.openbao-internal.openbao.svc'), covered('openbao.keycloak.svc')]).toEqual([true, false, false]);
      expect(hosts.filter((h) => !covered(h))).toEqual([]);
    });

    it('serves openbao.<domain> through the ingress to the active server over verified TLS', () => {
      const ingress = find(objects, 'Ingress', 'openbao');
      expect(ingress.spec).toEqual({
        ingressClassName: 'nginx',
        tls: [{ hosts: ['openbao.k-paas.io'], secretName: 'openbao-tls' }],
        rules: [{
          host: 'openbao.k-paas.io',
          http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'openbao-active', port: { number: 8200 } } } }] },
        }],
      });
      expect(ingress.metadata.annotations).toEqual({
        'nginx.ingress.kubernetes.io/ssl-redirect': 'true',
        'nginx.ingress.kubernetes.io/backend-protocol': 'HTTPS',
        'nginx.ingress.kubernetes.io/proxy-ssl-secret': 'openbao/openbao-tls',
        'nginx.ingress.kubernetes.io/proxy-ssl-verify': 'on',
        'nginx.ingress.kubernetes.io/proxy-ssl-name': 'openbao-active.openbao.svc',
        'nginx.ingress.kubernetes.io/proxy-ssl-server-name': 'on',
        'nginx.ingress.kubernetes.io/proxy-ssl-protocols': 'TLSv1.2 TLSv1.3',
      });
      const host = find(objectsFor({ domain: 'paas.example.com' }), 'Ingress', 'openbao').spec.rules[0].host;
      expect(host).toBe('openbao.paas.example.com');
    });
  });

  describe('RBAC', () => {
    it('lets each server label only the server pods, and review tokens for the Kubernetes auth method', () => {
      expect(find(objects, 'Role', 'openbao-service-registration').rules).toEqual([
        { apiGroups: [''], resources: ['pods'], resourceNames: ['openbao-0', 'openbao-1', 'openbao-2'], verbs: ['get', 'update', 'patch'] },
      ]);
      const sa = [{ kind: 'ServiceAccount', name: 'openbao', namespace: 'openbao' }];
      expect(find(objects, 'RoleBinding', 'openbao-service-registration').subjects).toEqual(sa);
      const delegator = find(objects, 'ClusterRoleBinding', 'kpaas:openbao-auth-delegator');
      expect(delegator.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:auth-delegator' });
      expect(delegator.subjects).toEqual(sa);
      expect(delegator.metadata.namespace).toBeUndefined();
    });
  });

  describe('NetworkPolicies', () => {
    const serverPods = { podSelector: { matchLabels: { 'app.kubernetes.io/name': 'openbao', 'app.kubernetes.io/component': 'server' } } };
    const port = (p: number) => ({ protocol: 'TCP', port: p });
    const masters = ['172.16.0.192/32', '172.16.0.157/32', '172.16.0.254/32'].map((cidr) => ({ ipBlock: { cidr } }));
    const postgres = (namespace: string) => ({
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': namespace } },
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'postgres', 'app.kubernetes.io/instance': `${namespace}-postgres` } },
    });
    const portal = (component: string) => ({
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'cp-portal' } },
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'cp-portal', 'app.kubernetes.io/component': component } },
    });
    const policy = find(objects, 'NetworkPolicy', 'openbao');

    it('admits the connections made to the servers: peers on both ports, the API from the ingress controller, any pod and the portal', () => {
      expect(policy.spec.podSelector).toEqual(serverPods.podSelector);
      expect(policy.spec.policyTypes).toEqual(['Ingress', 'Egress']);
      expect(policy.spec.ingress).toEqual([
        { from: [serverPods], ports: [port(8200), port(8201)] },
        // the route to the UI and API (the proxies of Envoy Gateway need it declared: their own egress)
        { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }], ports: [port(8200)] },
        { from: [{ namespaceSelector: {} }], ports: [port(8200)] },
        ...['api', 'metric-api'].map((c) => ({ from: [portal(c)], ports: [port(8200)] })),
      ]);
    });

    it('opens the connections the servers make: the managed databases, each other, the API server on its own port', () => {
      expect(policy.spec.egress).toEqual([
        { to: [serverPods], ports: [port(8200), port(8201)] },
        { to: masters, ports: [port(6443)] },
        { to: [postgres('harbor')], ports: [port(5432)] },
      ]);
    });

    it('reaches exactly the databases the services hand to OpenBao', () => {
      const managed = PLATFORM_SERVICES.flatMap((s) => s.openbao?.databases ?? []);
      expect(managed.map((d) => d.server.namespace)).toEqual(['harbor']);
      const databaseRules = policy.spec.egress.filter((r: { ports: Array<{ port: number }> }) => r.ports.some((p) => p.port === 5432));
      expect(databaseRules.map((r: { to: unknown[] }) => r.to)).toEqual(managed.map((d) => [{
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': d.server.namespace } },
        podSelector: { matchLabels: d.selector },
      }]));
    });

    it('lets the API server call the injector\'s webhook from the host network, and the injector reach the API only', () => {
      const p = find(objects, 'NetworkPolicy', 'openbao-agent-injector');
      expect(p.spec.podSelector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'openbao-agent-injector', 'app.kubernetes.io/component': 'webhook' } });
      expect(p.spec.ingress).toEqual([{ from: [{ ipBlock: { cidr: '172.16.0.0/24' } }, { ipBlock: { cidr: '10.233.64.0/18' } }], ports: [port(8080)] }]);
      expect(p.spec.egress).toEqual([{ to: masters, ports: [port(6443)] }]);
    });
  });

  describe('agent injector', () => {
    const env = envOf(injectorContainer);

    it('runs two replicas of the pinned injector with leader election and self-generated webhook TLS', () => {
      expect(injector.spec.replicas).toBe(2);
      expect(injectorContainer.image).toBe('docker.io/hashicorp/vault-k8s:1.7.2');
      expect(injectorContainer.args).toEqual(['agent-inject']);
      expect(env).toMatchObject({
        AGENT_INJECT_LISTEN: ':8080',
        AGENT_INJECT_TLS_AUTO: 'openbao-agent-injector-cfg',
        AGENT_INJECT_TLS_AUTO_HOSTS: 'openbao-agent-injector-svc,openbao-agent-injector-svc.openbao,openbao-agent-injector-svc.openbao.svc',
        AGENT_INJECT_USE_LEADER_ELECTOR: 'true',
        NAMESPACE: { fieldRef: { fieldPath: 'metadata.namespace' } },
        POD_NAME: { fieldRef: { fieldPath: 'metadata.name' } },
      });
    });

    it('points the injected agents at the OpenBao Service over TLS, trusting the platform CA, logging in with Kubernetes auth', () => {
      expect(env).toMatchObject({
        AGENT_INJECT_VAULT_ADDR: 'https://openbao.openbao.svc:8200',
        AGENT_INJECT_VAULT_CACERT_BYTES: { secretKeyRef: { name: 'openbao-server-tls', key: 'ca.crt' } },
        AGENT_INJECT_VAULT_AUTH_PATH: 'auth/kubernetes',
        AGENT_INJECT_VAULT_IMAGE: 'quay.io/openbao/openbao:2.6.2',
      });
    });

    it('probes readiness over HTTPS and runs non-root with a read-only root filesystem', () => {
      for (const probe of ['readinessProbe', 'livenessProbe', 'startupProbe']) {
        expect(injectorContainer[probe].httpGet).toEqual({ path: '/health/ready', port: 'https', scheme: 'HTTPS' });
      }
      const spec = injector.spec.template.spec;
      expect(spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 100, seccompProfile: { type: 'RuntimeDefault' } });
      expect(injectorContainer.securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
      expect(spec.automountServiceAccountToken).toBe(true);
      expect(spec.serviceAccountName).toBe('openbao-agent-injector');
      expect(find(objects, 'PodDisruptionBudget', 'openbao-agent-injector').spec.maxUnavailable).toBe(1);
    });

    it('registers a webhook that ignores its own failure and never sees OpenBao\'s or the system\'s pods', () => {
      const cfg = find(objects, 'MutatingWebhookConfiguration', 'openbao-agent-injector-cfg');
      expect(cfg.metadata.namespace).toBeUndefined();
      expect(cfg.webhooks).toEqual([{
        name: 'vault.hashicorp.com',
        failurePolicy: 'Ignore',
        matchPolicy: 'Exact',
        sideEffects: 'None',
        timeoutSeconds: 10,
        admissionReviewVersions: ['v1'],
        clientConfig: { service: { name: 'openbao-agent-injector-svc', namespace: 'openbao', path: '/mutate', port: 443 } },
        rules: [{ operations: ['CREATE', 'UPDATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['pods'], scope: 'Namespaced' }],
        namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['openbao', 'kube-system'] }] },
      }]);
      expect(find(objects, 'Service', 'openbao-agent-injector-svc').spec.ports).toEqual([{ name: 'https', port: 443, targetPort: 'https', protocol: 'TCP' }]);
      expect(injectorContainer.ports).toEqual([{ name: 'https', containerPort: 8080 }]);
    });

    it('may patch only its own webhook configuration, and hold its lock and certificate Secret by name', () => {
      const rules = find(objects, 'ClusterRole', 'kpaas:openbao-agent-injector').rules;
      expect(rules).toContainEqual({ apiGroups: ['admissionregistration.k8s.io'], resources: ['mutatingwebhookconfigurations'], resourceNames: ['openbao-agent-injector-cfg'], verbs: ['get', 'patch'] });
      expect(rules.filter((r: { verbs: string[] }) => r.verbs.includes('patch'))).toHaveLength(1);
      // vault-k8s v1.7.2 runs an informer on all MutatingWebhookConfigurations (subcommand/injector/command.go watchWebhooks)
      expect(rules).toContainEqual({ apiGroups: ['admissionregistration.k8s.io'], resources: ['mutatingwebhookconfigurations'], verbs: ['list', 'watch'] });
      const role = find(objects, 'Role', 'openbao-agent-injector-leader-election').rules;
      // only the calls vault-k8s v1.7.2 and operator-lib v0.19.0 make (test/contracts/openbao-injector-env.test.ts)
      expect(role).toContainEqual({ apiGroups: [''], resources: ['secrets'], resourceNames: ['vault-injector-certs'], verbs: ['update'] });
      expect(role).toContainEqual({ apiGroups: [''], resources: ['configmaps'], resourceNames: ['vault-k8s-leader'], verbs: ['get', 'delete'] });
      expect(role).toContainEqual({ apiGroups: [''], resources: ['pods'], verbs: ['get', 'delete'] });
      for (const b of [find(objects, 'ClusterRoleBinding', 'kpaas:openbao-agent-injector'), find(objects, 'RoleBinding', 'openbao-agent-injector-leader-election')]) {
        expect(b.subjects).toEqual([{ kind: 'ServiceAccount', name: 'openbao-agent-injector', namespace: 'openbao' }]);
      }
    });

    it('labels its objects as the injector, with the injector\'s version', () => {
      const own = objects.filter((o: K8sObject) => o.metadata.name.includes('agent-injector'));
      expect(own.length).toBeGreaterThan(5);
      for (const o of own) {
        expect(o.metadata.labels).toMatchObject({ 'app.kubernetes.io/name': 'openbao-agent-injector', 'app.kubernetes.io/version': '1.7.2', 'app.kubernetes.io/part-of': 'k-paas' });
      }
    });
  });

  it('holds no Secret and no secret value: the listener and ingress certificates are referenced by name', () => {
    expect(objects.filter((o) => o.kind === 'Secret')).toEqual([]);
    expect(yaml).not.toMatch(/BEGIN [A-Z ]*PRIVATE KEY|BEGIN CERTIFICATE/);
  });
});
