/**
 * The pinned files' texts, byte for byte (the build's text loader). Required lazily by
 * envoy-gateway-crds.ts: a synth with ingress-nginx never materializes these ~3 MB of strings.
 */
import BACKEND_TLS_POLICIES from './gateway-api-v1.6.1/gateway.networking.k8s.io_backendtlspolicies.yaml';
import GATEWAY_CLASSES from './gateway-api-v1.6.1/gateway.networking.k8s.io_gatewayclasses.yaml';
import GATEWAYS from './gateway-api-v1.6.1/gateway.networking.k8s.io_gateways.yaml';
import GRPC_ROUTES from './gateway-api-v1.6.1/gateway.networking.k8s.io_grpcroutes.yaml';
import HTTP_ROUTES from './gateway-api-v1.6.1/gateway.networking.k8s.io_httproutes.yaml';
import LISTENER_SETS from './gateway-api-v1.6.1/gateway.networking.k8s.io_listenersets.yaml';
import REFERENCE_GRANTS from './gateway-api-v1.6.1/gateway.networking.k8s.io_referencegrants.yaml';
import TCP_ROUTES from './gateway-api-v1.6.1/gateway.networking.k8s.io_tcproutes.yaml';
import TLS_ROUTES from './gateway-api-v1.6.1/gateway.networking.k8s.io_tlsroutes.yaml';
import UDP_ROUTES from './gateway-api-v1.6.1/gateway.networking.k8s.io_udproutes.yaml';
import SAFE_UPGRADES from './gateway-api-v1.6.1/gateway.networking.k8s.io_vap_safeupgrades.yaml';
import BACKEND_TRAFFIC_POLICIES from './envoy-gateway-v1.9.0/gateway.envoyproxy.io_backendtrafficpolicies.yaml';
import CLIENT_TRAFFIC_POLICIES from './envoy-gateway-v1.9.0/gateway.envoyproxy.io_clienttrafficpolicies.yaml';
import ENVOY_PROXIES from './envoy-gateway-v1.9.0/gateway.envoyproxy.io_envoyproxies.yaml';

/** Text by `<release folder>/<file name>` below platform/envoy-gateway/crds/. */
export const CRD_TEXTS: Readonly<Record<string, string>> = {
  'gateway-api-v1.6.1/gateway.networking.k8s.io_backendtlspolicies.yaml': BACKEND_TLS_POLICIES,
  'gateway-api-v1.6.1/gateway.networking.k8s.io_gatewayclasses.yaml': GATEWAY_CLASSES,
  'gateway-api-v1.6.1/gateway.networking.k8s.io_gateways.yaml': GATEWAYS,
  'gateway-api-v1.6.1/gateway.networking.k8s.io_grpcroutes.yaml': GRPC_ROUTES,
  'gateway-api-v1.6.1/gateway.networking.k8s.io_httproutes.yaml': HTTP_ROUTES,
  'gateway-api-v1.6.1/gateway.networking.k8s.io_listenersets.yaml': LISTENER_SETS,
  'gateway-api-v1.6.1/gateway.networking.k8s.io_referencegrants.yaml': REFERENCE_GRANTS,
  'gateway-api-v1.6.1/gateway.networking.k8s.io_tcproutes.yaml': TCP_ROUTES,
  'gateway-api-v1.6.1/gateway.networking.k8s.io_tlsroutes.yaml': TLS_ROUTES,
  'gateway-api-v1.6.1/gateway.networking.k8s.io_udproutes.yaml': UDP_ROUTES,
  'gateway-api-v1.6.1/gateway.networking.k8s.io_vap_safeupgrades.yaml': SAFE_UPGRADES,
  'envoy-gateway-v1.9.0/gateway.envoyproxy.io_backendtrafficpolicies.yaml': BACKEND_TRAFFIC_POLICIES,
  'envoy-gateway-v1.9.0/gateway.envoyproxy.io_clienttrafficpolicies.yaml': CLIENT_TRAFFIC_POLICIES,
  'envoy-gateway-v1.9.0/gateway.envoyproxy.io_envoyproxies.yaml': ENVOY_PROXIES,
};
