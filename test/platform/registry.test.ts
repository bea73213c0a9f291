/**
 * Adding a platform service is one folder and one line in platform/index.ts: a minimal fake service
 * registered beside the real ones is found by every consumer of the registry.
 */
import type { Construct } from 'constructs';
import { parse, parseAllDocuments } from 'yaml';
import { renderAll } from '../../cli/render';
import { parseConfig, type PlatformConfig } from '../../config';
import { INGRESS, podsPeer } from '../../config/contracts/connections';
import {
  OPENBAO_CLIENT_ACCOUNT, PlatformChart, PlatformWorkload, PodSecurityLevel, podSecurityContext, ServiceAddress, ServiceEndpoint,
} from '../../constructs/k8s';
import type { PlatformService, ServiceChartContext } from '../../constructs/platform-service';
import { ingressCertificate, pw, tlsKeys } from '../../constructs/secret-spec';
import { activeServices, openbaoRequests, PLATFORM_SERVICES, platformConnections, platformServicesMarkdown, serviceNamespaces } from '../../platform';
import { secretCatalog } from '../../secrets/catalog';
import { imagesIn } from '../support/manifests';

const NS = 'demo';
const SELECTOR = { 'app.kubernetes.io/name': 'demo' };
const ADDRESS = new ServiceAddress({ name: 'demo', namespace: NS, ports: [{ name: 'http', port: 8080 }] });

class DemoChart extends PlatformChart {
  public constructor(scope: Construct, id: string, context: ServiceChartContext) {
    super(scope, id, { config: context.config, component: 'demo', version: '1.0.0', namespace: NS });
    new ServiceEndpoint(this, 'service', { address: ADDRESS, selector: SELECTOR });
    new PlatformWorkload(this, 'server', {
      name: 'demo', selector: SELECTOR, securityContext: podSecurityContext(1000),
      containers: [{ name: 'demo', image: 'docker.io/library/nginx:1.27', ports: [{ name: 'http', containerPort: 8080 }] }],
      networkPolicy: { connections: context.connections, config: context.config },
    });
  }
}

const DEMO: PlatformService = {
  name: 'demo',
  title: 'Demo',
  manifest: '80-demo',
  namespace: { name: NS, podSecurity: PodSecurityLevel.RESTRICTED },
  hosts: (config: PlatformConfig) => [{ name: `demo.${config.domain}`, reach: `\`https://demo.${config.domain}\`` }],
  endpoints: { http: ADDRESS },
  secrets: (config) => ({
    certificates: [ingressCertificate('demo', `demo.${config.domain}`)],
    secrets: [
      { name: 'demo-tls', namespace: NS, type: 'kubernetes.io/tls', description: 'TLS of demo', keys: tlsKeys('demo') },
      { name: 'demo-auth', namespace: NS, type: 'Opaque', description: 'Demo login', keys: { password: pw() } },
    ],
  }),
  openbao: { boundServiceAccounts: [OPENBAO_CLIENT_ACCOUNT] },
  connections: () => [{
    component: 'demo', name: 'ingress -> demo', from: INGRESS, to: podsPeer(NS, SELECTOR), port: 8080, protocol: 'TCP',
    why: 'the demo UI', opens: { unverified: 'a fake service of the test' },
  }],
  images: () => ['docker.io/library/nginx:1.27'],
  chart: (scope, context) => new DemoChart(scope, DEMO.manifest, context),
};

describe('the platform services registry', () => {
  const config = parseConfig({});
  const services = [...PLATFORM_SERVICES, DEMO];
  const files = renderAll(config, { outDir: 'dist', projectDir: '.', services });
  const text = (p: string) => files.get(p)?.content ?? '';
  const objects = (p: string) => parseAllDocuments(text(p)).map((d) => d.toJS());

  it('lists the real services in apply order, each with its own namespace and manifest', () => {
    expect(PLATFORM_SERVICES.map((s) => s.manifest)).toEqual(['10-metallb', '15-envoy-gateway', '20-nfs-storage', '30-keycloak', '40-openbao', '50-harbor', '60-chartmuseum', '70-portal']);
    expect(serviceNamespaces(PLATFORM_SERVICES).map((n) => n.name)).toEqual(['envoy-gateway-system', 'nfs-provisioner', 'keycloak', 'openbao', 'harbor', 'chartmuseum', 'cp-portal']);
  });

  it('runs Envoy Gateway only with ingress.controller envoy-gateway: the other services always', () => {
    const names = (input: object) => activeServices(PLATFORM_SERVICES, parseConfig(input)).map((s) => s.name);
    expect(names({})).toEqual(['metallb', 'nfs-storage', 'keycloak', 'openbao', 'harbor', 'chartmuseum', 'portal']);
    expect(names({ versions: { track: 'kpaas-1.7.0' }, ingress: { controller: 'envoy-gateway' } }))
      .toEqual(['metallb', 'envoy-gateway', 'nfs-storage', 'keycloak', 'openbao', 'harbor', 'chartmuseum', 'portal']);
  });

  it('puts the new service\'s manifest in dist and in the kustomization, after the others', () => {
    expect(objects('manifests/kustomization.yaml')[0].resources.slice(-2)).toEqual(['70-portal.yaml', '80-demo.yaml']);
    expect(objects('manifests/80-demo.yaml').map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['Service/demo', 'ServiceAccount/demo', 'Deployment/demo', 'NetworkPolicy/demo']);
  });

  it('creates its namespace with its Pod Security level, default-deny and the OpenBao client path', () => {
    const ns = objects('manifests/00-namespaces.yaml').filter((o) => o.metadata.name === NS || o.metadata.namespace === NS);
    expect(ns.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(expect.arrayContaining(['Namespace/demo', 'NetworkPolicy/default-deny', `ServiceAccount/${OPENBAO_CLIENT_ACCOUNT}`]));
    expect(ns.find((o) => o.kind === 'Namespace').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
  });

  it('derives its NetworkPolicy from its connections', () => {
    const policy = objects('manifests/80-demo.yaml').find((o) => o.kind === 'NetworkPolicy');
    expect(policy.spec.ingress).toEqual([{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }], ports: [{ protocol: 'TCP', port: 8080 }] }]);
    expect(platformConnections(services, config).filter((c) => c.component === 'demo' || c.component === NS).map((c) => c.name))
      .toEqual(['demo pods -> dns (UDP)', 'demo pods -> dns (TCP)', 'ingress -> demo']);
  });

  it('resolves its host to the ingress IP on the nodes and in the cluster DNS', () => {
    expect(parse(text('ansible/inventory/group_vars/k8s_cluster/k8s-cluster.yml')).dns_etchosts).toMatch(/ demo\.k-paas\.io\n$/);
    expect(parse(text('ansible/inventory/group_vars/all/kpaas.yml')).kpaas_platform_hostnames).toContain('demo.k-paas.io');
  });

  it('has a row in the services table and a DNS entry', () => {
    const markdown = platformServicesMarkdown(config, services);
    expect(markdown).toContain('| Demo | demo.k-paas.io | demo | none | `https://demo.k-paas.io` |');
    expect(markdown).toContain('<worker LB public IP>  demo.k-paas.io');
  });

  it('is drawn in the architecture with its host, the ingress forwarding to it', () => {
    const dot = text('architecture.dot');
    expect(dot).toContain('<TR><TD ALIGN="LEFT" PORT="demo">Demo</TD><TD ALIGN="LEFT">demo.k-paas.io</TD></TR></TABLE>');
    expect(dot).toContain('"ingress" -> "services" [headport="demo"];');
    expect(dot).toContain('\\ndemo.k-paas.io -> worker LB public IP\\n');
  });

  it('gets its Secrets and certificate from kpaas secrets', () => {
    const catalog = secretCatalog(config, services);
    expect(catalog.secrets.filter((s) => s.namespace === NS).map((s) => s.name)).toEqual(['demo-tls', 'demo-auth']);
    expect(catalog.certificates.map((c) => c.name)).toContain('demo');
  });

  it('gets an OpenBao Kubernetes auth role binding its declared account', () => {
    expect(openbaoRequests(services).boundServiceAccounts.get(NS)).toEqual([OPENBAO_CLIENT_ACCOUNT]);
    const stack = JSON.parse(text('terraform/openbao-config/cdk.tf.json'));
    const roles = Object.values(stack.resource.vault_kubernetes_auth_backend_role) as Array<{ role_name: string; bound_service_account_names: string[] }>;
    expect(roles.find((r) => r.role_name === NS)?.bound_service_account_names).toEqual([OPENBAO_CLIENT_ACCOUNT]);
  });

  it('fails on a second service with the same manifest or namespace', () => {
    expect(() => renderAll(config, { outDir: 'dist', projectDir: '.', services: [...services, { ...DEMO, name: 'demo2', namespace: { ...DEMO.namespace!, name: 'demo2' } }] }))
      .toThrow('platform services: manifest 80-demo is used twice');
    expect(() => serviceNamespaces([DEMO, { ...DEMO, manifest: '81-demo' }])).toThrow('platform services: namespace demo is declared by two services');
  });
});

describe.each([
  ['ingress-nginx', {}],
  ['envoy-gateway', { versions: { track: 'kpaas-1.7.0' }, ingress: { controller: 'envoy-gateway' } }],
] as const)('each service\'s declared images (%s)', (_controller, input) => {
  const config = parseConfig(input);
  const files = renderAll(config, { outDir: 'dist', projectDir: '.' });

  it.each(activeServices(PLATFORM_SERVICES, config).map((s) => [s.name, s] as const))('%s: are exactly the images its manifest runs', (_name, service) => {
    const yaml = files.get(`manifests/${service.manifest}.yaml`)?.content ?? '';
    expect([...new Set(service.images(config))].sort()).toEqual(imagesIn(yaml));
  });
});
