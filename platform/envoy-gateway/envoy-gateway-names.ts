import { INGRESS_PLACEMENTS, VERSIONS } from '../../config';
import { ENVOY_GATEWAY_CONTROLLER_PORTS, ENVOY_GATEWAY_FIXED_NAMES } from '../../config/contracts/envoy-gateway';
import { ServiceAddress } from '../../constructs/k8s/service-endpoint';

/** Names other programs and services know Envoy Gateway by: its namespace, objects and Services. */

const PLACEMENT = INGRESS_PLACEMENTS['envoy-gateway'];

/** Envoy Gateway's namespace: the controller, and the Envoy proxies it deploys beside itself. */
export const ENVOY_GATEWAY_NAMESPACE = PLACEMENT.namespace;

/** `app.kubernetes.io/name` of the controller's objects. */
export const ENVOY_GATEWAY_APP = 'envoy-gateway';

/** The controller image; certgen and the proxies' shutdown manager are the same binary. */
export const ENVOY_GATEWAY_IMAGE = `docker.io/envoyproxy/gateway:${VERSIONS.envoyGateway}`;

/** The Envoy proxy the controller launches for the Gateway. */
export const ENVOY_PROXY_IMAGE = `docker.io/envoyproxy/envoy:${VERSIONS.envoyProxy}`;

/**
 * The controller's object names, as Envoy Gateway's chart (v1.9.0, charts/gateway-helm) names them
 * where the program reads them: the Deployment, ServiceAccount and Service `envoy-gateway`, the
 * ConfigMap `envoy-gateway-config` mounted at /config, the Secret `envoy-gateway` of its xDS
 * certificates (certgen writes it; the controller mounts it at /certs). The Gateway's objects are ours.
 */
export const ENVOY_GATEWAY_NAMES = {
  controller: ENVOY_GATEWAY_FIXED_NAMES.service.name,
  config: 'envoy-gateway-config',
  certsSecret: ENVOY_GATEWAY_FIXED_NAMES.certsSecret.name,
  certgen: 'envoy-gateway-certgen',
  leaderElection: 'envoy-gateway-leader-election',
  infraManager: 'envoy-gateway-infra-manager',
  /** EnvoyProxy: the proxies' Deployment and Service settings. */
  envoyProxy: 'kpaas-proxy',
  gatewayClass: PLACEMENT.className,
  gateway: PLACEMENT.gateway!.name,
  httpListener: PLACEMENT.gateway!.httpListener,
  /** The HTTPRoute of the plain-HTTP listener: everything redirected to HTTPS. */
  httpsRedirect: 'kpaas-https-redirect',
} as const;

/**
 * The controller name Envoy Gateway's GatewayClasses name (its chart's
 * config.envoyGateway.gateway.controllerName).
 */
export const ENVOY_GATEWAY_CONTROLLER_NAME = 'gateway.envoyproxy.io/gatewayclass-controller';

/** The controller's Service ports (config/contracts/envoy-gateway.ts); its health port is ENVOY_GATEWAY_PROBES. */
export const ENVOY_GATEWAY_PORTS = {
  xds: ENVOY_GATEWAY_CONTROLLER_PORTS.xds.port,
  ratelimit: ENVOY_GATEWAY_CONTROLLER_PORTS.ratelimit.port,
  wasm: ENVOY_GATEWAY_CONTROLLER_PORTS.wasm.port,
  metrics: ENVOY_GATEWAY_CONTROLLER_PORTS.metrics.port,
} as const;

/** The controller's Service: the proxies reach its xDS server by this name (the chart's Service). */
export const ENVOY_GATEWAY_ENDPOINTS = {
  controller: new ServiceAddress({
    name: ENVOY_GATEWAY_NAMES.controller,
    namespace: ENVOY_GATEWAY_NAMESPACE,
    ports: [
      { name: 'grpc', port: ENVOY_GATEWAY_PORTS.xds },
      { name: 'ratelimit', port: ENVOY_GATEWAY_PORTS.ratelimit },
      { name: 'wasm', port: ENVOY_GATEWAY_PORTS.wasm },
      { name: 'metrics', port: ENVOY_GATEWAY_PORTS.metrics },
    ],
  }),
} as const;

/** Labels that select the controller's pods. */
export const ENVOY_GATEWAY_CONTROLLER_SELECTOR = { 'app.kubernetes.io/name': ENVOY_GATEWAY_APP, 'app.kubernetes.io/component': 'controller' } as const;
/** Labels that select the certgen Job's pod. */
export const ENVOY_GATEWAY_CERTGEN_SELECTOR = { 'app.kubernetes.io/name': ENVOY_GATEWAY_APP, 'app.kubernetes.io/component': 'certgen' } as const;
