import { Chart, Testing } from 'cdk8s';
import { ServiceAddress, ServiceEndpoint } from '../../../constructs/k8s';

describe('ServiceAddress', () => {
  const api = new ServiceAddress({ name: 'api', namespace: 'shop', ports: [{ name: 'http', port: 80, targetPort: 8080 }, { name: 'admin', port: 9000 }] });

  it('gives every in-cluster form of the address from one declaration', () => {
    expect(api.host).toBe('api.shop.svc');
    expect(api.url('http')).toBe('http://api.shop.svc:80');
    expect(api.address('admin')).toBe('api.shop.svc:9000');
    expect(new ServiceAddress({ name: 'vault', namespace: 'sec', scheme: 'https', ports: [{ name: 'https', port: 8200 }] }).url('https')).toBe('https://vault.sec.svc:8200');
  });

  it('gives policy ports as the container ports (Calico matches after DNAT)', () => {
    const plain = (ports: ReturnType<ServiceAddress['policyPorts']>) => ports.map((p) => ({ protocol: p.protocol, port: p.port?.value }));
    expect(plain(api.policyPorts('http'))).toEqual([{ protocol: 'TCP', port: 8080 }]);
    expect(plain(api.policyPorts())).toEqual([{ protocol: 'TCP', port: 8080 }, { protocol: 'TCP', port: 9000 }]);
  });

  it('fails on a port it does not have, no ports, or a repeated port name', () => {
    expect(() => api.url('grpc')).toThrow('Service api: no port named grpc (has http, admin)');
    expect(() => new ServiceAddress({ name: 'x', namespace: 'n', ports: [] })).toThrow('Service x: needs at least one port');
    expect(() => new ServiceAddress({ name: 'x', namespace: 'n', ports: [{ name: 'a', port: 1 }, { name: 'a', port: 2 }] })).toThrow('Service x: port name a is used twice');
  });
});

describe('ServiceEndpoint', () => {
  const address = new ServiceAddress({ name: 'api', namespace: 'shop', ports: [{ name: 'http', port: 80, targetPort: 8080 }] });

  it('builds the Service of its address, targeting the named container port', () => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'shop' });
    const endpoint = new ServiceEndpoint(chart, 'api', { address, selector: { app: 'api' } });
    expect(Testing.synth(chart)).toEqual([{
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'api', namespace: 'shop' },
      spec: { selector: { app: 'api' }, ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }] },
    }]);
    expect(endpoint.url('http')).toBe('http://api.shop.svc:80');
    expect(endpoint.pods).toEqual({ podSelector: { matchLabels: { app: 'api' } } });
    expect(endpoint.podsFromElsewhere).toEqual({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } }, podSelector: { matchLabels: { app: 'api' } } });
  });

  it('builds a headless Service that lists unready pods, with labels of its own', () => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'shop' });
    new ServiceEndpoint(chart, 'api', { address, selector: { app: 'api' }, headless: true, labels: { tier: 'db' } });
    const [service] = Testing.synth(chart);
    expect(service.metadata.labels).toEqual({ tier: 'db' });
    expect(service.spec).toMatchObject({ clusterIP: 'None', publishNotReadyAddresses: true });
  });

  it('fails when built in a chart of another namespace than its address says', () => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'other' });
    expect(() => new ServiceEndpoint(chart, 'api', { address, selector: { app: 'api' } }))
      .toThrow('Service api: declared in namespace shop, built in a chart of namespace other');
  });
});
