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
