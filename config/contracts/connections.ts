/**
 * The connections the platform's programs make, per component: who opens it, to whom, on which
 * port, and the upstream file where the program opens it (at the version we pin). The
 * NetworkPolicies of dist/manifests must allow each of these, in both directions, and allow
 * nothing else (test/contracts/connections.test.ts).
 *
 * Ports are the ports the traffic arrives on at the destination: Calico applies policy after
 * kube-proxy's DNAT, so a connection to a Service is a connection to its backends' container port.
 * Pods are named by namespace and labels (the charts' selector labels); the test checks that each
 * names at least one pod template.
 */
import type { UpstreamFile } from './images';

/** One end of a connection. */
export type Peer =
  /**
   * The pods of a namespace whose labels include these. `hypothetical` marks pods the platform
   * does not run itself but provides for (e.g. an operator's job that logs in to OpenBao), with why.
   */
  | { readonly kind: 'pods'; readonly namespace: string; readonly labels: Readonly<Record<string, string>>; readonly hypothetical?: string }
  /** A pod of any namespace, including applications' namespaces the platform does not manage. */
  | { readonly kind: 'any-pod' }
  /** kubespray's ingress-nginx controller pods (namespace ingress-nginx). */
  | { readonly kind: 'ingress-controller' }
  /** The Kubernetes API server on the masters (host network). */
  | { readonly kind: 'kube-apiserver' }
  /** The cluster DNS: nodelocaldns on every node, CoreDNS behind it. */
  | { readonly kind: 'dns' }
  /** The master load balancer's address (Kakao NLB VIP) on the API port. */
  | { readonly kind: 'master-lb' }
  /** The cluster's nodes (host network). */
  | { readonly kind: 'nodes' }
  /** Addresses outside the cluster: the internet, cloud APIs, other clusters. */
  | { readonly kind: 'outside-cluster' };

/** Where the program opens the connection, or why that could not be read offline. */
export type Opener = UpstreamFile | { readonly unverified: string; readonly see?: UpstreamFile };

export interface Connection {
  /** Platform component that declares it (the owner of the client side). */
  readonly component: string;
  /** Short, unique name of the connection, e.g. `harbor-jobservice -> harbor-postgres`. */
  readonly name: string;
  readonly from: Peer;
  readonly to: Peer;
  readonly port: number;
  readonly protocol: 'TCP' | 'UDP';
  /** What the connection is for. */
  readonly why: string;
  readonly opens: Opener;
}

// ---------------------------------------------------------------------------------------------
// Peers, by the charts' labels

const pods = (namespace: string, labels: Record<string, string>): Peer => ({ kind: 'pods', namespace, labels });
const app = (name: string, component?: string) => ({ 'app.kubernetes.io/name': name, ...(component ? { 'app.kubernetes.io/component': component } : {}) });

const NS = {
  storage: 'nfs-provisioner',
  keycloak: 'keycloak',
  openbao: 'openbao',
  harbor: 'harbor',
  chartmuseum: 'chartmuseum',
  portal: 'cp-portal',
} as const;

const HARBOR = (component: string) => pods(NS.harbor, app('harbor', component));
const harborCore = HARBOR('core');
const harborJobservice = HARBOR('jobservice');
const harborRegistry = HARBOR('registry');
const harborPortal = HARBOR('portal');
const harborTrivy = HARBOR('trivy');
const harborRedis = HARBOR('redis');
const harborPostgres = pods(NS.harbor, { 'app.kubernetes.io/name': 'postgres', 'app.kubernetes.io/instance': 'harbor-postgres' });
const keycloak = pods(NS.keycloak, app('keycloak', 'server'));
const keycloakPostgres = pods(NS.keycloak, { 'app.kubernetes.io/name': 'postgres', 'app.kubernetes.io/instance': 'keycloak-postgres' });
const openbao = pods(NS.openbao, app('openbao', 'server'));
const injector = pods(NS.openbao, app('openbao-agent-injector', 'webhook'));
const PORTAL = (component: string) => pods(NS.portal, app('cp-portal', component));
const portalUi = PORTAL('ui');
const portalApi = PORTAL('api');
const portalCommon = PORTAL('common-api');
const portalMetric = PORTAL('metric-api');
const portalTerraman = PORTAL('terraman');
const portalMariadb = pods(NS.portal, { 'app.kubernetes.io/name': 'mariadb', 'app.kubernetes.io/instance': 'cp-portal-mariadb' });
const chartmuseum = pods(NS.chartmuseum, app('chartmuseum', 'server'));
const nfsProvisioner = pods(NS.storage, app('nfs-subdir-external-provisioner'));

const INGRESS: Peer = { kind: 'ingress-controller' };
const API: Peer = { kind: 'kube-apiserver' };
const OUTSIDE: Peer = { kind: 'outside-cluster' };

// ---------------------------------------------------------------------------------------------
// Upstream files

const harborSrc = (path: string, note?: string): UpstreamFile => ({ repo: 'goharbor/harbor', ref: 'v2.15.1', path, ...(note ? { note } : {}) });
const openbaoSrc = (path: string, note?: string): UpstreamFile => ({ repo: 'openbao/openbao', ref: 'v2.6.2', path, ...(note ? { note } : {}) });
const portalRelease = (path: string, note: string): UpstreamFile => ({ repo: 'K-PaaS/cp-portal-release', ref: 'db0d9bc', path, note });
const KEYCLOAK_OFFLINE = 'the keycloak/keycloak repository (870 MB) cannot be fetched here; the fact is from Keycloak\'s documented behaviour, not read in its source';

/** Every connection the platform's programs make. */
export const CONNECTIONS: readonly Connection[] = [
  // --- every namespace: name resolution -------------------------------------------------------
  ...Object.values(NS).flatMap((namespace) => (['UDP', 'TCP'] as const).map((protocol): Connection => ({
    component: namespace,
    name: `${namespace} pods -> dns (${protocol})`,
    from: pods(namespace, {}),
    to: { kind: 'dns' },
    port: 53,
    protocol,
    why: 'every program resolves Service and platform names (TCP for large answers)',
    opens: { repo: 'kubernetes-sigs/kubespray', ref: 'v2.28.1', path: 'roles/kubernetes/node/templates/kubelet-config.v1beta1.yaml.j2', note: 'clusterDNS is nodelocaldns_ip when enable_nodelocaldns, else the CoreDNS Service: the pods\' resolv.conf' },
  }))),

  // --- NFS provisioner --------------------------------------------------------------------------
  {
    component: 'nfs-storage', name: 'nfs-provisioner -> kube-apiserver', from: nfsProvisioner, to: API, port: 6443, protocol: 'TCP',
    why: 'watches claims and classes, creates and deletes PersistentVolumes, holds the leader lock',
    opens: { repo: 'kubernetes-sigs/nfs-subdir-external-provisioner', ref: 'v4.0.2', path: 'cmd/nfs-subdir-external-provisioner/provisioner.go', note: 'rest.InClusterConfig and controller.NewProvisionController' },
  },

  // --- Keycloak ---------------------------------------------------------------------------------
  {
    component: 'keycloak', name: 'ingress -> keycloak', from: INGRESS, to: keycloak, port: 8080, protocol: 'TCP',
    why: 'browsers, the portal and Harbor (OIDC) reach Keycloak through the ingress; TLS ends at the controller',
    opens: { unverified: 'the ingress controller proxies to the Service\'s backends (our Ingress, charts/keycloak-chart.ts); no upstream program decides it' },
  },
  {
    component: 'keycloak', name: 'keycloak -> keycloak-postgres', from: keycloak, to: keycloakPostgres, port: 5432, protocol: 'TCP',
    why: 'Keycloak\'s store (KC_DB_URL)',
    opens: { unverified: KEYCLOAK_OFFLINE, see: { repo: 'keycloak/keycloak', ref: '26.4.2', path: 'quarkus/config-api/src/main/java/org/keycloak/config/DatabaseOptions.java' } },
  },
  {
    component: 'keycloak', name: 'keycloak -> keycloak (jgroups)', from: keycloak, to: keycloak, port: 7800, protocol: 'TCP',
    why: 'the embedded Infinispan caches: JGroups TCP transport between replicas (jdbc-ping discovery through the database)',
    opens: { unverified: KEYCLOAK_OFFLINE, see: { repo: 'keycloak/keycloak', ref: '26.4.2', path: 'quarkus/config-api/src/main/java/org/keycloak/config/CachingOptions.java' } },
  },
  {
    component: 'keycloak', name: 'keycloak -> keycloak (jgroups failure detection)', from: keycloak, to: keycloak, port: 57800, protocol: 'TCP',
    why: 'JGroups FD_SOCK2 failure detection: the transport port plus its offset of 50000',
    opens: { unverified: KEYCLOAK_OFFLINE, see: { repo: 'belaban/JGroups', ref: '5.3', path: 'src/org/jgroups/protocols/FD_SOCK2.java', note: 'offset = 50000' } },
  },

  // --- OpenBao ----------------------------------------------------------------------------------
  {
    component: 'openbao', name: 'openbao -> openbao (api)', from: openbao, to: openbao, port: 8200, protocol: 'TCP',
    why: 'retry_join: a server joins the Raft cluster through the leader\'s API address',
    opens: openbaoSrc('vault/raft.go', 'JoinRaftCluster contacts leader_api_addr'),
  },
  {
    component: 'openbao', name: 'openbao -> openbao (cluster)', from: openbao, to: openbao, port: 8201, protocol: 'TCP',
    why: 'Raft replication and request forwarding between servers (cluster_address)',
    opens: openbaoSrc('vault/cluster/cluster.go'),
  },
  {
    component: 'openbao', name: 'openbao -> kube-apiserver', from: openbao, to: API, port: 6443, protocol: 'TCP',
    why: 'Kubernetes auth method (TokenReview) and service registration (labels its own pod active/standby)',
    opens: openbaoSrc('serviceregistration/kubernetes/service_registration.go', 'and builtin/credential/kubernetes/backend.go (TokenReview)'),
  },
  {
    component: 'openbao', name: 'openbao -> keycloak-postgres', from: openbao, to: keycloakPostgres, port: 5432, protocol: 'TCP',
    why: 'database secrets engine: connection `keycloak` of the OpenBao config stack (stacks/openbao-config-stack.ts)',
    opens: openbaoSrc('plugins/database/postgresql/postgresql.go'),
  },
  {
    component: 'openbao', name: 'openbao -> harbor-postgres', from: openbao, to: harborPostgres, port: 5432, protocol: 'TCP',
    why: 'database secrets engine: connection `harbor` of the OpenBao config stack',
    opens: openbaoSrc('plugins/database/postgresql/postgresql.go'),
  },
  {
    component: 'openbao', name: 'any pod -> openbao', from: { kind: 'any-pod' }, to: openbao, port: 8200, protocol: 'TCP',
    why: 'injected agents and applications of any namespace log in and read secrets',
    opens: { repo: 'hashicorp/vault-k8s', ref: 'v1.7.2', path: 'agent-inject/agent/agent.go', note: 'the agent talks to AGENT_INJECT_VAULT_ADDR' },
  },
  ...Object.values(NS).map((namespace): Connection => ({
    component: 'openbao',
    name: `${namespace} openbao clients -> openbao`,
    from: {
      kind: 'pods', namespace, labels: { 'kpaas.io/openbao-client': 'true' },
      hypothetical: 'no platform pod logs in to OpenBao itself; each platform namespace provides the openbao-client account and label for pods that do (PLATFORM.openbao.clientLabel)',
    },
    to: openbao, port: 8200, protocol: 'TCP',
    why: 'a pod of a platform namespace with the OpenBao client label logs in with Kubernetes auth (its injected agent, or its own client)',
    opens: { repo: 'hashicorp/vault-k8s', ref: 'v1.7.2', path: 'agent-inject/agent/agent.go', note: 'the injected agent talks to AGENT_INJECT_VAULT_ADDR' },
  })),
  {
    component: 'openbao', name: 'kube-apiserver -> openbao-agent-injector', from: API, to: injector, port: 8080, protocol: 'TCP',
    why: 'the mutating admission webhook: the API server calls the injector for every pod it creates',
    opens: { repo: 'hashicorp/vault-k8s', ref: 'v1.7.2', path: 'subcommand/injector/command.go', note: 'listens on AGENT_INJECT_LISTEN' },
  },
  {
    component: 'openbao', name: 'openbao-agent-injector -> kube-apiserver', from: injector, to: API, port: 6443, protocol: 'TCP',
    why: 'patches its MutatingWebhookConfiguration\'s CA, watches it (informer), holds the leader lock',
    opens: { repo: 'hashicorp/vault-k8s', ref: 'v1.7.2', path: 'subcommand/injector/command.go' },
  },

  // --- Harbor -----------------------------------------------------------------------------------
  {
    component: 'harbor', name: 'ingress -> harbor-core', from: INGRESS, to: harborCore, port: 8080, protocol: 'TCP',
    why: 'the API, /v2 (docker push/pull, proxied to the registry) and /service/token',
    opens: { unverified: 'our Ingress routes (constructs/k8s/harbor-*.ts); no upstream program decides it' },
  },
  {
    component: 'harbor', name: 'ingress -> harbor-portal', from: INGRESS, to: harborPortal, port: 8080, protocol: 'TCP',
    why: 'the web UI',
    opens: { unverified: 'our Ingress routes; no upstream program decides it' },
  },
  {
    component: 'harbor', name: 'harbor-core -> harbor-postgres', from: harborCore, to: harborPostgres, port: 5432, protocol: 'TCP',
    why: 'core\'s database',
    opens: harborSrc('src/core/main.go', 'dao.InitDatabase, src/common/dao/pgsql.go'),
  },
  {
    component: 'harbor', name: 'harbor-jobservice -> harbor-postgres', from: harborJobservice, to: harborPostgres, port: 5432, protocol: 'TCP',
    why: 'jobservice opens its own database connection and exits when it fails',
    opens: harborSrc('src/jobservice/job/impl/context.go', 'dao.InitDatabase (src/common/dao/pgsql.go); fatal in src/jobservice/main.go'),
  },
  {
    component: 'harbor', name: 'harbor-core -> harbor-redis', from: harborCore, to: harborRedis, port: 6379, protocol: 'TCP',
    why: 'cache, sessions (_REDIS_URL_CORE) and the registry cache database it cleans (_REDIS_URL_REG)',
    opens: harborSrc('src/core/main.go', '_REDIS_URL_CORE read at start'),
  },
  {
    component: 'harbor', name: 'harbor-jobservice -> harbor-redis', from: harborJobservice, to: harborRedis, port: 6379, protocol: 'TCP',
    why: 'the job queue (redis_pool)',
    opens: harborSrc('src/jobservice/runtime/bootstrap.go'),
  },
  {
    component: 'harbor', name: 'harbor-registry -> harbor-redis', from: harborRegistry, to: harborRedis, port: 6379, protocol: 'TCP',
    why: 'distribution\'s blob descriptor cache (redis section of the registry config)',
    opens: harborSrc('make/photon/prepare/templates/registry/config.yml.jinja', 'storage cache layerinfo: redis; redis: addr'),
  },
  {
    component: 'harbor', name: 'harbor-trivy -> harbor-redis', from: harborTrivy, to: harborRedis, port: 6379, protocol: 'TCP',
    why: 'the adapter\'s job queue and result store (SCANNER_REDIS_URL, SCANNER_STORE_REDIS_URL, SCANNER_JOB_QUEUE_REDIS_URL)',
    opens: { unverified: 'goharbor/harbor-scanner-trivy is not in the stored snapshots; the variables are those harbor\'s own templates set', see: harborSrc('make/photon/prepare/templates/trivy-adapter/env.jinja') },
  },
  {
    component: 'harbor', name: 'harbor-core -> harbor-registry', from: harborCore, to: harborRegistry, port: 5000, protocol: 'TCP',
    why: 'proxies /v2 to the registry and reads manifests (REGISTRY_URL)',
    opens: harborSrc('src/lib/config/systemconfig.go', 'RegistryURL() from REGISTRY_URL; clients in src/pkg/registry/client.go'),
  },
  {
    component: 'harbor', name: 'harbor-core -> harbor-registryctl', from: harborCore, to: harborRegistry, port: 8080, protocol: 'TCP',
    why: 'health check of registryctl (REGISTRY_CONTROLLER_URL)',
    opens: harborSrc('src/controller/health/checker.go', 'registryCtlHealthChecker'),
  },
  {
    component: 'harbor', name: 'harbor-core -> harbor-jobservice', from: harborCore, to: harborJobservice, port: 8080, protocol: 'TCP',
    why: 'submits and queries jobs (JOBSERVICE_URL), health check',
    opens: harborSrc('src/common/job/client.go', 'NewDefaultClient(config.InternalJobServiceURL())'),
  },
  {
    component: 'harbor', name: 'harbor-core -> harbor-trivy', from: harborCore, to: harborTrivy, port: 8080, protocol: 'TCP',
    why: 'scanner metadata and health check (TRIVY_ADAPTER_URL)',
    opens: harborSrc('src/controller/health/checker.go', 'trivyHealthChecker; scanner client src/pkg/scan/rest/v1/client.go'),
  },
  {
    component: 'harbor', name: 'harbor-core -> harbor-portal', from: harborCore, to: harborPortal, port: 8080, protocol: 'TCP',
    why: 'health check of the portal (PORTAL_URL), part of /api/v2.0/health',
    opens: harborSrc('src/controller/health/checker.go', 'portalHealthChecker'),
  },
  {
    component: 'harbor', name: 'harbor-core -> ingress (keycloak)', from: harborCore, to: INGRESS, port: 443, protocol: 'TCP',
    why: 'OIDC discovery, token and userinfo at Keycloak\'s public name (it resolves to the ingress IP in the cluster)',
    opens: harborSrc('src/pkg/oidc/helper.go'),
  },
  {
    component: 'harbor', name: 'harbor-core -> outside-cluster', from: harborCore, to: OUTSIDE, port: 443, protocol: 'TCP',
    why: 'proxy-cache projects and replication endpoints: upstream registries over HTTPS',
    opens: harborSrc('src/pkg/reg/adapter/native/adapter.go'),
  },
  {
    component: 'harbor', name: 'harbor-jobservice -> harbor-core', from: harborJobservice, to: harborCore, port: 8080, protocol: 'TCP',
    why: 'job status hooks and the internal API (CORE_URL), registry tokens (TOKEN_SERVICE_URL)',
    opens: harborSrc('src/jobservice/config/config.go', 'CORE_URL; hooks sent by src/jobservice/hook'),
  },
  {
    component: 'harbor', name: 'harbor-jobservice -> harbor-registry', from: harborJobservice, to: harborRegistry, port: 5000, protocol: 'TCP',
    why: 'garbage collection deletes manifests through the registry API (REGISTRY_URL); replication of local artifacts',
    opens: harborSrc('src/jobservice/job/impl/gc/garbage_collection.go', 'v2DeleteManifest'),
  },
  {
    component: 'harbor', name: 'harbor-jobservice -> harbor-registryctl', from: harborJobservice, to: harborRegistry, port: 8080, protocol: 'TCP',
    why: 'garbage collection deletes blobs through registryctl (REGISTRY_CONTROLLER_URL)',
    opens: harborSrc('src/jobservice/job/impl/gc/garbage_collection.go', 'registryctl client'),
  },
  {
    component: 'harbor', name: 'harbor-jobservice -> harbor-trivy', from: harborJobservice, to: harborTrivy, port: 8080, protocol: 'TCP',
    why: 'scan jobs submit scans to the adapter and poll the reports',
    opens: harborSrc('src/pkg/scan/job.go'),
  },
  {
    component: 'harbor', name: 'harbor-jobservice -> outside-cluster', from: harborJobservice, to: OUTSIDE, port: 443, protocol: 'TCP',
    why: 'replication to and from remote registries, webhooks to HTTPS endpoints',
    opens: harborSrc('src/pkg/reg/adapter/native/adapter.go'),
  },
  {
    component: 'harbor', name: 'harbor-trivy -> harbor-core', from: harborTrivy, to: harborCore, port: 8080, protocol: 'TCP',
    why: 'the adapter pulls the artifact to scan from the registry address core gives it: core\'s internal URL',
    opens: harborSrc('src/controller/scan/base_controller.go', 'registry URL = config.InternalCoreURL()'),
  },
  {
    component: 'harbor', name: 'harbor-trivy -> outside-cluster', from: harborTrivy, to: OUTSIDE, port: 443, protocol: 'TCP',
    why: 'downloads the vulnerability database (OCI artifact on ghcr.io / mirror.gcr.io)',
    opens: { unverified: 'goharbor/harbor-scanner-trivy and aquasecurity/trivy are not in the stored snapshots', see: harborSrc('make/photon/prepare/templates/trivy-adapter/env.jinja', 'SCANNER_TRIVY_SKIP_UPDATE, SCANNER_TRIVY_DB_REPOSITORY') },
  },

  // --- ChartMuseum ------------------------------------------------------------------------------
  {
    component: 'chartmuseum', name: 'ingress -> chartmuseum', from: INGRESS, to: chartmuseum, port: 8080, protocol: 'TCP',
    why: 'helm repo and upload API',
    opens: { unverified: 'our Ingress route; no upstream program decides it' },
  },

  // --- CP-Portal --------------------------------------------------------------------------------
  {
    component: 'portal', name: 'ingress -> cp-portal-ui', from: INGRESS, to: portalUi, port: 8090, protocol: 'TCP',
    why: 'the portal web UI', opens: { unverified: 'our Ingress route; no upstream program decides it' },
  },
  {
    component: 'portal', name: 'ingress -> cp-portal-api', from: INGRESS, to: portalApi, port: 3333, protocol: 'TCP',
    why: 'the browser calls the API at /cpapi', opens: { unverified: 'our Ingress route; no upstream program decides it' },
  },
  {
    component: 'portal', name: 'cp-portal-ui -> cp-portal-api', from: portalUi, to: portalApi, port: 3333, protocol: 'TCP',
    why: 'server-side calls of the UI to the API',
    opens: { unverified: 'the UI\'s application.yml is not in the stored snapshots of K-PaaS/cp-portal-ui; from the portal chart\'s CP_PORTAL_API_URI' },
  },
  {
    component: 'portal', name: 'cp-portal-ui -> ingress (keycloak)', from: portalUi, to: INGRESS, port: 443, protocol: 'TCP',
    why: 'OIDC login against Keycloak\'s public name',
    opens: { unverified: 'the UI\'s Keycloak client configuration is not in the stored snapshots; from the portal chart\'s KEYCLOAK_URI' },
  },
  {
    component: 'portal', name: 'cp-portal-api -> cp-portal-common-api', from: portalApi, to: portalCommon, port: 3334, protocol: 'TCP',
    why: 'CP_PORTAL_COMMON_API_URI', opens: portalRelease('portal/cp-portal-api/application.yml', 'commonApi url: ${CP_PORTAL_COMMON_API_URI}'),
  },
  {
    component: 'portal', name: 'cp-portal-api -> cp-portal-terraman', from: portalApi, to: portalTerraman, port: 8091, protocol: 'TCP',
    why: 'CP_PORTAL_TERRAMAN_API_URI', opens: portalRelease('portal/cp-portal-api/application.yml', 'terramanApi url: ${CP_PORTAL_TERRAMAN_API_URI}'),
  },
  {
    component: 'portal', name: 'cp-portal-api -> cp-portal-metric-api', from: portalApi, to: portalMetric, port: 8900, protocol: 'TCP',
    why: 'CP_PORTAL_METRIC_COLLECTOR_API_URI', opens: portalRelease('portal/cp-portal-api/application.yml', 'metricCollectorApi url: ${CP_PORTAL_METRIC_COLLECTOR_API_URI}'),
  },
  ...[portalApi, portalMetric, portalTerraman].map((from): Connection => ({
    component: 'portal', name: `${from.kind === 'pods' ? from.labels['app.kubernetes.io/component'] : ''} -> openbao`, from, to: openbao, port: 8200, protocol: 'TCP',
    why: 'Spring Cloud Vault (Go client for metric-api): AppRole login and the cluster\'s credentials (VAULT_URL)',
    opens: portalRelease('portal/cp-portal-api/application.yml', 'spring.cloud.vault.uri: ${VAULT_URL} (likewise cp-terraman; cp-metrics-api action/vault.go)'),
  })),
  ...[portalApi, portalMetric, portalTerraman].map((from): Connection => ({
    component: 'portal', name: `${from.kind === 'pods' ? from.labels['app.kubernetes.io/component'] : ''} -> master-lb`, from, to: { kind: 'master-lb' }, port: 6443, protocol: 'TCP',
    why: 'the managed cluster\'s API at the address it is registered with (the master LB, K8S_MASTER_NODE_IP)',
    opens: portalRelease('portal/cp-terraman/application.yml', 'cluster_api_url: "https://{ip}:6443"'),
  })),
  {
    component: 'portal', name: 'terraman -> master-lb (ssh)', from: portalTerraman, to: { kind: 'master-lb' }, port: 22, protocol: 'TCP',
    why: 'terraman runs terraform and kubectl over SSH on the host it is given (K8S_MASTER_NODE_IP) when it builds a cluster',
    opens: { repo: 'K-PaaS/cp-terraman', ref: '436c2c66e183cbb0435ed01f82959ce1e6ae9c35', path: 'src/main/java/org/container/terraman/api/terraman/TerramanProcessService.java', note: 'commandService.execCommandOutput(host, idRsa, ...) for every step' },
  },
  {
    component: 'portal', name: 'terraman -> outside-cluster (ssh)', from: portalTerraman, to: OUTSIDE, port: 22, protocol: 'TCP',
    why: 'terraman waits for and configures the instances it creates over SSH at their public IP',
    opens: { repo: 'K-PaaS/cp-terraman', ref: '436c2c66e183cbb0435ed01f82959ce1e6ae9c35', path: 'src/main/java/org/container/terraman/api/terraman/TerramanProcessService.java', note: 'terramanProcessGetInstanceIp: "ssh connection checking" to instanceInfo.getPublicIp()' },
  },
  ...[portalCommon, portalMetric, portalTerraman].map((from): Connection => ({
    component: 'portal', name: `${from.kind === 'pods' ? from.labels['app.kubernetes.io/component'] : ''} -> cp-portal-mariadb`, from, to: portalMariadb, port: 3306, protocol: 'TCP',
    why: 'the portal\'s schemas (DATABASE_URL)',
    opens: portalRelease('portal/cp-portal-common-api/application.yml', 'jdbc:mysql://${DATABASE_URL}/... (likewise cp-terraman; cp-metrics-api action/db/database.go)'),
  })),
];

/** The upstream reference of a connection, for messages. */
export function openerText(o: Opener): string {
  if ('unverified' in o) return `unverified: ${o.unverified}${o.see ? ` (see ${o.see.repo}@${o.see.ref}:${o.see.path})` : ''}`;
  return `${o.repo}@${o.ref}:${o.path}${o.note ? ` (${o.note})` : ''}`;
}
