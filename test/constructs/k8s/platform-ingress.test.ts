import { Chart, Testing } from 'cdk8s';
import { PlatformIngress } from '../../../constructs/k8s';
import { IntOrString, KubeService } from '../../../imports/k8s';

function build(port: number | string) {
  const app = Testing.app();
  const chart = new Chart(app, 'test', { namespace: 'demo' });
  const service = new KubeService(chart, 'svc', {
    metadata: { name: 'web' },
    spec: { ports: [{ name: 'http', port: 8080, targetPort: IntOrString.fromNumber(8080) }] },
  });
  new PlatformIngress(chart, 'ingress', { controller: 'ingress-nginx', name: 'web', host: 'web.example.org', tlsSecretName: 'web-tls', routes: [{ path: '/', service, port }] });
  return { app, chart };
}

describe('PlatformIngress', () => {
  it('routes the host over TLS with the nginx class and an HTTPS redirect', () => {
    const { chart } = build(8080);
    const ingress = Testing.synth(chart).find((o) => o.kind === 'Ingress');
    expect(ingress.metadata.annotations).toEqual({ 'nginx.ingress.kubernetes.io/ssl-redirect': 'true' });
    expect(ingress.spec).toEqual({
      ingressClassName: 'nginx',
      tls: [{ hosts: ['web.example.org'], secretName: 'web-tls' }],
      rules: [{ host: 'web.example.org', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 8080 } } } }] } }],
    });
  });

  it('routes to a named port', () => {
    const { chart } = build('http');
    const ingress = Testing.synth(chart).find((o) => o.kind === 'Ingress');
    expect(ingress.spec.rules[0].http.paths[0].backend.service.port).toEqual({ name: 'http' });
  });

  it('fails on a route to a port the Service does not expose', () => {
    const { app } = build(9090);
    expect(() => app.synthYaml()).toThrow(/Ingress web: route \/ targets port 9090, which Service web does not expose/);
  });
});

describe('PlatformIngress with envoy-gateway', () => {
  function gateway(traffic?: object, port: number | string = 8080) {
    const app = Testing.app();
    const chart = new Chart(app, 'test', { namespace: 'demo' });
    const service = new KubeService(chart, 'svc', {
      metadata: { name: 'web' },
      spec: { ports: [{ name: 'http', port: 8080, targetPort: IntOrString.fromNumber(8080) }] },
    });
    const make = (name: string, path: string) => new PlatformIngress(chart, name, { controller: 'envoy-gateway', name, host: 'web.example.org', tlsSecretName: 'web-tls', routes: [{ path, service, port }], traffic: traffic as any });
    return { app, chart, make };
  }

  it('gives a host one HTTPS listener however many route groups share it, and resolves named ports', () => {
    const { chart, make } = gateway(undefined, 'http');
    make('web', '/');
    make('web-api', '/api');
    const objects = Testing.synth(chart);
    expect(objects.filter((o) => o.kind === 'ListenerSet').map((o) => o.spec.listeners[0])).toEqual([{
      name: 'https', hostname: 'web.example.org', port: 443, protocol: 'HTTPS',
      tls: { mode: 'Terminate', certificateRefs: [{ group: '', kind: 'Secret', name: 'web-tls' }] },
    }]);
    expect(objects.filter((o) => o.kind === 'HTTPRoute').map((o) => o.spec.rules[0].backendRefs)).toEqual([[{ name: 'web', port: 8080 }], [{ name: 'web', port: 8080 }]]);
    expect(objects.filter((o) => o.kind === 'Ingress')).toEqual([]);
  });

  it('fails on a body limit on a streamed body, which Envoy Gateway cannot express', () => {
    const { make } = gateway({ body: { maxMegabytes: 10, buffered: false } });
    expect(() => make('web', '/')).toThrow('HTTPRoute web: Envoy Gateway limits a request body only by buffering it (BackendTrafficPolicy requestBuffer); a limit on a streamed body cannot be expressed');
  });

  it('fails on an unlimited buffered body, which Envoy Gateway cannot express', () => {
    const { make } = gateway({ body: { maxMegabytes: 0 } });
    expect(() => make('web', '/')).toThrow(/an unlimited buffered body cannot be expressed/);
  });

  it('fails on a route to a named port the Service does not expose', () => {
    const { make } = gateway(undefined, 'grpc');
    expect(() => make('web', '/')).toThrow('HTTPRoute web: route / targets port grpc, which Service web does not expose');
  });
});
