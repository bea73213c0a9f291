/**
 * The HTTPRoutes of the envoy-gateway render against the NetworkPolicies: Envoy Gateway v1.9.0
 * sends a route's traffic straight to the backend Service's endpoints (the pods, on the Service
 * port's targetPort: ENVOY_GATEWAY_ROUTING), so each backend pod must be reachable from the
 * proxies' pods, through the proxies' egress and the backend's ingress. The proxies' egress is built from the connections
 * declared from the ingress controller; a route whose connection nobody declared is cut off.
 */
import { INGRESS_PLACEMENTS } from '../../../config';
import { ENVOY_GATEWAY_ROUTING } from '../../../config/contracts/envoy-gateway';
import { ofKind, renderManifests, selectorMatches, workloads } from '../../support/k8s-manifests';
import type { ManifestObject } from '../../support/k8s-manifests';
import { flowText, NetworkPolicyEvaluator } from '../../support/network-policy';
import type { Flow, NetworkPolicy, PodEndpoint } from '../../support/network-policy';

const EG = { versions: { track: 'kpaas-1.7.0' as const }, ingress: { controller: 'envoy-gateway' as const } };

/**
 * Pod labels a program sets on its own pods at run time, which a Service may select: the pod
 * template cannot carry them, so a selector on them matches the template's pods.
 */
const RUNTIME_LABELS: Readonly<Record<string, string>> = {
  'openbao-active': 'openbao/openbao@v2.6.2:serviceregistration/kubernetes: each server labels its own pod active or standby',
};

interface ServicePort { readonly port: number; readonly targetPort?: number | string; readonly name?: string }
interface Service { readonly metadata: { name: string; namespace: string }; readonly spec: { selector?: Record<string, string>; ports: ServicePort[] } }
interface BackendRef { readonly name: string; readonly namespace?: string; readonly kind?: string; readonly group?: string; readonly port: number }
interface HttpRoute { readonly metadata: { name: string; namespace: string }; readonly spec: { rules: Array<{ backendRefs?: BackendRef[] }> } }

/** The proxies' pod as Envoy Gateway v1.9.0 labels it (INGRESS_PLACEMENTS, its EnvoyAppLabel). */
function proxyPod(): PodEndpoint {
  const placement = INGRESS_PLACEMENTS['envoy-gateway'];
  return { kind: 'pod', name: `${placement.namespace}/envoy`, namespace: placement.namespace, labels: { ...placement.podLabels }, ip: '10.233.64.10', ports: [] };
}

/** Every (route, backend pod, container port) the proxies connect to, or why it cannot be resolved. */
function backendFlows(objects: readonly ManifestObject[]): { flows: Array<{ route: string; flow: Flow }>; unresolved: string[] } {
  const services = ofKind<Service>(objects, 'Service', 'v1').map(({ object }) => object);
  const pods = workloads(objects);
  const from = proxyPod();
  const flows: Array<{ route: string; flow: Flow }> = [];
  const unresolved: string[] = [];
  ofKind<HttpRoute>(objects, 'HTTPRoute', 'gateway.networking.k8s.io/v1').forEach(({ object: route }, r) => {
    const id = `HTTPRoute ${route.metadata.namespace}/${route.metadata.name}`;
    for (const ref of route.spec.rules.flatMap((rule) => rule.backendRefs ?? [])) {
      const namespace = ref.namespace ?? route.metadata.namespace;
      const service = services.find((s) => s.metadata.namespace === namespace && s.metadata.name === ref.name);
      const port = service?.spec.ports.find((p) => p.port === ref.port);
      if (!service || !port) { unresolved.push(`${id}: no Service ${namespace}/${ref.name} with port ${ref.port}`); continue; }
      const selector = Object.fromEntries(Object.entries(service.spec.selector ?? {}).filter(([k]) => !(k in RUNTIME_LABELS)));
      const backends = pods.filter((w) => w.namespace === namespace && service.spec.selector && selectorMatches({ matchLabels: selector }, w.podLabels));
      if (backends.length === 0) unresolved.push(`${id}: Service ${namespace}/${ref.name} selects no pod`);
      backends.forEach((w, i) => {
        const containerPorts = (w.podSpec.containers ?? []).flatMap((c) => c.ports ?? []);
        const target = port.targetPort ?? port.port;
        const containerPort = typeof target === 'number' ? target : containerPorts.find((p) => p.name === target)?.containerPort;
        if (containerPort === undefined) { unresolved.push(`${id}: ${w.namespace}/${w.name} has no container port ${target}`); return; }
        const to: PodEndpoint = { kind: 'pod', name: `${w.namespace}/${w.name}`, namespace: w.namespace, labels: w.podLabels, ip: `10.233.65.${(r * 16 + i) % 250 + 1}`, ports: [] };
        flows.push({ route: id, flow: { from, to, port: containerPort, protocol: 'TCP' } });
      });
    }
  });
  return { flows, unresolved };
}

function blockedFlows(objects: readonly ManifestObject[], policies: readonly NetworkPolicy[]): string[] {
  const evaluator = new NetworkPolicyEvaluator(policies);
  const { flows, unresolved } = backendFlows(objects);
  return [...unresolved, ...flows.flatMap(({ route, flow }) => {
    const v = evaluator.evaluate(flow);
    if (v.allowed) return [];
    const sides = [!v.egress.allowed && 'the proxies\' egress', !v.ingress.allowed && 'the backend\'s ingress'].filter(Boolean).join(' and ');
    return [`${route}: ${flowText(flow)} blocked by ${sides}`];
  })];
}

describe('the Gateway\'s routes and the NetworkPolicies (envoy-gateway)', () => {
  const { objects } = renderManifests(EG);
  const policies = ofKind<NetworkPolicy>(objects, 'NetworkPolicy', 'networking.k8s.io/v1').map(({ object }) => object);

  it('leaves the routing type to Envoy Gateway\'s default (endpoints), which the flows below model', () => {
    expect(ENVOY_GATEWAY_ROUTING.to).toBe('endpoints');
    const kinds = new Set(['EnvoyProxy', 'BackendTrafficPolicy']);
    expect(objects.filter(({ object }) => kinds.has(object.kind) && (object.spec as { routingType?: string }).routingType !== undefined).map(({ object }) => object.metadata.name)).toEqual([]);
  });

  it('has routes to check, one backend flow at least per platform host', () => {
    expect(backendFlows(objects).flows.length).toBeGreaterThanOrEqual(5);
  });

  it('lets the proxies reach every backend pod of every HTTPRoute, in both directions', () => {
    expect(blockedFlows(objects, policies)).toEqual([]);
  });

  it('fails when a route\'s backend is not among the proxies\' egress (seeded: OpenBao\'s rule removed)', () => {
    const proxies = INGRESS_PLACEMENTS['envoy-gateway'];
    const seeded = policies.map((p) => (p.metadata.namespace === proxies.namespace && p.metadata.name === `${proxies.gateway!.name}-proxy`
      ? { ...p, spec: { ...p.spec, egress: (p.spec.egress ?? []).filter((rule) => !JSON.stringify(rule.to).includes('"openbao"')) } } : p));
    expect(blockedFlows(objects, seeded).join('\n')).toMatch(/HTTPRoute openbao\/openbao: .* blocked by the proxies' egress/);
  });
});
