/**
 * The two renders of every platform route are the same routes: the Ingress objects with their
 * nginx annotations (ingress.controller ingress-nginx) and the HTTPRoutes with their ListenerSets,
 * BackendTrafficPolicies and BackendTLSPolicies (envoy-gateway), both of track kpaas-1.7.0, are
 * each read back into what a route means (host, path and match, backend Service and port, the
 * host's certificate, HTTPS redirect, idle timeout, body limit and buffering, path rewrite, session
 * affinity, root redirect, backend TLS) and compared. Nothing is taken from the constructs: a
 * setting one render drops or changes is a difference here (shown on seeded defects below).
 *
 * Where the controllers' own defaults differ, a route that sets nothing compares as `default`
 * on both sides (README, "Ingress controller"). The response-header buffer (nginx
 * proxy-buffer-size) has no Envoy Gateway setting and is compared as documented-unexpressible.
 */
import { INGRESS_NGINX_PROXY_TIMEOUT } from '../../../config/contracts/ingress-nginx-annotations';
import type { K8sObject, ManifestObject } from '../../support/k8s-manifests';
import { renderManifests } from '../../support/k8s-manifests';

const NGINX = 'nginx.ingress.kubernetes.io/';
/** ingress-nginx's defaults the Envoy render states explicitly (its ConfigMap's proxy-read/send-timeout). */
const NGINX_IDLE_TIMEOUT_DEFAULT = `${INGRESS_NGINX_PROXY_TIMEOUT.seconds}s`;

/** What one route means, independent of the controller. */
interface RouteMeaning {
  readonly host: string;
  readonly path: string;
  readonly match: 'Prefix' | 'Exact';
  readonly backend: string;
  readonly certificate: string;
  readonly httpsRedirect: boolean;
  readonly idleTimeout: string;
  readonly body: string;
  readonly rewrite: string;
  readonly affinity: string;
  readonly rootRedirect: string;
  readonly backendTls: string;
  readonly responseHeaderBuffer: string;
}

const key = (r: RouteMeaning) => `${r.host}${r.path} (${r.match})`;

/** The routes of the nginx render: one per path of every Ingress. */
function nginxRoutes(objects: readonly K8sObject[]): RouteMeaning[] {
  return objects.filter((o) => o.kind === 'Ingress').flatMap((ing: any) => {
    const a: Record<string, string> = ing.metadata.annotations ?? {};
    const ns = ing.metadata.namespace;
    const rule = ing.spec.rules[0];
    const tls = ing.spec.tls.find((t: any) => t.hosts.includes(rule.host));
    const regex = a[`${NGINX}use-regex`] === 'true' && a[`${NGINX}rewrite-target`] === '/$2';
    const read = a[`${NGINX}proxy-read-timeout`];
    const send = a[`${NGINX}proxy-send-timeout`];
    if (read !== send) throw new Error(`${ns}/${ing.metadata.name}: read and send timeouts differ (${read}, ${send}); the route model has one idle timeout`);
    const size = a[`${NGINX}proxy-body-size`];
    const buffering = a[`${NGINX}proxy-request-buffering`];
    const body = size === undefined && buffering === undefined ? 'default'
      : `${size === '0' ? 'unlimited' : size?.replace(/m$/, ' MiB') ?? 'default limit'}, ${buffering === 'off' ? 'streamed' : 'buffered'}`;
    // the cookie's Path: session-cookie-path, else the location's path (ingress-nginx's default)
    const affinity = (locationPath: string) => a[`${NGINX}affinity`] === 'cookie' && a[`${NGINX}affinity-mode`] === 'persistent'
      ? `cookie ${a[`${NGINX}session-cookie-name`]}${a[`${NGINX}session-cookie-secure`] === 'true' ? ' secure' : ''} session path ${a[`${NGINX}session-cookie-path`] ?? locationPath}` : 'none';
    const backendTls = a[`${NGINX}backend-protocol`] === 'HTTPS' && a[`${NGINX}proxy-ssl-verify`] === 'on' && a[`${NGINX}proxy-ssl-server-name`] === 'on'
      ? `verify ${a[`${NGINX}proxy-ssl-secret`]} ca.crt as ${a[`${NGINX}proxy-ssl-name`]}` : 'none';
    const main = rule.http.paths.map((p: any): RouteMeaning => {
      const stripped = regex ? /^(.*)\(\/\|\$\)\(\.\*\)$/.exec(p.path) : null;
      if (regex && !stripped) throw new Error(`${ns}/${ing.metadata.name}: regex path ${p.path} is not a prefix rewrite`);
      return {
        host: rule.host,
        path: stripped ? stripped[1] : p.path,
        match: regex || p.pathType === 'Prefix' ? 'Prefix' : 'Exact',
        backend: `${ns}/${p.backend.service.name}:${p.backend.service.port.number ?? p.backend.service.port.name}`,
        certificate: `${ns}/${tls?.secretName}`,
        httpsRedirect: a[`${NGINX}ssl-redirect`] === 'true',
        idleTimeout: read === undefined ? NGINX_IDLE_TIMEOUT_DEFAULT : `${read}s`,
        body,
        rewrite: regex ? 'strip prefix' : 'none',
        affinity: affinity(p.path),
        rootRedirect: 'none',
        backendTls,
        responseHeaderBuffer: a[`${NGINX}proxy-buffer-size`] === undefined ? 'default' : 'unexpressible',
      };
    });
    // app-root: "/" of the host answers with a redirect
    const appRoot = a[`${NGINX}app-root`];
    return appRoot ? [...main, { ...main[0], path: '/', match: 'Exact' as const, backend: 'redirect', rootRedirect: `302 ${appRoot}`, body: 'default', affinity: 'none', backendTls: 'none', rewrite: 'none' }] : main;
  });
}

/** The routes of the Envoy Gateway render: one per HTTPRoute rule attached to a platform host. */
function gatewayRoutes(objects: readonly K8sObject[]): RouteMeaning[] {
  const of = (kind: string) => objects.filter((o) => o.kind === kind) as any[];
  const gateways = of('Gateway');
  const redirects = of('HTTPRoute').filter((r) => r.spec.parentRefs.some((p: any) => p.kind === 'Gateway'));
  // the plain-HTTP listener of the Gateway a ListenerSet attaches to, with a route redirecting it to https
  const httpsRedirect = (ls: any) => {
    const gw = gateways.find((g) => g.metadata.name === ls.spec.parentRef.name && g.metadata.namespace === ls.spec.parentRef.namespace);
    const http = gw?.spec.listeners.find((l: any) => l.protocol === 'HTTP');
    return redirects.some((r) => r.metadata.namespace === gw?.metadata.namespace && r.spec.parentRefs.some((p: any) => p.name === gw.metadata.name && p.sectionName === http?.name)
      && r.spec.rules.every((x: any) => x.filters?.some((f: any) => f.type === 'RequestRedirect' && f.requestRedirect.scheme === 'https') && !x.backendRefs));
  };
  return of('HTTPRoute').filter((r) => r.spec.parentRefs.every((p: any) => p.kind === 'ListenerSet')).flatMap((route) => {
    const ns = route.metadata.namespace;
    const listenerSet = of('ListenerSet').find((l) => l.metadata.namespace === ns && l.metadata.name === route.spec.parentRefs[0].name);
    const listener = listenerSet?.spec.listeners.find((l: any) => l.name === route.spec.parentRefs[0].sectionName);
    const policies = of('BackendTrafficPolicy').filter((p) => p.metadata.namespace === ns && p.spec.targetRefs.some((t: any) => t.kind === 'HTTPRoute' && t.name === route.metadata.name));
    if (policies.length > 1) throw new Error(`${ns}/${route.metadata.name}: ${policies.length} BackendTrafficPolicies`);
    const policy = policies[0]?.spec ?? {};
    const cookie = policy.loadBalancer?.type === 'ConsistentHash' && policy.loadBalancer.consistentHash?.type === 'Cookie' ? policy.loadBalancer.consistentHash.cookie : undefined;
    const limit: string | undefined = policy.requestBuffer?.limit;
    return route.spec.hostnames.flatMap((host: string) => route.spec.rules.map((rule: any): RouteMeaning => {
      const match = rule.matches[0].path;
      const redirect = rule.filters?.find((f: any) => f.type === 'RequestRedirect')?.requestRedirect;
      const rewrite = rule.filters?.find((f: any) => f.type === 'URLRewrite')?.urlRewrite?.path;
      const ref = rule.backendRefs?.[0];
      const tls = ref && of('BackendTLSPolicy').find((p) => p.metadata.namespace === ns && p.spec.targetRefs.some((t: any) => t.kind === 'Service' && t.name === ref.name));
      const ca = tls?.spec.validation.caCertificateRefs?.[0];
      const unlimitedRequest = rule.timeouts?.request === '0s';
      return {
        host: listener?.hostname === host ? host : `${host} (no listener)`,
        path: match.value,
        match: match.type === 'PathPrefix' ? 'Prefix' : 'Exact',
        backend: ref ? `${ns}/${ref.name}:${ref.port}` : 'redirect',
        certificate: listener?.tls?.mode === 'Terminate' ? `${ns}/${listener.tls.certificateRefs[0].name}` : 'none',
        httpsRedirect: httpsRedirect(listenerSet),
        // the stream idle timeout; a whole request must not be limited (Envoy's default is 15 s)
        idleTimeout: redirect ? NGINX_IDLE_TIMEOUT_DEFAULT : unlimitedRequest ? policy.timeout?.http?.streamIdleTimeout ?? 'none' : 'request limited',
        body: redirect ? 'default' : limit !== undefined ? `${String(limit).replace(/Mi$/, ' MiB')}, buffered` : policies.length > 0 && policy.requestBuffer === undefined ? 'default' : 'none',
        rewrite: rewrite?.type === 'ReplacePrefixMatch' && rewrite.replacePrefixMatch === '/' ? 'strip prefix' : 'none',
        // Envoy appends each attribute to the cookie it makes (`; Path=/`; a bare name when the value is empty)
        affinity: redirect ? 'none' : cookie ? `cookie ${cookie.name}${cookie.attributes && 'Secure' in cookie.attributes ? ' secure' : ''}${cookie.ttl === '0s' ? ' session' : ''} path ${cookie.attributes?.Path ?? 'unset'}` : 'none',
        rootRedirect: redirect && match.type === 'Exact' && match.value === '/' ? `${redirect.statusCode} ${redirect.path.replaceFullPath}` : 'none',
        backendTls: ca?.kind === 'Secret' ? `verify ${ns}/${ca.name} ca.crt as ${tls.spec.validation.hostname}` : 'none',
        responseHeaderBuffer: 'default',
      };
    }));
  });
}

/** Harbor streams bodies without a limit: nginx says so; Envoy does it by default (no requestBuffer). */
function normalizeStreamed(r: RouteMeaning): RouteMeaning {
  return r.body === 'unlimited, streamed' ? { ...r, body: 'default' } : r;
}

/** Hosts whose responses carry large token headers: nginx's buffer has no Envoy Gateway setting (README, Limits). */
function normalizeUnexpressible(r: RouteMeaning): RouteMeaning {
  return { ...r, responseHeaderBuffer: 'default' };
}

/** The differences between the two renders, route by route. */
function differences(nginx: readonly RouteMeaning[], gateway: readonly RouteMeaning[]): string[] {
  const a = new Map(nginx.map((r) => [key(r), normalizeUnexpressible(normalizeStreamed(r))]));
  const b = new Map(gateway.map((r) => [key(r), r]));
  const out: string[] = [];
  for (const k of new Set([...a.keys(), ...b.keys()])) {
    const x = a.get(k);
    const y = b.get(k);
    if (!x) { out.push(`${k}: only in the envoy-gateway render`); continue; }
    if (!y) { out.push(`${k}: only in the ingress-nginx render`); continue; }
    for (const f of Object.keys(x) as Array<keyof RouteMeaning>) {
      if (x[f] !== y[f]) out.push(`${k}: ${f} is ${JSON.stringify(x[f])} with ingress-nginx, ${JSON.stringify(y[f])} with envoy-gateway`);
    }
  }
  return out;
}

const TRACK = { versions: { track: 'kpaas-1.7.0' as const } };
const objectsOf = (ms: readonly ManifestObject[]) => ms.map((m) => m.object);

describe('the platform routes under both ingress controllers', () => {
  const nginx = nginxRoutes(objectsOf(renderManifests({ ...TRACK, ingress: { controller: 'ingress-nginx' } }).objects));
  const envoyObjects = objectsOf(renderManifests({ ...TRACK, ingress: { controller: 'envoy-gateway' } }).objects);
  const envoy = gatewayRoutes(envoyObjects);

  it('reads every route of both renders, with the settings the services ask for', () => {
    expect(nginx.map(key).sort()).toEqual([
      'chartmuseum.k-paas.io/ (Prefix)',
      'harbor.k-paas.io/ (Prefix)', 'harbor.k-paas.io/api/ (Prefix)', 'harbor.k-paas.io/c/ (Prefix)', 'harbor.k-paas.io/service/ (Prefix)', 'harbor.k-paas.io/v2/ (Prefix)',
      'keycloak.k-paas.io/ (Exact)', 'keycloak.k-paas.io/auth (Prefix)',
      'openbao.k-paas.io/ (Prefix)',
      'portal.k-paas.io/ (Prefix)', 'portal.k-paas.io/cpapi (Prefix)',
    ]);
    const find = (k: string) => nginx.find((r) => key(r) === k)!;
    expect(find('harbor.k-paas.io/v2/ (Prefix)')).toMatchObject({ idleTimeout: '900s', body: 'unlimited, streamed' });
    expect(find('chartmuseum.k-paas.io/ (Prefix)').body).toMatch(/^\d+ MiB, buffered$/);
    expect(find('portal.k-paas.io/cpapi (Prefix)').rewrite).toBe('strip prefix');
    expect(find('portal.k-paas.io/ (Prefix)').affinity).toBe('cookie CPPORTALROUTE secure session path /');
    expect(find('keycloak.k-paas.io/ (Exact)').rootRedirect).toBe('302 /auth');
    expect(find('openbao.k-paas.io/ (Prefix)').backendTls).toBe('verify openbao/openbao-tls ca.crt as openbao-active.openbao.svc');
  });

  it('has an equivalent HTTPRoute for every Ingress route, and no other', () => {
    expect(differences(nginx, envoy)).toEqual([]);
  });

  describe('fails when the envoy-gateway render drops or changes one setting (seeded defects)', () => {
    const seeded = (change: (objects: any[]) => void): string[] => {
      const copy = JSON.parse(JSON.stringify(envoyObjects));
      change(copy);
      return differences(nginx, gatewayRoutes(copy));
    };
    const find = (objects: any[], kind: string, namespace: string) => objects.find((o) => o.kind === kind && o.metadata.namespace === namespace);
    it.each<[string, (o: any[]) => void, string]>([
      ['Harbor\'s long timeout', (o) => { delete find(o, 'BackendTrafficPolicy', 'harbor').spec.timeout; }, 'harbor.k-paas.io/v2/ (Prefix): idleTimeout'],
      ['a whole-request limit', (o) => { delete find(o, 'HTTPRoute', 'openbao').spec.rules[0].timeouts; }, 'openbao.k-paas.io/ (Prefix): idleTimeout'],
      ['ChartMuseum\'s body limit', (o) => { delete find(o, 'BackendTrafficPolicy', 'chartmuseum').spec.requestBuffer; }, 'chartmuseum.k-paas.io/ (Prefix): body'],
      ['the portal API\'s rewrite', (o) => { o.find((x) => x.kind === 'HTTPRoute' && x.metadata.name === 'cp-portal-api-ingress').spec.rules[0].filters = []; }, 'portal.k-paas.io/cpapi (Prefix): rewrite'],
      ['the portal\'s affinity', (o) => { delete o.find((x) => x.kind === 'BackendTrafficPolicy' && x.metadata.name === 'cp-portal-ingress').spec.loadBalancer; }, 'portal.k-paas.io/ (Prefix): affinity'],
      ['Keycloak\'s root redirect', (o) => { find(o, 'HTTPRoute', 'keycloak').spec.rules.shift(); }, 'keycloak.k-paas.io/ (Exact): only in the ingress-nginx render'],
      ['OpenBao\'s backend TLS', (o) => { o.splice(o.indexOf(find(o, 'BackendTLSPolicy', 'openbao')), 1); }, 'openbao.k-paas.io/ (Prefix): backendTls'],
      ['a backend port', (o) => { find(o, 'HTTPRoute', 'harbor').spec.rules[0].backendRefs[0].port = 8080; }, 'harbor.k-paas.io/api/ (Prefix): backend'],
      ['a host\'s certificate', (o) => { find(o, 'ListenerSet', 'keycloak').spec.listeners[0].tls.certificateRefs[0].name = 'other'; }, 'keycloak.k-paas.io/auth (Prefix): certificate'],
      ['the HTTPS redirect', (o) => { o.splice(o.findIndex((x) => x.kind === 'HTTPRoute' && x.metadata.namespace === 'envoy-gateway-system'), 1); }, 'chartmuseum.k-paas.io/ (Prefix): httpsRedirect'],
      ['a route', (o) => { find(o, 'HTTPRoute', 'harbor').spec.rules.pop(); }, 'harbor.k-paas.io/ (Prefix): only in the ingress-nginx render'],
      ['a path match', (o) => { find(o, 'HTTPRoute', 'harbor').spec.rules[0].matches[0].path.type = 'Exact'; }, 'harbor.k-paas.io/api/ (Prefix): only in the ingress-nginx render'],
    ])('%s', (_what, change, expected) => {
      expect(seeded(change)).toEqual(expect.arrayContaining([expect.stringContaining(expected)]));
    });
  });
});
