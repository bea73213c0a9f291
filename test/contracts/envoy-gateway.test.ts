/**
 * Envoy Gateway's controller in dist/manifests against what its release needs
 * (config/contracts/envoy-gateway.ts): the RBAC grants per account and scope exactly, the
 * command line, environment, mounts, probes, user, and the names the program reads (its Service,
 * its certificate Secret). Where a fetched copy of envoyproxy/gateway is at hand (../.mirror), the
 * contract's facts are also found in the release's own files; SKIPPED otherwise.
 */
import * as fs from 'fs';
import * as path from 'path';
import {
  ENVOY_GATEWAY_ARGS,
  ENVOY_GATEWAY_CERTGEN_COMMAND,
  ENVOY_GATEWAY_CONTROLLER_PORTS,
  ENVOY_GATEWAY_ENV,
  ENVOY_GATEWAY_FIXED_NAMES,
  ENVOY_GATEWAY_GRANTS,
  ENVOY_GATEWAY_LISTENER_PORTS,
  ENVOY_GATEWAY_PATHS,
  ENVOY_GATEWAY_PROBES,
  ENVOY_GATEWAY_RELEASE,
  ENVOY_GATEWAY_ROUTING,
  ENVOY_GATEWAY_USER,
  ENVOY_ROUTE_TIMEOUT,
  ENVOY_SESSION_COOKIE,
  type EnvoyGatewayGrant,
} from '../../config/contracts/envoy-gateway';
import { parse } from 'yaml';
import { renderAll } from '../../cli/render';
import { INGRESS_PLACEMENTS, parseConfig, PLATFORM } from '../../config';
import { ENVOY_GATEWAY_CONTROLLER_NAME } from '../../platform/envoy-gateway/envoy-gateway-names';
import type { K8sObject } from '../support/k8s-manifests';
import { renderManifests } from '../support/k8s-manifests';
import { hasMirror, mirrorOf, showAt } from '../support/mirror';

const NS = 'envoy-gateway-system';
const { objects } = renderManifests({ versions: { track: 'kpaas-1.7.0' }, ingress: { controller: 'envoy-gateway' } });
const all = objects.map((m) => m.object).filter((o) => o.metadata.namespace === NS || (!o.metadata.namespace && /^envoy-gateway/.test(o.metadata.name ?? '')));
const one = (kind: string, name: string): any => {
  const hits = all.filter((o) => o.kind === kind && o.metadata.name === name);
  if (hits.length !== 1) throw new Error(`expected one ${kind} ${name}, found ${hits.length}`);
  return hits[0];
};

/** Every (account, scope, apiGroup, resource, verb) the rendered RBAC grants in or for the namespace. */
function granted(objs: readonly K8sObject[]): string[] {
  const out: string[] = [];
  for (const binding of objs.filter((o) => o.kind === 'ClusterRoleBinding' || o.kind === 'RoleBinding') as any[]) {
    const role = objs.find((o) => o.kind === binding.roleRef.kind && o.metadata.name === binding.roleRef.name) as any;
    const scope = binding.kind === 'ClusterRoleBinding' ? 'cluster' : 'namespace';
    for (const subject of binding.subjects) {
      const account = subject.name === 'envoy-gateway' ? 'controller' : subject.name === 'envoy-gateway-certgen' ? 'certgen' : subject.name;
      for (const r of role?.rules ?? []) for (const g of r.apiGroups) for (const res of r.resources) for (const v of r.verbs) out.push(`${account} ${scope} ${g || 'core'} ${res} ${v}`);
    }
  }
  return [...new Set(out)].sort();
}

const expected = (grants: readonly EnvoyGatewayGrant[]) => [...new Set(grants.flatMap((g) => g.rules.flatMap((r) => r.apiGroups.flatMap((a) => r.resources.flatMap((res) => r.verbs.map((v) => `${g.account} ${g.scope} ${a || 'core'} ${res} ${v}`))))))].sort();

describe('Envoy Gateway\'s controller against its release', () => {
  it('grants each account exactly the contract\'s rules, cluster-wide or in its namespace', () => {
    expect(granted(all)).toEqual(expected(ENVOY_GATEWAY_GRANTS));
  });

  it('fails on a seeded missing rule (EndpointSlices dropped from the ClusterRole)', () => {
    const copy = JSON.parse(JSON.stringify(all)) as any[];
    const role = copy.find((o) => o.kind === 'ClusterRole' && o.metadata.name === 'envoy-gateway');
    role.rules = role.rules.filter((r: any) => !r.resources.includes('endpointslices'));
    expect(granted(copy)).not.toEqual(expected(ENVOY_GATEWAY_GRANTS));
  });

  it('runs the controller with the command line, environment, mounts, probes and user the program reads', () => {
    const d = one('Deployment', 'envoy-gateway');
    const spec = d.spec.template.spec;
    const c = spec.containers[0];
    expect(c.args).toEqual(ENVOY_GATEWAY_ARGS.args);
    expect(c.env.map((e: any) => e.name)).toEqual(ENVOY_GATEWAY_ENV.map((e) => e.name));
    expect(c.env.find((e: any) => e.name === 'ENVOY_GATEWAY_NAMESPACE').valueFrom.fieldRef.fieldPath).toBe('metadata.namespace');
    const mounts = new Map(c.volumeMounts.map((m: any) => [m.mountPath, m]));
    for (const p of ENVOY_GATEWAY_PATHS) {
      expect(mounts.get(p.path)).toBeDefined();
      expect(Boolean((mounts.get(p.path) as any).readOnly)).toBe(!p.writable);
    }
    // --config-path names a file the container has: a key of the ConfigMap mounted at its folder
    const configPath = ENVOY_GATEWAY_ARGS.args.find((a) => a.startsWith('--config-path='))!.replace(/^[^=]*=/, '');
    const configMount = c.volumeMounts.find((m: any) => configPath.startsWith(`${m.mountPath}/`));
    const configMap = spec.volumes.find((v: any) => v.name === configMount.name).configMap.name;
    expect(Object.keys(one('ConfigMap', configMap).data)).toContain(configPath.slice(configMount.mountPath.length + 1));
    expect(c.securityContext.readOnlyRootFilesystem).toBe(true);
    expect([c.livenessProbe.httpGet.path, c.readinessProbe.httpGet.path]).toEqual([ENVOY_GATEWAY_PROBES.liveness, ENVOY_GATEWAY_PROBES.readiness]);
    expect(new Set([c.livenessProbe.httpGet.port, c.readinessProbe.httpGet.port, c.startupProbe.httpGet.port])).toEqual(new Set([ENVOY_GATEWAY_PROBES.port]));
    expect([spec.securityContext.runAsUser, spec.securityContext.runAsGroup]).toEqual([ENVOY_GATEWAY_USER.uid, ENVOY_GATEWAY_USER.gid]);
    expect(spec.automountServiceAccountToken).toBe(true);
    // the certificates it mounts are the Secret certgen writes; the proxies reach it by its Service's name
    const certs = spec.volumes.find((v: any) => v.name === c.volumeMounts.find((m: any) => m.mountPath === '/certs').name);
    expect(certs.secret.secretName).toBe(ENVOY_GATEWAY_FIXED_NAMES.certsSecret.name);
    expect(one('Service', ENVOY_GATEWAY_FIXED_NAMES.service.name).spec.ports.find((p: any) => p.port === ENVOY_GATEWAY_CONTROLLER_PORTS.xds.port)).toBeDefined();
  });

  it('gives the controller the cluster\'s DNS domain: kubespray\'s default, which the group_vars do not change', () => {
    const c = one('Deployment', 'envoy-gateway').spec.template.spec.containers[0];
    expect(c.env.find((e: any) => e.name === 'KUBERNETES_CLUSTER_DOMAIN').value).toBe(PLATFORM.dns.clusterDomain);
    const files = renderAll(parseConfig({ versions: { track: 'kpaas-1.7.0' }, ingress: { controller: 'envoy-gateway' } }), { outDir: 'dist', projectDir: '.' });
    const vars = [...files].filter(([name]) => /^ansible\/.*\.ya?ml$/.test(name)).map(([, f]) => parse(String(f.content)) ?? {});
    const keys = vars.flatMap((v) => (typeof v === 'object' && !Array.isArray(v) ? Object.keys(v) : []));
    expect(keys).toContain('nodelocaldns_ip');
    expect(keys.filter((k) => k === 'cluster_name' || k === 'dns_domain')).toEqual([]);
    for (const version of ['v2.28.1', 'v2.29.0', 'v2.31.0']) {
      const defaults = path.resolve(__dirname, `../../../shared/upstream/kubespray-${version}/roles/kubespray_defaults/defaults/main/main.yml`);
      if (fs.existsSync(defaults)) expect(parse(fs.readFileSync(defaults, 'utf8')).cluster_name).toBe(PLATFORM.dns.clusterDomain);
      else console.warn(`SKIPPED: ${defaults} not found; kubespray's cluster_name not compared`);
    }
  });

  it('runs certgen as the release does, without the topology injector it leaves out', () => {
    const job = one('Job', 'envoy-gateway-certgen');
    const c = job.spec.template.spec.containers[0];
    expect([c.command, c.args]).toEqual([ENVOY_GATEWAY_CERTGEN_COMMAND.command, ENVOY_GATEWAY_CERTGEN_COMMAND.args]);
    expect(c.env.map((e: any) => e.name)).toEqual(ENVOY_GATEWAY_ENV.map((e) => e.name));
    expect(job.spec.template.spec.serviceAccountName).toBe('envoy-gateway-certgen');
    const config = one('ConfigMap', 'envoy-gateway-config').data['envoy-gateway.yaml'];
    expect(config).toMatch(/proxyTopologyInjector:\n\s+disabled: true/);
    expect(all.filter((o) => o.kind === 'MutatingWebhookConfiguration')).toEqual([]);
  });
});

/** Seconds of a Go duration (`1h2m3s`, `500ms`, `0s`), as Envoy Gateway parses it; NaN if it is none. */
const goSeconds = (d: unknown): number => {
  if (typeof d !== 'string' || !/^(\d+(h|m|s|ms))+$/.test(d)) return NaN;
  const unit: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 0.001 };
  return [...d.matchAll(/(\d+)(h|ms|m|s)/g)].reduce((sum, [, n, u]) => sum + Number(n) * unit[u], 0);
};

/** Routes that Envoy would cut after its default 15 s, and affinity cookies it would not make, or make persistent. */
function trafficProblems(objs: readonly any[]): string[] {
  const routes = objs.filter((o) => o.kind === 'HTTPRoute').flatMap((o) => (o.spec.rules ?? [])
    .filter((r: any) => r.backendRefs?.length)
    .flatMap((r: any, i: number) => (goSeconds(r.timeouts?.request) === 0 ? [] : [`HTTPRoute ${o.metadata.namespace}/${o.metadata.name} rule ${i}: timeouts.request ${r.timeouts?.request ?? 'unset'} (Envoy's default: ${ENVOY_ROUTE_TIMEOUT.envoyDefaultSeconds} s)`])));
  const cookies = objs.filter((o) => o.kind === 'BackendTrafficPolicy' && o.spec.loadBalancer?.consistentHash?.type === 'Cookie').flatMap((o) => {
    const ttl = o.spec.loadBalancer.consistentHash.cookie?.ttl;
    return goSeconds(ttl) === 0 ? [] : [`BackendTrafficPolicy ${o.metadata.namespace}/${o.metadata.name}: cookie ttl ${ttl ?? 'unset (Envoy sets no cookie)'} is not a session cookie`];
  });
  return [...routes, ...cookies];
}

describe('the routes\' timeouts and affinity cookie against Envoy and Envoy Gateway', () => {
  const every = objects.map((m) => m.object) as any[];

  it('turns Envoy\'s 15 s limit on a whole request off on every backend rule, and makes every affinity cookie a session cookie', () => {
    expect(every.filter((o) => o.kind === 'BackendTrafficPolicy' && o.spec.loadBalancer?.consistentHash?.cookie).length).toBeGreaterThan(0);
    expect(trafficProblems(every)).toEqual([]);
  });

  it('fails on a seeded rule without a request timeout and a seeded cookie without a TTL', () => {
    const seeded = [
      { kind: 'HTTPRoute', metadata: { namespace: 'n', name: 'r' }, spec: { rules: [{ backendRefs: [{ name: 's', port: 80 }] }] } },
      { kind: 'BackendTrafficPolicy', metadata: { namespace: 'n', name: 'p' }, spec: { loadBalancer: { type: 'ConsistentHash', consistentHash: { type: 'Cookie', cookie: { name: 'C' } } } } },
      { kind: 'BackendTrafficPolicy', metadata: { namespace: 'n', name: 'q' }, spec: { loadBalancer: { type: 'ConsistentHash', consistentHash: { type: 'Cookie', cookie: { name: 'C', ttl: '1h' } } } } },
    ];
    expect(trafficProblems(seeded)).toEqual([
      'HTTPRoute n/r rule 0: timeouts.request unset (Envoy\'s default: 15 s)',
      'BackendTrafficPolicy n/p: cookie ttl unset (Envoy sets no cookie) is not a session cookie',
      'BackendTrafficPolicy n/q: cookie ttl 1h is not a session cookie',
    ]);
  });
});

const haveMirror = hasMirror(ENVOY_GATEWAY_RELEASE.repo);
if (!haveMirror) console.warn(`SKIPPED: ${mirrorOf(ENVOY_GATEWAY_RELEASE.repo)} not found; the Envoy Gateway contract is not compared with the release's files`);
(haveMirror ? describe : describe.skip)('the contract\'s facts in the release\'s own files', () => {
  const show = (ref: string, file: string) => showAt({ repo: ENVOY_GATEWAY_RELEASE.repo, ref, path: file });

  it('finds each rule\'s resources and verbs in the chart template it names (the define\'s block)', () => {
    const problems = ENVOY_GATEWAY_GRANTS.flatMap((g) => g.rules.flatMap((r) => {
      const text = show(r.source.ref, r.source.path);
      const block = r.source.note ? text.slice(text.indexOf(`define "${r.source.note}"`), text.indexOf('{{- end }}', text.indexOf(`define "${r.source.note}"`))) : text;
      if (r.source.note && !text.includes(`define "${r.source.note}"`)) return [`${r.source.path}: no define ${r.source.note}`];
      return [...r.resources, ...r.verbs, ...r.apiGroups.filter((a) => a !== '')].filter((word) => !new RegExp(`- ${word.replace(/[./]/g, '\\$&')}\\s`).test(`${block}\n`))
        .map((word) => `${r.source.path} ${r.source.note ?? ''}: ${word} not found`);
    }));
    expect(problems).toEqual([]);
  });

  it('finds the environment, command line, paths and probe port where the contract says', () => {
    for (const e of ENVOY_GATEWAY_ENV) expect(show(e.source.ref, e.source.path)).toContain(`"${e.name}"`);
    expect(show(ENVOY_GATEWAY_ARGS.source.ref, ENVOY_GATEWAY_ARGS.source.path)).toContain(ENVOY_GATEWAY_ARGS.args[1].replace(/=.*/, ''));
    expect(show(ENVOY_GATEWAY_CERTGEN_COMMAND.source.ref, ENVOY_GATEWAY_CERTGEN_COMMAND.source.path)).toContain(`"${ENVOY_GATEWAY_CERTGEN_COMMAND.args[0].slice(2)}"`);
    for (const p of ENVOY_GATEWAY_PATHS) expect(show(p.source.ref, p.source.path)).toContain(p.path);
    expect(show(ENVOY_GATEWAY_PROBES.source.ref, ENVOY_GATEWAY_PROBES.source.path)).toContain(`":${ENVOY_GATEWAY_PROBES.port}"`);
    expect(show(ENVOY_GATEWAY_USER.source.ref, ENVOY_GATEWAY_USER.source.path)).toContain(`USER ${ENVOY_GATEWAY_USER.uid}:${ENVOY_GATEWAY_USER.gid}`);
  });

  it('finds each controller port as the constant it names, and the Secret and Service names the program fixes', () => {
    for (const { port, constant, source } of Object.values(ENVOY_GATEWAY_CONTROLLER_PORTS)) {
      expect(show(source.ref, source.path)).toMatch(new RegExp(`\\b${constant}\\s*=\\s*${port}\\b`));
    }
    const { certsSecret, service } = ENVOY_GATEWAY_FIXED_NAMES;
    expect(show(service.source.ref, service.source.path)).toMatch(new RegExp(`EnvoyGatewayServiceName\\s*=\\s*"${service.name}"`));
    // CertsToSecret's first Secret: the control plane's own certificate
    const secrets = show(certsSecret.source.ref, certsSecret.source.path);
    const body = secrets.slice(secrets.indexOf('func CertsToSecret('));
    expect(body.match(/"([a-z-]+)"/)?.[1]).toBe(certsSecret.name);
  });

  it('finds the proxies\' listener port shift and Service port names the ingress policies and NodePort patch rely on', () => {
    const { source, shift, serviceName } = ENVOY_GATEWAY_LISTENER_PORTS;
    expect(show(source.ref, source.path)).toMatch(new RegExp(`wellKnownPortShift\\s*=\\s*${shift}\\b`));
    expect(show(source.ref, 'internal/gatewayapi/listener.go')).toContain('return servicePort + wellKnownPortShift');
    expect(show(source.ref, 'internal/gatewayapi/helpers.go')).toMatch(/func irListenerPortName\(proto ir\.ProtocolType, port int32\) string \{\s*return strings\.ToLower\(fmt\.Sprintf\("%s-%d", proto, port\)\)/);
    expect(serviceName('HTTPS', 443)).toBe('https-443');
  });

  it('finds the proxies\' pod labels (what every backend admits ingress traffic by) and the GatewayClass controller name in the release', () => {
    const resource = show(ENVOY_GATEWAY_LISTENER_PORTS.source.ref, 'internal/infrastructure/kubernetes/proxy/resource.go');
    const appLabel = resource.slice(resource.indexOf('func EnvoyAppLabel()'), resource.indexOf('}', resource.indexOf('func EnvoyAppLabel()')));
    const labels = Object.entries(INGRESS_PLACEMENTS['envoy-gateway'].podLabels ?? {});
    expect(labels.length).toBeGreaterThan(0);
    for (const [k, v] of labels) expect(appLabel).toMatch(new RegExp(`"${k.replace(/[./]/g, '\\$&')}":\\s*"${v}"`));
    expect(show(ENVOY_GATEWAY_LISTENER_PORTS.source.ref, 'api/v1alpha1/envoygateway_types.go')).toMatch(new RegExp(`GatewayControllerName\\s*=\\s*"${ENVOY_GATEWAY_CONTROLLER_NAME}"`));
  });

  it('finds that routes go to the endpoints unless routingType says Service', () => {
    const text = show(ENVOY_GATEWAY_ROUTING.source.ref, ENVOY_GATEWAY_ROUTING.source.path);
    expect(text).toContain('Default: Endpoint routing');
    expect(text).toMatch(/RoutingType == egv1a1\.ServiceRoutingType \{\s*return true/);
  });
  it('finds that a rule\'s request timeout, 0 included, becomes the route\'s timeout, and that none is set without one', () => {
    const gw = show(ENVOY_ROUTE_TIMEOUT.gateway.ref, ENVOY_ROUTE_TIMEOUT.gateway.path);
    const process = gw.slice(gw.indexOf('func processRouteTimeout('), gw.indexOf('\nfunc ', gw.indexOf('func processRouteTimeout(') + 1));
    expect(process).toMatch(/if rule\.Timeouts\.Request != nil \{\s*d, err := time\.ParseDuration\(string\(\*rule\.Timeouts\.Request\)\)/);
    expect(process).toContain('irRoute.Timeout = ir.MetaV1DurationPtr(d)');
    expect(gw).toMatch(new RegExp(`HTTPRequestTimeout = "${ENVOY_ROUTE_TIMEOUT.envoyDefaultSeconds}s"`));
    const xds = show(ENVOY_ROUTE_TIMEOUT.translator.ref, ENVOY_ROUTE_TIMEOUT.translator.path);
    expect(xds).toMatch(/rt := getEffectiveRequestTimeout\(httpRoute\)\s*if rt != nil \{\s*router\.GetRoute\(\)\.Timeout = durationpb\.New\(rt\.Duration\)/);
    // the BackendTrafficPolicy's stream idle timeout is the route's idle timeout, ahead of the fallback
    const idle = xds.slice(xds.indexOf('func idleTimeout('));
    expect(idle.indexOf('httpRoute.Traffic.Timeout.HTTP.StreamIdleTimeout != nil')).toBeLessThan(idle.indexOf('getEffectiveRequestTimeout(httpRoute)'));
  });

  it('finds that the policy\'s cookie, TTL included, becomes the route\'s hash policy whenever a TTL is given', () => {
    const { gatewayPolicy, gatewayXds } = ENVOY_SESSION_COOKIE;
    expect(show(gatewayPolicy.ref, gatewayPolicy.path)).toMatch(/case egv1a1\.CookieConsistentHashType:\s*consistentHash\.Cookie = policy\.ConsistentHash\.Cookie/);
    expect(show(gatewayXds.ref, gatewayXds.path)).toMatch(/if ch\.Cookie\.TTL != nil \{\s*d, err := time\.ParseDuration\(string\(\*ch\.Cookie\.TTL\)\)[\s\S]{0,80}?hashPolicy\.GetCookie\(\)\.Ttl = durationpb\.New\(d\)/);
  });
});
