/**
 * Envoy Gateway's chart and what changes in dist with `ingress.controller: envoy-gateway`: the
 * controller and Gateway objects, the MetalLB pool and the proxies' Service, the routing objects of
 * the services, and the snapshot of every part that differs from the ingress-nginx render.
 */
import { parse } from 'yaml';
import { renderAll } from '../../../cli/render';
import { parseConfig } from '../../../config';
import { find, manifestFiles, objectsOf } from '../../support/manifests';

const EG = { versions: { track: 'kpaas-1.7.0' as const }, ingress: { controller: 'envoy-gateway' as const } };
const NGINX = { versions: { track: 'kpaas-1.7.0' as const } };
const ROUTING_KINDS = new Set(['Ingress', 'ListenerSet', 'HTTPRoute', 'BackendTrafficPolicy', 'BackendTLSPolicy']);

describe('Envoy Gateway chart', () => {
  const objects = objectsOf(manifestFiles(EG).get('15-envoy-gateway.yaml')!);

  it('gives the proxies\' Service the ingress IP and the NodePorts the worker LB targets, on every worker', () => {
    const input = { ...EG, ingress: { ...EG.ingress, ip: '172.16.0.202', httpNodePort: 30080, httpsNodePort: 30443 } };
    const service = find(objectsOf(manifestFiles(input).get('15-envoy-gateway.yaml')!), 'EnvoyProxy', 'kpaas-proxy').spec.provider.kubernetes.envoyService;
    expect(service).toMatchObject({ type: 'LoadBalancer', externalTrafficPolicy: 'Cluster', annotations: { 'metallb.io/loadBalancerIPs': '172.16.0.202' } });
    expect(service.patch.value.spec.ports.map((p: any) => [p.port, p.nodePort])).toEqual([[80, 30080], [443, 30443]]);
  });

  it('offers the ingress pool to Envoy Gateway\'s namespace, where the proxies\' Service is', () => {
    const pool = find(objectsOf(manifestFiles(EG).get('10-metallb.yaml')!), 'IPAddressPool', 'envoy-gateway');
    expect(pool.spec).toEqual({ addresses: ['172.16.0.201/32'], autoAssign: true, serviceAllocation: { namespaces: ['envoy-gateway-system'] } });
  });

  it('admits the HTTPS listeners of the namespaces with platform hosts, and redirects plain HTTP', () => {
    const gateway = find(objects, 'Gateway', 'kpaas');
    expect(gateway.spec.allowedListeners.namespaces.selector.matchExpressions[0].values).toEqual(['keycloak', 'openbao', 'harbor', 'chartmuseum', 'cp-portal']);
    expect(gateway.spec.listeners).toEqual([{ name: 'http', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'Same' } } }]);
    expect(find(objects, 'HTTPRoute', 'kpaas-https-redirect').spec.rules).toEqual([{ filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 308 } }] }]);
    expect(find(objects, 'GatewayClass', 'envoy-gateway').spec.parametersRef).toEqual({ group: 'gateway.envoyproxy.io', kind: 'EnvoyProxy', name: 'kpaas-proxy', namespace: 'envoy-gateway-system' });
  });

  it('pulls the proxy and the shutdown manager through the registry mirrors too', () => {
    const mirrored = objectsOf(manifestFiles({ ...EG, images: { mirrors: { 'docker.io': 'registry.example.org/hub' } } }).get('15-envoy-gateway.yaml')!);
    expect(find(mirrored, 'EnvoyProxy', 'kpaas-proxy').spec.provider.kubernetes.envoyDeployment.container.image).toBe('registry.example.org/hub/envoyproxy/envoy:distroless-v1.39.0');
    expect(parse(find(mirrored, 'ConfigMap', 'envoy-gateway-config').data['envoy-gateway.yaml']).provider.kubernetes.shutdownManager.image).toBe('registry.example.org/hub/envoyproxy/gateway:v1.9.0');
  });

  it('runs one proxy with one worker, two with more (with a budget)', () => {
    const one = find(objectsOf(manifestFiles({ ...EG, nodes: { workers: { ips: ['172.16.0.12'] } } }).get('15-envoy-gateway.yaml')!), 'EnvoyProxy', 'kpaas-proxy').spec.provider.kubernetes;
    expect([one.envoyDeployment.replicas, one.envoyPDB]).toEqual([1, undefined]);
    const two = find(objects, 'EnvoyProxy', 'kpaas-proxy').spec.provider.kubernetes;
    expect([two.envoyDeployment.replicas, two.envoyPDB]).toEqual([2, { minAvailable: 1 }]);
  });
});

describe('what differs from the ingress-nginx render (snapshot)', () => {
  const eg = renderAll(parseConfig(EG), { outDir: 'dist', projectDir: '.' });
  const nginx = renderAll(parseConfig(NGINX), { outDir: 'dist', projectDir: '.' });

  it('is the Envoy Gateway manifest, the services\' routing objects, the MetalLB pool, the addons, the installer files and the images', () => {
    const routing = (files: typeof eg) => [...files].filter(([name]) => /^manifests\/[3-7]0-/.test(name))
      .flatMap(([, f]) => objectsOf(f.content).filter((o) => ROUTING_KINDS.has(o.kind)).map((o) => ({ ...o, metadata: { ...o.metadata, labels: undefined } })));
    const only = (a: typeof eg, b: typeof eg) => [...a.keys()].filter((k) => !b.has(k) && !k.includes('-crds/'));
    const changed = [...eg.keys()].filter((k) => nginx.has(k) && nginx.get(k)!.content !== eg.get(k)!.content);
    expect({
      onlyWithEnvoyGateway: only(eg, nginx),
      onlyWithIngressNginx: only(nginx, eg),
      changed,
      envoyGateway: eg.get('manifests/15-envoy-gateway.yaml')!.content,
      routing: routing(eg),
      metallb: objectsOf(eg.get('manifests/10-metallb.yaml')!.content).find((o) => o.kind === 'IPAddressPool' && o.metadata.name === 'envoy-gateway'),
      addons: eg.get('ansible/inventory/group_vars/k8s_cluster/addons.yml')!.content,
      images: eg.get('images.txt')!.content,
    }).toMatchSnapshot();
  });
});
