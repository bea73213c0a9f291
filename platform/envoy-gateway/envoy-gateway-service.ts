import { PodSecurityLevel } from '../../constructs/k8s';
import type { PlatformService } from '../../constructs/platform-service';
import { EnvoyGatewayChart } from './envoy-gateway-chart';
import { ENVOY_GATEWAY_CONNECTIONS } from './envoy-gateway-connections';
import { ENVOY_GATEWAY_CRDS, GATEWAY_API_CRDS, pinnedManifestFiles } from './envoy-gateway-crds';
import { ENVOY_GATEWAY_ENDPOINTS, ENVOY_GATEWAY_IMAGE, ENVOY_GATEWAY_NAMES, ENVOY_GATEWAY_NAMESPACE, ENVOY_PROXY_IMAGE } from './envoy-gateway-names';

/**
 * Envoy Gateway, the Gateway API ingress (`ingress.controller: envoy-gateway`): the Gateway API
 * and Envoy Gateway CRDs as pinned upstream files, the controller, and the platform's Gateway.
 * Listed before the services that route through it.
 */
export const ENVOY_GATEWAY: PlatformService = {
  name: 'envoy-gateway',
  title: 'Envoy Gateway',
  manifest: '15-envoy-gateway',
  enabled: (config) => config.ingress.controller === 'envoy-gateway',
  // the controller and the proxies it deploys run as 65532 without capabilities (the image's USER,
  // internal/infrastructure/kubernetes/resource/resource.go DefaultSecurityContext)
  namespace: { name: ENVOY_GATEWAY_NAMESPACE, podSecurity: PodSecurityLevel.RESTRICTED },
  hosts: () => [],
  reach: (config) => `the Gateway \`${ENVOY_GATEWAY_NAMES.gateway}\` on the ingress IP \`${config.ingress.ip}\` (NodePorts ${config.ingress.httpNodePort}/${config.ingress.httpsNodePort}); HTTP redirected to HTTPS; each service's host is an HTTPS listener of its own ListenerSet`,
  storage: () => 'none',
  endpoints: ENVOY_GATEWAY_ENDPOINTS,
  secrets: () => ({ certificates: [], secrets: [] }),
  connections: () => ENVOY_GATEWAY_CONNECTIONS,
  // the proxy image is run by the controller (the EnvoyProxy names it), the controller's by the Deployment
  images: () => [ENVOY_GATEWAY_IMAGE, ENVOY_PROXY_IMAGE],
  files: () => pinnedManifestFiles([GATEWAY_API_CRDS, ENVOY_GATEWAY_CRDS]),
  chart: (scope, { config, connections, services }) => new EnvoyGatewayChart(scope, ENVOY_GATEWAY.manifest, {
    config,
    connections,
    listenerNamespaces: services.filter((s) => s.namespace && s.hosts(config).length > 0).map((s) => s.namespace!.name),
  }),
};
