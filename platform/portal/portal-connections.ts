import { INGRESS_PORTS, PLATFORM, VERSIONS } from '../../config';
import { API, appLabels, Connection, INGRESS, Peer, podsPeer } from '../../config/contracts/connections';
import type { UpstreamFile } from '../../config/contracts/images';
import type { ServiceAddress } from '../../constructs/k8s/service-endpoint';
import { OPENBAO_SERVER_PEER } from '../openbao/openbao-connections';
import { OPENBAO_ENDPOINTS } from '../openbao/openbao-names';
import { PORTAL_APP, PORTAL_DATABASE_ENDPOINT, PORTAL_ENDPOINTS, PORTAL_MARIADB_PEER, PORTAL_NAMESPACE } from './portal-names';
import { PORTAL_SCHEMA_CONNECTIONS } from './portal-schema';

const src = (component: keyof typeof VERSIONS.kpaasPortalSources, path: string, note: string): UpstreamFile => {
  const { repo, commit } = VERSIONS.kpaasPortalSources[component];
  return { repo, ref: commit, path, note };
};

const component = (name: string): Peer => podsPeer(PORTAL_NAMESPACE, appLabels(PORTAL_APP, name));
/** The port a component's pods listen on behind its Service (policies match after kube-proxy's DNAT). */
const podPort = (address: ServiceAddress, portName = 'http'): number => address.port(portName).targetPort;
const OPENBAO_PORT = podPort(OPENBAO_ENDPOINTS.api, 'https');
export const PORTAL_UI_PEER = component('ui');
export const PORTAL_API_PEER = component('api');
export const PORTAL_COMMON_API_PEER = component('common-api');
export const PORTAL_METRIC_API_PEER = component('metric-api');
const nameOf = (p: Peer) => (p.kind === 'pods' ? p.labels['app.kubernetes.io/component'] : '');

/**
 * The connections the portal's components make and are reached by. terraman is not deployed
 * (PORTAL_TERRAMAN_URI): its SSH to masters and new instances, and the API's calls to it, are not
 * connections of this platform.
 */
export const PORTAL_CONNECTIONS: readonly Connection[] = [
  {
    component: 'portal', name: 'ingress -> cp-portal-ui', from: INGRESS, to: PORTAL_UI_PEER, port: podPort(PORTAL_ENDPOINTS.ui), protocol: 'TCP',
    why: 'the portal web UI', opens: { unverified: 'our Ingress route; no upstream program decides it' },
  },
  {
    component: 'portal', name: 'ingress -> cp-portal-api', from: INGRESS, to: PORTAL_API_PEER, port: podPort(PORTAL_ENDPOINTS.api), protocol: 'TCP',
    why: 'the browser calls the API at /cpapi, and so does the UI (CP_PORTAL_API_URI is one URL for both)', opens: { unverified: 'our Ingress route; no upstream program decides it' },
  },
  {
    component: 'portal', name: 'cp-portal-ui -> ingress (portal api)', from: PORTAL_UI_PEER, to: INGRESS, port: INGRESS_PORTS.https, protocol: 'TCP',
    why: 'the UI\'s server-side sign-up and login calls go to CP_PORTAL_API_URI, the public URL it also hands the browser',
    opens: src('ui', 'src/main/resources/application.yml', 'cpApi.url: ${CP_PORTAL_API_URI} (line 95); ProviderService.java and RestTemplateService call it'),
  },
  {
    component: 'portal', name: 'cp-portal-ui -> ingress (keycloak)', from: PORTAL_UI_PEER, to: INGRESS, port: INGRESS_PORTS.https, protocol: 'TCP',
    why: 'OIDC discovery, code exchange, userinfo and the introspection on every request, against Keycloak\'s public name',
    opens: src('ui', 'src/main/resources/application.yml', 'issuer-uri, logoutUri, introspectUri: ${KEYCLOAK_URI}/realms/${KEYCLOAK_CP_REALM}/... (lines 22, 27, 28)'),
  },
  {
    component: 'portal', name: 'cp-portal-api -> cp-portal-common-api', from: PORTAL_API_PEER, to: PORTAL_COMMON_API_PEER, port: podPort(PORTAL_ENDPOINTS.commonApi), protocol: 'TCP',
    why: 'CP_PORTAL_COMMON_API_URI', opens: src('api', 'src/main/resources/application.yml', 'commonApi.url: ${CP_PORTAL_COMMON_API_URI} (line 289)'),
  },
  {
    component: 'portal', name: 'cp-portal-api -> cp-portal-metric-api', from: PORTAL_API_PEER, to: PORTAL_METRIC_API_PEER, port: podPort(PORTAL_ENDPOINTS.metricApi), protocol: 'TCP',
    why: 'CP_PORTAL_METRIC_COLLECTOR_API_URI', opens: src('api', 'src/main/resources/application.yml', 'cpMetricCollector.api.url: ${CP_PORTAL_METRIC_COLLECTOR_API_URI} (line 240)'),
  },
  {
    component: 'portal', name: 'api -> openbao', from: PORTAL_API_PEER, to: OPENBAO_SERVER_PEER, port: OPENBAO_PORT, protocol: 'TCP',
    why: 'Spring Cloud Vault: AppRole login, cluster tokens and the users\' tokens (VAULT_URL)',
    opens: src('api', 'src/main/resources/application.yml', 'spring.cloud.vault.uri: ${VAULT_URL} (line 12)'),
  },
  {
    component: 'portal', name: 'metric-api -> openbao', from: PORTAL_METRIC_API_PEER, to: OPENBAO_SERVER_PEER, port: OPENBAO_PORT, protocol: 'TCP',
    why: 'AppRole login and each cluster\'s secret/cluster/<id>, every collection cycle (VAULT_URL)',
    opens: src('metricsApi', 'action/vault.go', 'api.Config{Address: vaultURL}, POST /v1/auth/approle/login'),
  },
  ...[
    [PORTAL_API_PEER, src('api', 'src/main/java/org/container/platform/api/common/RestTemplateService.java', 'every cluster request goes to clusters.getClusterApiUrl() with the cluster token from OpenBao')],
    [PORTAL_METRIC_API_PEER, src('metricsApi', 'api/requestData.go', 'GETs on clusterInfo.ClusterApiUrl with the cluster token from OpenBao')],
  ].map(([from, opens]): Connection => ({
    component: 'portal', name: `${nameOf(from as Peer)} -> kube-apiserver`, from: from as Peer, to: API, port: PLATFORM.apiServerPort, protocol: 'TCP',
    why: 'the host cluster\'s API at the URL it is registered with (portalHostCluster: the kubernetes Service), with the token kept in OpenBao',
    opens: opens as UpstreamFile,
  })),
  {
    component: 'portal', name: `common-api -> ${PORTAL_DATABASE_ENDPOINT.name}`, from: PORTAL_COMMON_API_PEER, to: PORTAL_MARIADB_PEER, port: PORTAL_DATABASE_ENDPOINT.port('mysql').targetPort, protocol: 'TCP',
    why: 'the `cp` schema and Keycloak\'s USER_ENTITY (DATABASE_URL)',
    opens: src('commonApi', 'src/main/resources/application.yml', 'jdbc:mysql://${DATABASE_URL}/cp and /${KEYCLOAK_DB_SCHEMA} (lines 12, 18)'),
  },
  {
    component: 'portal', name: `metric-api -> ${PORTAL_DATABASE_ENDPOINT.name}`, from: PORTAL_METRIC_API_PEER, to: PORTAL_MARIADB_PEER, port: PORTAL_DATABASE_ENDPOINT.port('mysql').targetPort, protocol: 'TCP',
    why: 'the `cp` schema\'s clusters and metrics (DATABASE_URL)',
    opens: src('metricsApi', 'action/db/database.go', 'DSN <id>:<pw>@(<DATABASE_URL>)/<DATABASE_NAME> (lines 48-59; likewise action/gorm/gorm.go)'),
  },
  ...PORTAL_SCHEMA_CONNECTIONS,
];
