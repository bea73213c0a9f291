/**
 * What Envoy Gateway's controller needs from the cluster, as data from its release (v1.9.0, the
 * version config/versions.ts pins): the permissions its chart grants (the chart's templates name
 * exactly what the program's informers and writers use), the environment and files the program
 * reads, and its ports. platform/envoy-gateway builds the controller's RBAC and Deployment from
 * these facts; test/contracts/envoy-gateway.test.ts holds dist against them and, where the
 * release is in ../../.mirror or a fetched copy, the facts against the release's files.
 *
 * Chosen, not copied: the topology injector (a mutating webhook that copies a node's zone onto the
 * proxies' pods) is off (`proxyTopologyInjector.disabled`, certgen `--disable-topology-injector`):
 * the cluster has one availability zone, and the webhook would need its own port, certificate
 * patching and a cluster-wide webhook. Its rules (pods, pods/binding; the certgen ClusterRole on
 * MutatingWebhookConfigurations) are therefore not granted, as the chart leaves them out when it
 * is disabled.
 */
import { VERSIONS } from '../versions';
import type { UpstreamFile } from './images';

/** The release the facts below were read at: the pinned version. */
export const ENVOY_GATEWAY_RELEASE = { repo: 'envoyproxy/gateway', ref: VERSIONS.envoyGateway } as const;
const EG = ENVOY_GATEWAY_RELEASE;
const chart = (path: string, note?: string): UpstreamFile => ({ ...EG, path: `charts/gateway-helm/${path}`, ...(note ? { note } : {}) });
const src = (path: string, note?: string): UpstreamFile => ({ ...EG, path, ...(note ? { note } : {}) });

/** One RBAC rule the controller (or certgen) needs. */
export interface EnvoyGatewayRule {
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
  readonly source: UpstreamFile;
}

/** Where a set of rules is granted: cluster-wide, or in the controller's own namespace. */
export interface EnvoyGatewayGrant {
  /** The account: the controller's or certgen's. */
  readonly account: 'controller' | 'certgen';
  readonly scope: 'cluster' | 'namespace';
  /** What the grant is for (the chart's template). */
  readonly why: string;
  readonly rules: readonly EnvoyGatewayRule[];
}

const READ = ['get', 'list', 'watch'];
const MANAGE = ['create', 'get', 'list', 'delete', 'deletecollection', 'patch', 'watch'];
const RBAC = (define: string) => chart('templates/_rbac.tpl', define);

/**
 * The grants of the chart with its defaults (no watched-namespace list, `ControllerNamespace`
 * deploy type) and the topology injector off.
 */
export const ENVOY_GATEWAY_GRANTS: readonly EnvoyGatewayGrant[] = [
  {
    account: 'controller',
    scope: 'cluster',
    why: 'templates/envoy-gateway-rbac.yaml: the ClusterRole of eg.rbac.cluster and eg.rbac.namespaced (no watched-namespace list)',
    rules: [
      { apiGroups: [''], resources: ['nodes', 'namespaces'], verbs: READ, source: RBAC('eg.rbac.cluster.basic') },
      { apiGroups: ['gateway.networking.k8s.io'], resources: ['gatewayclasses'], verbs: ['get', 'list', 'patch', 'update', 'watch'], source: RBAC('eg.rbac.cluster.gateway.networking') },
      { apiGroups: ['gateway.networking.k8s.io'], resources: ['gatewayclasses/status'], verbs: ['update'], source: RBAC('eg.rbac.cluster.gateway.networking.status') },
      { apiGroups: ['multicluster.x-k8s.io'], resources: ['serviceimports'], verbs: READ, source: RBAC('eg.rbac.cluster.multiclusterservices') },
      { apiGroups: [''], resources: ['configmaps', 'secrets', 'services'], verbs: READ, source: RBAC('eg.rbac.namespaced.basic') },
      { apiGroups: ['apps'], resources: ['deployments', 'daemonsets'], verbs: READ, source: RBAC('eg.rbac.namespaced.apps') },
      { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: READ, source: RBAC('eg.rbac.namespaced.discovery') },
      {
        apiGroups: ['gateway.envoyproxy.io'],
        resources: ['envoyproxies', 'envoypatchpolicies', 'clienttrafficpolicies', 'backendtrafficpolicies', 'securitypolicies', 'envoyextensionpolicies', 'backends', 'httproutefilters'],
        verbs: READ,
        source: RBAC('eg.rbac.namespaced.gateway.envoyproxy'),
      },
      {
        apiGroups: ['gateway.envoyproxy.io'],
        resources: ['envoyproxies/status', 'envoypatchpolicies/status', 'clienttrafficpolicies/status', 'backendtrafficpolicies/status', 'securitypolicies/status', 'envoyextensionpolicies/status', 'backends/status'],
        verbs: ['update'],
        source: RBAC('eg.rbac.namespaced.gateway.envoyproxy.status'),
      },
      {
        apiGroups: ['gateway.networking.k8s.io'],
        resources: ['gateways', 'listenersets', 'grpcroutes', 'httproutes', 'referencegrants', 'tcproutes', 'tlsroutes', 'udproutes', 'backendtlspolicies'],
        verbs: READ,
        source: RBAC('eg.rbac.namespaced.gateway.networking'),
      },
      {
        apiGroups: ['gateway.networking.k8s.io'],
        resources: ['gateways/status', 'listenersets/status', 'grpcroutes/status', 'httproutes/status', 'tcproutes/status', 'tlsroutes/status', 'udproutes/status', 'backendtlspolicies/status'],
        verbs: ['update'],
        source: RBAC('eg.rbac.namespaced.gateway.networking.status'),
      },
    ],
  },
  {
    account: 'controller',
    scope: 'namespace',
    why: 'templates/infra-manager-rbac.yaml: the Role eg.rbac.infra.basic, for the proxies it deploys in its own namespace',
    rules: [
      { apiGroups: [''], resources: ['serviceaccounts', 'services', 'configmaps'], verbs: MANAGE, source: RBAC('eg.rbac.infra.basic') },
      { apiGroups: ['apps'], resources: ['deployments', 'daemonsets'], verbs: MANAGE, source: RBAC('eg.rbac.infra.basic') },
      { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'], verbs: MANAGE, source: RBAC('eg.rbac.infra.basic') },
      { apiGroups: ['policy'], resources: ['poddisruptionbudgets'], verbs: MANAGE, source: RBAC('eg.rbac.infra.basic') },
      { apiGroups: ['certificates.k8s.io'], resources: ['clustertrustbundles'], verbs: ['list', 'get', 'watch'], source: RBAC('eg.rbac.infra.basic') },
    ],
  },
  {
    account: 'controller',
    scope: 'namespace',
    why: 'templates/leader-election-rbac.yaml: leader election and its events',
    rules: [
      { apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'], source: chart('templates/leader-election-rbac.yaml') },
      { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'], source: chart('templates/leader-election-rbac.yaml') },
      { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'], source: chart('templates/leader-election-rbac.yaml') },
    ],
  },
  {
    account: 'certgen',
    scope: 'namespace',
    why: 'templates/certgen-rbac.yaml: certgen writes the control plane\'s certificate Secrets',
    rules: [
      { apiGroups: [''], resources: ['secrets'], verbs: ['get', 'create', 'update'], source: chart('templates/certgen-rbac.yaml') },
    ],
  },
];

/** The controller's command line: the `server` command and its configuration file. */
export const ENVOY_GATEWAY_ARGS = {
  args: ['server', '--config-path=/config/envoy-gateway.yaml'],
  source: chart('templates/envoy-gateway-deployment.yaml', 'args; internal/cmd/server.go defines --config-path'),
} as const;

/** certgen's command line. */
export const ENVOY_GATEWAY_CERTGEN_COMMAND = {
  command: ['envoy-gateway', 'certgen'],
  args: ['--disable-topology-injector'],
  source: src('internal/cmd/certgen.go', 'the certgen command and its --disable-topology-injector flag; charts/gateway-helm/templates/certgen.yaml runs it'),
} as const;

/** Environment variables the program reads (both the controller and certgen). */
export const ENVOY_GATEWAY_ENV: ReadonlyArray<{ readonly name: string; readonly meaning: string; readonly source: UpstreamFile }> = [
  { name: 'ENVOY_GATEWAY_NAMESPACE', meaning: 'its own namespace: where it deploys the proxies and writes its certificates (default envoy-gateway-system)', source: src('internal/envoygateway/config/config.go', 'env.Lookup("ENVOY_GATEWAY_NAMESPACE", DefaultNamespace)') },
  { name: 'KUBERNETES_CLUSTER_DOMAIN', meaning: 'the cluster DNS domain of the xDS address it gives the proxies (default cluster.local)', source: src('internal/envoygateway/config/config.go', 'env.Lookup("KUBERNETES_CLUSTER_DOMAIN", DefaultDNSDomain)') },
];

/** Files and directories the controller reads or writes. */
export const ENVOY_GATEWAY_PATHS: ReadonlyArray<{ readonly path: string; readonly what: string; readonly writable: boolean; readonly source: UpstreamFile }> = [
  { path: '/config', what: 'envoy-gateway.yaml, the EnvoyGateway configuration (--config-path)', writable: false, source: chart('templates/envoy-gateway-deployment.yaml') },
  { path: '/certs', what: 'tls.crt, tls.key, ca.crt of its xDS server (the Secret envoy-gateway certgen writes)', writable: false, source: src('internal/gatewayapi/runner/runner.go', 'serveTLSCertFilepath /certs/tls.crt') },
  { path: '/var/lib/eg/wasm', what: 'the Wasm module cache (the root file system is read-only)', writable: true, source: src('internal/gatewayapi/runner/runner.go', 'cacheOption.CacheDir = /var/lib/eg/wasm') },
];

/** The Secret certgen writes and the controller mounts, and the Service name the proxies reach it by. */
export const ENVOY_GATEWAY_FIXED_NAMES = {
  certsSecret: { name: 'envoy-gateway', source: src('internal/provider/kubernetes/secrets.go', 'CertsToSecret: envoy-gateway, envoy, envoy-rate-limit, envoy-oidc-hmac') },
  service: { name: 'envoy-gateway', source: src('internal/envoygateway/config/config.go', 'EnvoyGatewayServiceName: the xDS address of the proxies\' bootstrap') },
} as const;

/**
 * How the proxies serve a Gateway listener: a port below 1024 listens on port + `shift` in the
 * container (no CAP_NET_BIND_SERVICE), and the proxies' Service names the listener's port
 * `<protocol>-<port>`, lower case (what our NodePort patch of that Service merges onto).
 */
export const ENVOY_GATEWAY_LISTENER_PORTS = {
  shift: 10000,
  serviceName: (protocol: 'HTTP' | 'HTTPS', port: number): string => `${protocol}-${port}`.toLowerCase(),
  source: src('internal/gatewayapi/translator.go', 'wellKnownPortShift = 10000, added below 1024 by listener.go servicePortToContainerPort; helpers.go irListenerPortName names the port "%s-%d" lower-cased'),
} as const;

/**
 * The controller's listening ports, each the constant the program serves it from (the chart's
 * Service publishes the same four): xDS for the proxies, xDS for the rate-limit service, the Wasm
 * module server, and Prometheus metrics. `constant` is the Go name the test finds `= port` after.
 */
export const ENVOY_GATEWAY_CONTROLLER_PORTS = {
  xds: { port: 18000, constant: 'DefaultXdsServerPort', source: src('internal/xds/bootstrap/bootstrap.go', 'DefaultXdsServerPort = 18000 at envoy-gateway.<namespace>.svc.<cluster domain>') },
  ratelimit: { port: 18001, constant: 'XdsGrpcSotwConfigServerPort', source: src('internal/infrastructure/kubernetes/ratelimit/resource.go') },
  wasm: { port: 18002, constant: 'serverPort', source: src('internal/wasm/httpserver.go') },
  metrics: { port: 19001, constant: 'GatewayMetricsPort', source: src('api/v1alpha1/envoygateway_types.go') },
} as const;

/** The controller's health endpoints. */
export const ENVOY_GATEWAY_PROBES = {
  port: 8081,
  liveness: '/healthz',
  readiness: '/readyz',
  source: src('internal/provider/kubernetes/kubernetes.go', 'healthProbeBindAddress = ":8081"; the chart\'s probes: /healthz, /readyz'),
} as const;

/** The image's user (the controller and certgen run as it). */
export const ENVOY_GATEWAY_USER = {
  uid: 65532,
  gid: 65532,
  source: src('tools/docker/envoy-gateway/Dockerfile', 'USER 65532:65532 on gcr.io/distroless/base-nossl:nonroot'),
} as const;

/**
 * Where the proxies send a route's traffic: straight to the backend Service's endpoints (each pod's
 * address and the Service port's target port, from the EndpointSlices), not to its cluster IP,
 * unless an EnvoyProxy or BackendTrafficPolicy sets `routingType: Service` (ours set none). The
 * proxies' egress must therefore name the backend pods and their container ports: every platform
 * host's route needs a connection declared from the ingress controller
 * (test/platform/envoy-gateway/envoy-gateway-routes.test.ts).
 */
export const ENVOY_GATEWAY_ROUTING = {
  to: 'endpoints',
  source: src('internal/gatewayapi/translator.go', 'IsServiceRouting: "Default: Endpoint routing" unless a BackendTrafficPolicy or the EnvoyProxy sets RoutingType Service'),
} as const;

/** A file of Envoy itself (envoyproxy/envoy), read through the search index at the commit named. */
const envoy = (commit: string, path: string, note: string): UpstreamFile => ({ repo: 'envoyproxy/envoy', ref: commit, path, note });

/**
 * A route's limit on a whole request. Envoy ends every request after 15 s unless the route sets a
 * timeout, and 0 turns the limit off. Envoy Gateway passes an HTTPRoute rule's `timeouts.request`
 * through as the route's timeout, 0 included, and sets none when the rule sets none (so Envoy's 15 s
 * applies). Our routes set `disabled`, as nginx has no limit on a whole request; the stream idle
 * timeout of the BackendTrafficPolicy bounds them instead, and Envoy Gateway lets it win over its
 * own idle fallback (route.go idleTimeout).
 */
export const ENVOY_ROUTE_TIMEOUT = {
  envoyDefaultSeconds: 15,
  disabled: '0s',
  envoy: envoy('3304863897c75c4d14207b5ec658318a5eec08ef', 'api/envoy/config/route/v3/route_components.proto',
    'RouteAction.timeout: "If not specified, the default is 15s ... A value of 0 will disable the route\'s timeout." (a stored commit; the v1.39.0 Envoy Gateway v1.9.0 runs was not fetched)'),
  gateway: src('internal/gatewayapi/route.go', 'processRouteTimeout: rule.Timeouts.Request through time.ParseDuration into irRoute.Timeout (HTTPRequestTimeout "15s" only when unparsable)'),
  translator: src('internal/xds/translator/route.go', 'getEffectiveRequestTimeout: if rt != nil, RouteAction.Timeout = durationpb.New(rt.Duration); idleTimeout: the route\'s StreamIdleTimeout first'),
} as const;

/**
 * The affinity cookie of a consistent-hash BackendTrafficPolicy. Envoy makes the cookie only when
 * the hash policy has a TTL (without one it hashes an existing cookie and sets none), and a TTL of
 * zero makes it a session cookie (no Max-Age). Envoy Gateway copies the policy's cookie as it is
 * (clustersettings.go) and sets the hash policy's TTL whenever the policy has one, zero included
 * (route.go buildHashPolicy). Our policies therefore give `ttl: sessionTtl`.
 */
export const ENVOY_SESSION_COOKIE = {
  sessionTtl: '0s',
  envoyHash: envoy('02a06681fbe0e039b1c7a9215257a7537eddb518', 'source/common/http/hash_policy.cc',
    'CookieHashMethod::evaluate: add_cookie only if value.empty() && ttl_.has_value(); ttl_ set only when cookie().has_ttl() (a stored commit)'),
  envoyApi: envoy('3304863897c75c4d14207b5ec658318a5eec08ef', 'api/envoy/config/route/v3/route_components.proto',
    'HashPolicy.Cookie.ttl: "If specified, a cookie with the TTL will be generated if the cookie is not present. If the TTL is present and zero, the generated cookie will be a session cookie."'),
  gatewayPolicy: src('internal/gatewayapi/clustersettings.go', 'CookieConsistentHashType: consistentHash.Cookie = policy.ConsistentHash.Cookie'),
  gatewayXds: src('internal/xds/translator/route.go', 'buildHashPolicy: if ch.Cookie.TTL != nil { hashPolicy.GetCookie().Ttl = durationpb.New(time.ParseDuration(*TTL)) }'),
} as const;
