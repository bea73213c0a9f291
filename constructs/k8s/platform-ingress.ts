import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { INGRESS_PLACEMENTS, INGRESS_PORTS } from '../../config';
import { ENVOY_ROUTE_TIMEOUT, ENVOY_SESSION_COOKIE } from '../../config/contracts/envoy-gateway';
import { INGRESS_NGINX_PROXY_TIMEOUT, nginxAnnotation } from '../../config/contracts/ingress-nginx-annotations';
import type { IngressController } from '../../config/tracks';
import {
  BackendTrafficPolicy,
  BackendTrafficPolicySpecLoadBalancerConsistentHashType,
  BackendTrafficPolicySpecLoadBalancerType,
  BackendTrafficPolicySpecRequestBufferLimit,
} from '../../imports/gateway.envoyproxy.io';
import {
  BackendTlsPolicy,
  Gateway,
  HttpRoute,
  HttpRouteSpecRulesFiltersRequestRedirectPathType,
  HttpRouteSpecRulesFiltersRequestRedirectStatusCode,
  HttpRouteSpecRulesFiltersType,
  HttpRouteSpecRulesFiltersUrlRewritePathType,
  HttpRouteSpecRulesMatchesPathType,
  ListenerSet,
  ListenerSetSpecListenersTlsMode,
  type HttpRouteSpecRules,
} from '../../imports/gateway.networking.k8s.io';
import { KubeIngress, KubeService } from '../../imports/k8s';

/** A Service port as a route names it: by number or by name. */
export type IngressBackendPort = number | string;

/** One routed path of a host. */
export interface IngressRoute {
  /** URL path prefix, e.g. `/` or `/api/`. */
  readonly path: string;
  /** `Prefix`: the path and everything below it; `Exact`: the path only. @default 'Prefix' */
  readonly pathType?: 'Prefix' | 'Exact';
  /** The Service traffic goes to. */
  readonly service: KubeService;
  /** Port of that Service, by number or name. */
  readonly port: IngressBackendPort;
}

/**
 * How the controller treats a host's traffic, said once for both controllers. Settings left out
 * keep the controller's own behaviour, except the idle timeout, which both get (INGRESS_DEFAULTS).
 */
export interface IngressTraffic {
  /**
   * Seconds a request or response may pause between two reads or writes before the proxy gives
   * up (nginx proxy-read-timeout and proxy-send-timeout; Envoy's stream idle timeout). Neither
   * controller limits a whole request's duration. @default INGRESS_DEFAULTS.idleTimeoutSeconds
   */
  readonly idleTimeoutSeconds?: number;
  /**
   * The largest request body, in MiB, 0 for none; `buffered: false` streams bodies to the backend
   * instead of receiving them whole first. @default the controller's (nginx: 1 MiB, buffered; Envoy: no limit, streamed)
   */
  readonly body?: { readonly maxMegabytes: number; readonly buffered?: boolean };
  /** Keep each browser on one backend pod with a session cookie of this name. @default none */
  readonly affinityCookie?: { readonly name: string; readonly secure: boolean };
  /** Remove the routes' path prefix before passing a request on (`/cpapi/x` reaches the backend as `/x`). @default false */
  readonly stripPathPrefix?: boolean;
  /** Redirect `/` (exactly) to this path with a 302, for an application served below the root. @default none */
  readonly rootRedirect?: string;
  /**
   * The backend speaks TLS only: the proxy connects over TLS 1.2 or 1.3 and verifies the server
   * against `ca.crt` of this Secret (of the route's namespace) under `serverName`. @default plain HTTP
   */
  readonly backendTls?: { readonly caSecret: string; readonly serverName: string };
  /**
   * KiB of the buffer for a response's headers (nginx proxy-buffer-size; large tokens in headers).
   * Envoy Gateway has no such setting: Envoy's header limits stay its defaults (README, Limits).
   * @default the controller's
   */
  readonly responseHeaderBufferKb?: number;
}

/**
 * What the routes rely on where the traffic settings leave a value out and the two controllers'
 * defaults differ: both get this explicitly. ingress-nginx's own defaults (its ConfigMap's
 * proxy-read-timeout and proxy-send-timeout, INGRESS_NGINX_PROXY_TIMEOUT) are kept; Envoy would otherwise end any
 * request after 15 s (Envoy's route timeout) or never time out an idle stream.
 */
export const INGRESS_DEFAULTS = { idleTimeoutSeconds: INGRESS_NGINX_PROXY_TIMEOUT.seconds } as const;

/** KiB of response-header buffer for hosts whose responses carry Keycloak's tokens in headers. */
export const TOKEN_HEADER_BUFFER_KB = 128;

export interface PlatformIngressProps {
  /** Which controller renders the host: Ingress objects or Gateway API routes (config ingress.controller). */
  readonly controller: IngressController;
  /** Name of the Ingress, or of the HTTPRoute and its policies. */
  readonly name: string;
  /** Public host name (`<service>.<domain>`). */
  readonly host: string;
  /** Secret holding the host's certificate (made by `kpaas secrets`). */
  readonly tlsSecretName: string;
  readonly routes: readonly IngressRoute[];
  /** @default the controllers' defaults, INGRESS_DEFAULTS */
  readonly traffic?: IngressTraffic;
}

/** The group and kind a reference between Gateway API objects names, from the binding's GVK. */
export function gvkRef(gvk: { readonly apiVersion: string; readonly kind: string }): { group: string; kind: string } {
  return { group: gvk.apiVersion.split('/')[0], kind: gvk.kind };
}
/** The name of every platform host's HTTPS listener in its ListenerSet. */
export const HTTPS_LISTENER = 'https';

/** ingress-nginx annotations for the traffic settings, in a fixed order (names: config/contracts/ingress-nginx-annotations.ts). */
export function nginxAnnotations(namespace: string, traffic: IngressTraffic): Record<string, string> {
  const a: Record<string, string> = {};
  if (traffic.backendTls) {
    a[nginxAnnotation('backendProtocol')] = 'HTTPS';
    a[nginxAnnotation('proxySslSecret')] = `${namespace}/${traffic.backendTls.caSecret}`;
    a[nginxAnnotation('proxySslVerify')] = 'on';
    a[nginxAnnotation('proxySslName')] = traffic.backendTls.serverName;
    a[nginxAnnotation('proxySslServerName')] = 'on';
    a[nginxAnnotation('proxySslProtocols')] = 'TLSv1.2 TLSv1.3';
  }
  if (traffic.body) {
    a[nginxAnnotation('proxyBodySize')] = traffic.body.maxMegabytes === 0 ? '0' : `${traffic.body.maxMegabytes}m`;
    if (traffic.body.buffered === false) a[nginxAnnotation('proxyRequestBuffering')] = 'off';
  }
  if (traffic.idleTimeoutSeconds !== undefined) {
    a[nginxAnnotation('proxyReadTimeout')] = String(traffic.idleTimeoutSeconds);
    a[nginxAnnotation('proxySendTimeout')] = String(traffic.idleTimeoutSeconds);
  }
  if (traffic.affinityCookie) {
    a[nginxAnnotation('affinity')] = 'cookie';
    a[nginxAnnotation('affinityMode')] = 'persistent';
    a[nginxAnnotation('sessionCookieName')] = traffic.affinityCookie.name;
    if (traffic.affinityCookie.secure) a[nginxAnnotation('sessionCookieSecure')] = 'true';
  }
  if (traffic.stripPathPrefix) {
    a[nginxAnnotation('useRegex')] = 'true';
    a[nginxAnnotation('rewriteTarget')] = '/$2';
  }
  if (traffic.rootRedirect) a[nginxAnnotation('appRoot')] = traffic.rootRedirect;
  if (traffic.responseHeaderBufferKb !== undefined) a[nginxAnnotation('proxyBufferSize')] = `${traffic.responseHeaderBufferKb}k`;
  return a;
}

/**
 * A platform host behind the ingress controller: TLS from the platform certificate, HTTP
 * redirected to HTTPS, routes to Services of the same namespace, the traffic settings said once.
 *
 * - ingress-nginx: one Ingress of the `nginx` class with the annotations of the settings.
 * - envoy-gateway: the host's HTTPS listener as a ListenerSet in the host's namespace (beside its
 *   certificate Secret, so no cross-namespace reference or ReferenceGrant is needed; one per host
 *   and chart, however many route groups share the host), attached to the platform Gateway (whose
 *   plain-HTTP listener redirects to HTTPS); an HTTPRoute; a BackendTrafficPolicy on it for the
 *   timeouts, body limit and affinity; a BackendTLSPolicy per Service for a TLS backend.
 *   Envoy Gateway v1.9.0 serves a ListenerSet's listeners with the Gateway's (on its proxies'
 *   Service) once the Gateway's allowedListeners admits the namespace
 *   (envoyproxy/gateway@v1.9.0:internal/gatewayapi/listenerset.go, contexts.go), and reads a
 *   BackendTLSPolicy's CA from a Secret's ca.crt (internal/gatewayapi/backendtlspolicy.go).
 *
 * Routes are validated against the Services (the port must exist on the Service) before anything
 * is written; so is what a controller cannot express.
 */
export class PlatformIngress extends Construct {
  /** The Ingress (ingress-nginx) or the HTTPRoute (envoy-gateway). */
  public readonly resource: KubeIngress | HttpRoute;
  public readonly host: string;
  /** The host's listener (envoy-gateway), possibly made by another route group of the same host. */
  public readonly listenerSet?: ListenerSet;
  public readonly trafficPolicy?: BackendTrafficPolicy;
  public readonly backendTlsPolicies: readonly BackendTlsPolicy[];

  public constructor(scope: Construct, id: string, props: PlatformIngressProps) {
    super(scope, id);
    this.host = props.host;
    const traffic = props.traffic ?? {};
    const namespace = Chart.of(this).namespace ?? '';
    if (props.controller === 'ingress-nginx') {
      this.resource = new KubeIngress(this, 'Resource', {
        metadata: {
          name: props.name,
          annotations: { [nginxAnnotation('sslRedirect')]: 'true', ...nginxAnnotations(namespace, traffic) },
        },
        spec: {
          ingressClassName: INGRESS_PLACEMENTS['ingress-nginx'].className,
          tls: [{ hosts: [props.host], secretName: props.tlsSecretName }],
          rules: [{
            host: props.host,
            http: {
              paths: props.routes.map((r) => ({
                // nginx rewrites with a regular expression: the prefix, then the rest as $2
                path: traffic.stripPathPrefix ? `${r.path}(/|$)(.*)` : r.path,
                pathType: traffic.stripPathPrefix ? 'ImplementationSpecific' : r.pathType ?? 'Prefix',
                backend: { service: { name: r.service.name, port: typeof r.port === 'number' ? { number: r.port } : { name: r.port } } },
              })),
            },
          }],
        },
      });
      this.backendTlsPolicies = [];
    } else {
      const built = this.gatewayRoutes(props, traffic);
      this.resource = built.route;
      this.listenerSet = built.listenerSet;
      this.trafficPolicy = built.policy;
      this.backendTlsPolicies = built.tls;
    }
    this.node.addValidation({
      validate: () => props.routes.flatMap((r) => {
        const ok = servicePorts(r.service).some((p) => (typeof r.port === 'number' ? p.port === r.port : p.name === r.port));
        return ok ? [] : [`Ingress ${props.name}: route ${r.path} targets port ${r.port}, which Service ${r.service.name} does not expose`];
      }),
    });
  }

  private gatewayRoutes(props: PlatformIngressProps, traffic: IngressTraffic) {
    const gateway = INGRESS_PLACEMENTS['envoy-gateway'];
    const chart = Chart.of(this);
    const namespace = chart.namespace;
    if (!namespace) throw new Error(`HTTPRoute ${props.name}: must be built in a chart with a namespace`);
    if (traffic.body && traffic.body.maxMegabytes > 0 && traffic.body.buffered === false) {
      throw new Error(`HTTPRoute ${props.name}: Envoy Gateway limits a request body only by buffering it (BackendTrafficPolicy requestBuffer); a limit on a streamed body cannot be expressed`);
    }
    if (traffic.body && traffic.body.maxMegabytes === 0 && traffic.body.buffered !== false) {
      throw new Error(`HTTPRoute ${props.name}: Envoy Gateway buffers a request body only up to a limit; an unlimited buffered body cannot be expressed (stream it: buffered false)`);
    }

    // one HTTPS listener per host and chart: the first route group of a host makes it
    const listenerId = `https-listener-${props.host}`;
    const listenerSet = (chart.node.tryFindChild(listenerId) as ListenerSet | undefined) ?? new ListenerSet(chart, listenerId, {
      metadata: { name: `${props.host.split('.')[0]}-https` },
      spec: {
        parentRef: { ...gvkRef(Gateway.GVK), name: gateway.gateway!.name, namespace: gateway.namespace },
        listeners: [{
          name: HTTPS_LISTENER,
          hostname: props.host,
          port: INGRESS_PORTS.https,
          protocol: 'HTTPS',
          tls: { mode: ListenerSetSpecListenersTlsMode.TERMINATE, certificateRefs: [{ group: '', kind: 'Secret', name: props.tlsSecretName }] },
        }],
      },
    });

    const port = (r: IngressRoute): number => {
      if (typeof r.port === 'number') return r.port;
      const found = servicePorts(r.service).find((p) => p.name === r.port);
      if (!found) throw new Error(`HTTPRoute ${props.name}: route ${r.path} targets port ${r.port}, which Service ${r.service.name} does not expose`);
      return found.port;
    };
    const rules: HttpRouteSpecRules[] = [];
    if (traffic.rootRedirect) {
      rules.push({
        matches: [{ path: { type: HttpRouteSpecRulesMatchesPathType.EXACT, value: '/' } }],
        filters: [{
          type: HttpRouteSpecRulesFiltersType.REQUEST_REDIRECT,
          requestRedirect: { path: { type: HttpRouteSpecRulesFiltersRequestRedirectPathType.REPLACE_FULL_PATH, replaceFullPath: traffic.rootRedirect }, statusCode: HttpRouteSpecRulesFiltersRequestRedirectStatusCode.VALUE_302 },
        }],
      });
    }
    for (const r of props.routes) {
      rules.push({
        matches: [{ path: { type: r.pathType === 'Exact' ? HttpRouteSpecRulesMatchesPathType.EXACT : HttpRouteSpecRulesMatchesPathType.PATH_PREFIX, value: r.path } }],
        ...(traffic.stripPathPrefix ? {
          filters: [{ type: HttpRouteSpecRulesFiltersType.URL_REWRITE, urlRewrite: { path: { type: HttpRouteSpecRulesFiltersUrlRewritePathType.REPLACE_PREFIX_MATCH, replacePrefixMatch: '/' } } }],
        } : {}),
        backendRefs: [{ name: r.service.name, port: port(r) }],
        // no limit on a whole request, as nginx has none (Envoy's default would be 15 s)
        timeouts: { request: ENVOY_ROUTE_TIMEOUT.disabled },
      });
    }
    const route = new HttpRoute(this, 'Resource', {
      metadata: { name: props.name },
      spec: {
        parentRefs: [{ ...gvkRef(ListenerSet.GVK), name: listenerSet.name, sectionName: HTTPS_LISTENER }],
        hostnames: [props.host],
        rules,
      },
    });

    const cookie = traffic.affinityCookie;
    // nginx gives its cookie the location's path; Envoy Gateway v1.9.0 sets no path on the cookie
    // Envoy makes (internal/xds/translator/route.go), so a browser would scope it to the directory of
    // the first request: the route's path as an attribute instead (one path, else the host's root)
    const cookiePaths = [...new Set(props.routes.map((r) => r.path))];
    const cookieAttributes = cookie ? { Path: cookiePaths.length === 1 ? cookiePaths[0] : '/', ...(cookie.secure ? { Secure: '' } : {}) } : undefined;
    const policy = new BackendTrafficPolicy(this, 'traffic', {
      metadata: { name: props.name },
      spec: {
        targetRefs: [{ ...gvkRef(HttpRoute.GVK), name: props.name }],
        timeout: { http: { streamIdleTimeout: `${traffic.idleTimeoutSeconds ?? INGRESS_DEFAULTS.idleTimeoutSeconds}s` } },
        ...(traffic.body && traffic.body.maxMegabytes > 0 ? { requestBuffer: { limit: BackendTrafficPolicySpecRequestBufferLimit.fromString(`${traffic.body.maxMegabytes}Mi`) } } : {}),
        ...(cookie ? {
          loadBalancer: {
            type: BackendTrafficPolicySpecLoadBalancerType.CONSISTENT_HASH,
            consistentHash: {
              type: BackendTrafficPolicySpecLoadBalancerConsistentHashType.COOKIE,
              // a zero TTL makes Envoy's generated cookie a session cookie, as nginx's is
              cookie: { name: cookie.name, ttl: ENVOY_SESSION_COOKIE.sessionTtl, attributes: cookieAttributes },
            },
          },
        } : {}),
      },
    });

    const tlsServices = traffic.backendTls ? [...new Map(props.routes.map((r) => [r.service.name, r.service])).values()] : [];
    const tls = tlsServices.map((service) => new BackendTlsPolicy(this, `backend-tls-${service.name}`, {
      metadata: { name: service.name },
      spec: {
        targetRefs: [{ group: '', kind: 'Service', name: service.name }],
        validation: {
          caCertificateRefs: [{ group: '', kind: 'Secret', name: traffic.backendTls!.caSecret }],
          hostname: traffic.backendTls!.serverName,
        },
      },
    }));
    return { route, listenerSet, policy, tls };
  }
}

function servicePorts(service: KubeService): Array<{ port: number; name?: string }> {
  return (service.toJson().spec?.ports ?? []) as Array<{ port: number; name?: string }>;
}
