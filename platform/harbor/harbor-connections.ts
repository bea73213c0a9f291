import { INGRESS_PORTS, VERSIONS } from '../../config';
import { Connection, INGRESS, OUTSIDE, Peer, podsPeer } from '../../config/contracts/connections';
import { HARBOR_TAG } from '../../config/contracts/harbor-env';
import type { UpstreamFile } from '../../config/contracts/images';
import { OPENBAO_SERVER_PEER } from '../openbao/openbao-connections';
import { HARBOR_ADDRESSES, HARBOR_NAMESPACE, HARBOR_SELECTORS } from './harbor-names';

const harborSrc = (path: string, note?: string): UpstreamFile => ({ repo: 'goharbor/harbor', ref: HARBOR_TAG, path, ...(note ? { note } : {}) });
const openbaoSrc = (path: string, note?: string): UpstreamFile => ({ repo: 'openbao/openbao', ref: VERSIONS.openbao, path, ...(note ? { note } : {}) });

const component = (name: keyof typeof HARBOR_SELECTORS): Peer => podsPeer(HARBOR_NAMESPACE, HARBOR_SELECTORS[name]);
export const HARBOR_CORE_PEER = component('core');
export const HARBOR_JOBSERVICE_PEER = component('jobservice');
export const HARBOR_REGISTRY_PEER = component('registry');
export const HARBOR_PORTAL_PEER = component('portal');
export const HARBOR_TRIVY_PEER = component('trivy');
export const HARBOR_REDIS_PEER = component('redis');
export const HARBOR_POSTGRES_PEER = component('database');

/** The ports the pods listen on (policies match after the Services' DNAT). */
const { core, portal, registry, jobservice, trivy, redis, database } = HARBOR_ADDRESSES;
const CORE = core.port('http').targetPort;
const PORTAL = portal.port('http').targetPort;
const REGISTRY = registry.port('registry').targetPort;
const REGISTRYCTL = registry.port('controller').targetPort;
const JOBSERVICE = jobservice.port('http').targetPort;
const TRIVY = trivy.port('api-server').targetPort;
const REDIS = redis.port('redis').targetPort;
const POSTGRES = database.port('postgres').targetPort;
/** HTTPS at the ingress controller and outside the cluster. */
const HTTPS = 443;

/** The connections Harbor's components make and are reached by; OpenBao's to its database. */
export const HARBOR_CONNECTIONS: readonly Connection[] = [
  {
    component: 'harbor', name: 'ingress -> harbor-core', from: INGRESS, to: HARBOR_CORE_PEER, port: CORE, protocol: 'TCP',
    why: 'the API, /v2 (docker push/pull, proxied to the registry) and /service/token',
    opens: { unverified: 'our Ingress routes (platform/harbor/harbor-*.ts); no upstream program decides it' },
  },
  {
    component: 'harbor', name: 'ingress -> harbor-portal', from: INGRESS, to: HARBOR_PORTAL_PEER, port: PORTAL, protocol: 'TCP',
    why: 'the web UI',
    opens: { unverified: 'our Ingress routes; no upstream program decides it' },
  },
  {
    component: 'harbor', name: 'harbor-core -> harbor-postgres', from: HARBOR_CORE_PEER, to: HARBOR_POSTGRES_PEER, port: POSTGRES, protocol: 'TCP',
    why: 'core\'s database',
    opens: harborSrc('src/core/main.go', 'dao.InitDatabase, src/common/dao/pgsql.go'),
  },
  {
    component: 'harbor', name: 'harbor-jobservice -> harbor-postgres', from: HARBOR_JOBSERVICE_PEER, to: HARBOR_POSTGRES_PEER, port: POSTGRES, protocol: 'TCP',
    why: 'jobservice opens its own database connection and exits when it fails',
    opens: harborSrc('src/jobservice/job/impl/context.go', 'dao.InitDatabase (src/common/dao/pgsql.go); fatal in src/jobservice/main.go'),
  },
  {
    component: 'harbor', name: 'harbor-core -> harbor-redis', from: HARBOR_CORE_PEER, to: HARBOR_REDIS_PEER, port: REDIS, protocol: 'TCP',
    why: 'cache, sessions (_REDIS_URL_CORE) and the registry cache database it cleans (_REDIS_URL_REG)',
    opens: harborSrc('src/core/main.go', '_REDIS_URL_CORE read at start'),
  },
  {
    component: 'harbor', name: 'harbor-jobservice -> harbor-redis', from: HARBOR_JOBSERVICE_PEER, to: HARBOR_REDIS_PEER, port: REDIS, protocol: 'TCP',
    why: 'the job queue (redis_pool)',
    opens: harborSrc('src/jobservice/runtime/bootstrap.go'),
  },
  {
    component: 'harbor', name: 'harbor-registry -> harbor-redis', from: HARBOR_REGISTRY_PEER, to: HARBOR_REDIS_PEER, port: REDIS, protocol: 'TCP',
    why: 'distribution\'s blob descriptor cache (redis section of the registry config)',
    opens: harborSrc('make/photon/prepare/templates/registry/config.yml.jinja', 'storage cache layerinfo: redis; redis: addr'),
  },
  {
    component: 'harbor', name: 'harbor-trivy -> harbor-redis', from: HARBOR_TRIVY_PEER, to: HARBOR_REDIS_PEER, port: REDIS, protocol: 'TCP',
    why: 'the adapter\'s job queue and result store (SCANNER_REDIS_URL, SCANNER_STORE_REDIS_URL, SCANNER_JOB_QUEUE_REDIS_URL)',
    opens: { unverified: 'goharbor/harbor-scanner-trivy is not in the stored snapshots; the variables are those harbor\'s own templates set', see: harborSrc('make/photon/prepare/templates/trivy-adapter/env.jinja') },
  },
  {
    component: 'harbor', name: 'harbor-core -> harbor-registry', from: HARBOR_CORE_PEER, to: HARBOR_REGISTRY_PEER, port: REGISTRY, protocol: 'TCP',
    why: 'proxies /v2 to the registry and reads manifests (REGISTRY_URL)',
    opens: harborSrc('src/lib/config/systemconfig.go', 'RegistryURL() from REGISTRY_URL; clients in src/pkg/registry/client.go'),
  },
  {
    component: 'harbor', name: 'harbor-core -> harbor-registryctl', from: HARBOR_CORE_PEER, to: HARBOR_REGISTRY_PEER, port: REGISTRYCTL, protocol: 'TCP',
    why: 'health check of registryctl (REGISTRY_CONTROLLER_URL)',
    opens: harborSrc('src/controller/health/checker.go', 'registryCtlHealthChecker'),
  },
  {
    component: 'harbor', name: 'harbor-core -> harbor-jobservice', from: HARBOR_CORE_PEER, to: HARBOR_JOBSERVICE_PEER, port: JOBSERVICE, protocol: 'TCP',
    why: 'submits and queries jobs (JOBSERVICE_URL), health check',
    opens: harborSrc('src/common/job/client.go', 'NewDefaultClient(config.InternalJobServiceURL())'),
  },
  {
    component: 'harbor', name: 'harbor-core -> harbor-trivy', from: HARBOR_CORE_PEER, to: HARBOR_TRIVY_PEER, port: TRIVY, protocol: 'TCP',
    why: 'scanner metadata and health check (TRIVY_ADAPTER_URL)',
    opens: harborSrc('src/controller/health/checker.go', 'trivyHealthChecker; scanner client src/pkg/scan/rest/v1/client.go'),
  },
  {
    component: 'harbor', name: 'harbor-core -> harbor-portal', from: HARBOR_CORE_PEER, to: HARBOR_PORTAL_PEER, port: PORTAL, protocol: 'TCP',
    why: 'health check of the portal (PORTAL_URL), part of /api/v2.0/health',
    opens: harborSrc('src/controller/health/checker.go', 'portalHealthChecker'),
  },
  {
    component: 'harbor', name: 'harbor-core -> ingress (keycloak)', from: HARBOR_CORE_PEER, to: INGRESS, port: INGRESS_PORTS.https, protocol: 'TCP',
    why: 'OIDC discovery, token and userinfo at Keycloak\'s public name (it resolves to the ingress IP in the cluster)',
    opens: harborSrc('src/pkg/oidc/helper.go'),
  },
  {
    component: 'harbor', name: 'harbor-core -> outside-cluster', from: HARBOR_CORE_PEER, to: OUTSIDE, port: HTTPS, protocol: 'TCP',
    why: 'proxy-cache projects and replication endpoints: upstream registries over HTTPS',
    opens: harborSrc('src/pkg/reg/adapter/native/adapter.go'),
  },
  {
    component: 'harbor', name: 'harbor-jobservice -> harbor-core', from: HARBOR_JOBSERVICE_PEER, to: HARBOR_CORE_PEER, port: CORE, protocol: 'TCP',
    why: 'job status hooks and the internal API (CORE_URL), registry tokens (TOKEN_SERVICE_URL)',
    opens: harborSrc('src/jobservice/config/config.go', 'CORE_URL; hooks sent by src/jobservice/hook'),
  },
  {
    component: 'harbor', name: 'harbor-jobservice -> harbor-registry', from: HARBOR_JOBSERVICE_PEER, to: HARBOR_REGISTRY_PEER, port: REGISTRY, protocol: 'TCP',
    why: 'garbage collection deletes manifests through the registry API (REGISTRY_URL); replication of local artifacts',
    opens: harborSrc('src/jobservice/job/impl/gc/garbage_collection.go', 'v2DeleteManifest'),
  },
  {
    component: 'harbor', name: 'harbor-jobservice -> harbor-registryctl', from: HARBOR_JOBSERVICE_PEER, to: HARBOR_REGISTRY_PEER, port: REGISTRYCTL, protocol: 'TCP',
    why: 'garbage collection deletes blobs through registryctl (REGISTRY_CONTROLLER_URL)',
    opens: harborSrc('src/jobservice/job/impl/gc/garbage_collection.go', 'registryctl client'),
  },
  {
    component: 'harbor', name: 'harbor-jobservice -> harbor-trivy', from: HARBOR_JOBSERVICE_PEER, to: HARBOR_TRIVY_PEER, port: TRIVY, protocol: 'TCP',
    why: 'scan jobs submit scans to the adapter and poll the reports',
    opens: harborSrc('src/pkg/scan/job.go'),
  },
  {
    component: 'harbor', name: 'harbor-jobservice -> outside-cluster', from: HARBOR_JOBSERVICE_PEER, to: OUTSIDE, port: HTTPS, protocol: 'TCP',
    why: 'replication to and from remote registries, webhooks to HTTPS endpoints',
    opens: harborSrc('src/pkg/reg/adapter/native/adapter.go'),
  },
  {
    component: 'harbor', name: 'harbor-trivy -> harbor-core', from: HARBOR_TRIVY_PEER, to: HARBOR_CORE_PEER, port: CORE, protocol: 'TCP',
    why: 'the adapter pulls the artifact to scan from the registry address core gives it: core\'s internal URL',
    opens: harborSrc('src/controller/scan/base_controller.go', 'registry URL = config.InternalCoreURL()'),
  },
  {
    component: 'harbor', name: 'harbor-trivy -> outside-cluster', from: HARBOR_TRIVY_PEER, to: OUTSIDE, port: HTTPS, protocol: 'TCP',
    why: 'downloads the vulnerability database (OCI artifact on ghcr.io / mirror.gcr.io)',
    opens: { unverified: 'goharbor/harbor-scanner-trivy and aquasecurity/trivy are not in the stored snapshots', see: harborSrc('make/photon/prepare/templates/trivy-adapter/env.jinja', 'SCANNER_TRIVY_SKIP_UPDATE, SCANNER_TRIVY_DB_REPOSITORY') },
  },
  {
    component: 'harbor', name: 'openbao -> harbor-postgres', from: OPENBAO_SERVER_PEER, to: HARBOR_POSTGRES_PEER, port: POSTGRES, protocol: 'TCP',
    why: 'database secrets engine: connection `harbor` of the OpenBao config stack',
    opens: openbaoSrc('plugins/database/postgresql/postgresql.go'),
  },
];
