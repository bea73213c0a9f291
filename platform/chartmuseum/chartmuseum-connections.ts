import { appLabels, Connection, INGRESS, Peer, podsPeer } from '../../config/contracts/connections';
import { CHARTMUSEUM_ENDPOINTS, CHARTMUSEUM_NAMESPACE } from './chartmuseum-names';

/** ChartMuseum's pods. */
export const CHARTMUSEUM_PEER: Peer = podsPeer(CHARTMUSEUM_NAMESPACE, appLabels('chartmuseum', 'server'));

/** ChartMuseum is reached through the ingress and calls nothing (local storage). */
export const CHARTMUSEUM_CONNECTIONS: readonly Connection[] = [
  {
    component: 'chartmuseum', name: 'ingress -> chartmuseum', from: INGRESS, to: CHARTMUSEUM_PEER, port: CHARTMUSEUM_ENDPOINTS.server.port('http').targetPort, protocol: 'TCP',
    why: 'helm repo and upload API',
    opens: { unverified: 'our Ingress route; no upstream program decides it' },
  },
];
