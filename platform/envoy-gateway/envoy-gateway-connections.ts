import { INGRESS_PORTS, PLATFORM } from '../../config';
import { API, Connection, INGRESS, OUTSIDE, Peer, podsPeer } from '../../config/contracts/connections';
import { ENVOY_GATEWAY_CONTROLLER_PORTS, ENVOY_GATEWAY_RELEASE as EG } from '../../config/contracts/envoy-gateway';
import { ENVOY_GATEWAY_CERTGEN_SELECTOR, ENVOY_GATEWAY_CONTROLLER_SELECTOR, ENVOY_GATEWAY_NAMESPACE, ENVOY_GATEWAY_PORTS } from './envoy-gateway-names';

/** The controller's pods. */
export const ENVOY_GATEWAY_CONTROLLER_PEER: Peer = podsPeer(ENVOY_GATEWAY_NAMESPACE, { ...ENVOY_GATEWAY_CONTROLLER_SELECTOR });
/** The certgen Job's pod. */
export const ENVOY_GATEWAY_CERTGEN_PEER: Peer = podsPeer(ENVOY_GATEWAY_NAMESPACE, { ...ENVOY_GATEWAY_CERTGEN_SELECTOR });

/**
 * The connections of Envoy Gateway's own programs. The proxies (the `ingress-controller` peer
 * with envoy-gateway) reach the services by the services' own declared connections, and the
 * controller over xDS here.
 */
export const ENVOY_GATEWAY_CONNECTIONS: readonly Connection[] = [
  {
    component: 'envoy-gateway', name: 'envoy-gateway -> kube-apiserver', from: ENVOY_GATEWAY_CONTROLLER_PEER, to: API, port: PLATFORM.apiServerPort, protocol: 'TCP',
    why: 'watches Gateway API and Envoy Gateway resources, Services, EndpointSlices and Secrets; deploys the proxies; holds a leader-election lease',
    opens: { ...EG, path: 'internal/provider/kubernetes/kubernetes.go', note: 'ctrl.NewManager(restCfg, ...): the in-cluster config' },
  },
  {
    component: 'envoy-gateway', name: 'envoy-gateway-certgen -> kube-apiserver', from: ENVOY_GATEWAY_CERTGEN_PEER, to: API, port: PLATFORM.apiServerPort, protocol: 'TCP',
    why: 'writes the control plane\'s certificate Secrets (envoy-gateway, envoy, ...)',
    opens: { ...EG, path: 'internal/cmd/certgen.go', note: 'client.New(clicfg.GetConfigOrDie(), ...), outputCertsForKubernetes' },
  },
  {
    component: 'envoy-gateway', name: 'ingress -> envoy-gateway (xds)', from: INGRESS, to: ENVOY_GATEWAY_CONTROLLER_PEER, port: ENVOY_GATEWAY_PORTS.xds, protocol: 'TCP',
    why: 'the proxies get their listeners, routes and certificates over xDS (mutual TLS with the certgen certificates)',
    opens: ENVOY_GATEWAY_CONTROLLER_PORTS.xds.source,
  },
  // the proxies are the platform's edge: browsers and tools through the worker LB and its NodePorts
  ...([[INGRESS_PORTS.http, 'HTTP, redirected to HTTPS'], [INGRESS_PORTS.https, 'HTTPS to every platform host']] as const).map(([port, what]): Connection => ({
    component: 'envoy-gateway', name: `outside -> ingress (${port})`, from: OUTSIDE, to: INGRESS, port, protocol: 'TCP',
    why: `${what}: clients outside the cluster through the worker load balancer (NodePort, then the proxies' port)`,
    opens: { unverified: 'any HTTP client; the worker LB forwards to the NodePorts of the proxies\' Service (EnvoyProxy, platform/envoy-gateway)' },
  })),
];
