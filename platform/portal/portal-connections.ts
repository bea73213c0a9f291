import { PLATFORM } from '../../config';
import { appLabels, Connection, INGRESS, OUTSIDE, Peer, podsPeer } from '../../config/contracts/connections';
import type { UpstreamFile } from '../../config/contracts/images';
import type { ServiceAddress } from '../../constructs/k8s/service-endpoint';
import { OPENBAO_SERVER_PEER } from '../openbao/openbao-connections';
import { OPENBAO_ENDPOINTS } from '../openbao/openbao-names';
import { PORTAL_APP, PORTAL_ENDPOINTS, PORTAL_NAMESPACE } from './portal-names';

const portalRelease = (path: string, note: string): UpstreamFile => ({ repo: 'K-PaaS/cp-portal-release', ref: 'db0d9bc', path, note });

const component = (name: string): Peer => podsPeer(PORTAL_NAMESPACE, appLabels(PORTAL_APP, name));
/** The port a component's pods listen on behind its Service (policies match after kube-proxy's DNAT). */
const podPort = (address: ServiceAddress, portName = 'http'): number => address.port(portName).targetPort;
const OPENBAO_PORT = podPort(OPENBAO_ENDPOINTS.api, 'https');
export const PORTAL_UI_PEER = component('ui');
export const PORTAL_API_PEER = component('api');
export const PORTAL_COMMON_API_PEER = component('common-api');
export const PORTAL_METRIC_API_PEER = component('metric-api');
export const PORTAL_TERRAMAN_PEER = component('terraman');
export const PORTAL_MARIADB_PEER: Peer = podsPeer(PORTAL_NAMESPACE, { 'app.kubernetes.io/name': 'mariadb', 'app.kubernetes.io/instance': 'cp-portal-mariadb' });

/**
 * terraman's SSH, used only when it builds a cluster. The chart keeps these closed: building
 * clusters from the portal is not supported yet (the portal issue decides it), so they stay in
 * test/contracts/connections.test.ts's known-blocked list.
 */
export const PORTAL_TERRAMAN_SSH: readonly Connection[] = [
  {
    component: 'portal', name: 'terraman -> master-lb (ssh)', from: PORTAL_TERRAMAN_PEER, to: { kind: 'master-lb' }, port: 22, protocol: 'TCP',
    why: 'terraman runs terraform and kubectl over SSH on the host it is given (K8S_MASTER_NODE_IP) when it builds a cluster',
    opens: { repo: 'K-PaaS/cp-terraman', ref: '436c2c66e183cbb0435ed01f82959ce1e6ae9c35', path: 'src/main/java/org/container/terraman/api/terraman/TerramanProcessService.java', note: 'commandService.execCommandOutput(host, idRsa, ...) for every step' },
  },
  {
    component: 'portal', name: 'terraman -> outside-cluster (ssh)', from: PORTAL_TERRAMAN_PEER, to: OUTSIDE, port: 22, protocol: 'TCP',
    why: 'terraman waits for and configures the instances it creates over SSH at their public IP',
    opens: { repo: 'K-PaaS/cp-terraman', ref: '436c2c66e183cbb0435ed01f82959ce1e6ae9c35', path: 'src/main/java/org/container/terraman/api/terraman/TerramanProcessService.java', note: 'terramanProcessGetInstanceIp: "ssh connection checking" to instanceInfo.getPublicIp()' },
  },
];

/** The connections the portal's components make and are reached by. */
export const PORTAL_CONNECTIONS: readonly Connection[] = [
  {
    component: 'portal', name: 'ingress -> cp-portal-ui', from: INGRESS, to: PORTAL_UI_PEER, port: podPort(PORTAL_ENDPOINTS.ui), protocol: 'TCP',
    why: 'the portal web UI', opens: { unverified: 'our Ingress route; no upstream program decides it' },
  },
  {
    component: 'portal', name: 'ingress -> cp-portal-api', from: INGRESS, to: PORTAL_API_PEER, port: podPort(PORTAL_ENDPOINTS.api), protocol: 'TCP',
    why: 'the browser calls the API at /cpapi', opens: { unverified: 'our Ingress route; no upstream program decides it' },
  },
  {
    component: 'portal', name: 'cp-portal-ui -> cp-portal-api', from: PORTAL_UI_PEER, to: PORTAL_API_PEER, port: podPort(PORTAL_ENDPOINTS.api), protocol: 'TCP',
    why: 'server-side calls of the UI to the API',
    opens: { unverified: 'the UI\'s application.yml is not in the stored snapshots of K-PaaS/cp-portal-ui; from the portal chart\'s CP_PORTAL_API_URI' },
  },
  {
    component: 'portal', name: 'cp-portal-ui -> ingress (keycloak)', from: PORTAL_UI_PEER, to: INGRESS, port: 443, protocol: 'TCP',
    why: 'OIDC login against Keycloak\'s public name',
    opens: { unverified: 'the UI\'s Keycloak client configuration is not in the stored snapshots; from the portal chart\'s KEYCLOAK_URI' },
  },
  {
    component: 'portal', name: 'cp-portal-api -> cp-portal-common-api', from: PORTAL_API_PEER, to: PORTAL_COMMON_API_PEER, port: podPort(PORTAL_ENDPOINTS.commonApi), protocol: 'TCP',
    why: 'CP_PORTAL_COMMON_API_URI', opens: portalRelease('portal/cp-portal-api/application.yml', 'commonApi url: ${CP_PORTAL_COMMON_API_URI}'),
  },
  {
    component: 'portal', name: 'cp-portal-api -> cp-portal-terraman', from: PORTAL_API_PEER, to: PORTAL_TERRAMAN_PEER, port: podPort(PORTAL_ENDPOINTS.terraman), protocol: 'TCP',
    why: 'CP_PORTAL_TERRAMAN_API_URI', opens: portalRelease('portal/cp-portal-api/application.yml', 'terramanApi url: ${CP_PORTAL_TERRAMAN_API_URI}'),
  },
  {
    component: 'portal', name: 'cp-portal-api -> cp-portal-metric-api', from: PORTAL_API_PEER, to: PORTAL_METRIC_API_PEER, port: podPort(PORTAL_ENDPOINTS.metricApi), protocol: 'TCP',
    why: 'CP_PORTAL_METRIC_COLLECTOR_API_URI', opens: portalRelease('portal/cp-portal-api/application.yml', 'metricCollectorApi url: ${CP_PORTAL_METRIC_COLLECTOR_API_URI}'),
  },
  ...[PORTAL_API_PEER, PORTAL_METRIC_API_PEER, PORTAL_TERRAMAN_PEER].map((from): Connection => ({
    component: 'portal', name: `${from.kind === 'pods' ? from.labels['app.kubernetes.io/component'] : ''} -> openbao`, from, to: OPENBAO_SERVER_PEER, port: OPENBAO_PORT, protocol: 'TCP',
    why: 'Spring Cloud Vault (Go client for metric-api): AppRole login and the cluster\'s credentials (VAULT_URL)',
    opens: portalRelease('portal/cp-portal-api/application.yml', 'spring.cloud.vault.uri: ${VAULT_URL} (likewise cp-terraman; cp-metrics-api action/vault.go)'),
  })),
  ...[PORTAL_API_PEER, PORTAL_METRIC_API_PEER, PORTAL_TERRAMAN_PEER].map((from): Connection => ({
    component: 'portal', name: `${from.kind === 'pods' ? from.labels['app.kubernetes.io/component'] : ''} -> master-lb`, from, to: { kind: 'master-lb' }, port: PLATFORM.apiServerPort, protocol: 'TCP',
    why: 'the managed cluster\'s API at the address it is registered with (the master LB, K8S_MASTER_NODE_IP)',
    opens: portalRelease('portal/cp-terraman/application.yml', 'cluster_api_url: "https://{ip}:6443"'),
  })),
  ...PORTAL_TERRAMAN_SSH,
  ...[PORTAL_COMMON_API_PEER, PORTAL_METRIC_API_PEER, PORTAL_TERRAMAN_PEER].map((from): Connection => ({
    component: 'portal', name: `${from.kind === 'pods' ? from.labels['app.kubernetes.io/component'] : ''} -> cp-portal-mariadb`, from, to: PORTAL_MARIADB_PEER, port: 3306, protocol: 'TCP',
    why: 'the portal\'s schemas (DATABASE_URL)',
    opens: portalRelease('portal/cp-portal-common-api/application.yml', 'jdbc:mysql://${DATABASE_URL}/... (likewise cp-terraman; cp-metrics-api action/db/database.go)'),
  })),
];
