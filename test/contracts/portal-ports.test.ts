/**
 * The CP-Portal's listen ports: the Services of dist take them from the contract, and the contract
 * holds what each component's own code says at the pinned ref (where a fetched copy of its
 * repository is at hand in ../.mirror).
 */
import { PORTAL_LISTEN_PORTS } from '../../config/contracts';
import { PORTAL_NAMESPACE } from '../../platform/portal';
import { ofKind, renderManifests, workloads } from '../support/k8s-manifests';
import { hasMirror, showAt } from '../support/mirror';

// the K-PaaS installer's Service names, written here again on purpose: the test must not take them from the code it checks
const COMPONENT_SERVICES = {
  ui: 'cp-portal-service',
  api: 'cp-portal-api-service',
  commonApi: 'cp-portal-common-api-service',
  metricsApi: 'cp-portal-metric-api-service',
} as const;

describe('the CP-Portal listen ports', () => {
  const { objects } = renderManifests({});
  const services = ofKind(objects, 'Service').filter((o) => o.object.metadata.namespace === PORTAL_NAMESPACE);
  const pods = workloads(objects).filter((w) => w.namespace === PORTAL_NAMESPACE);

  it.each(Object.entries(COMPONENT_SERVICES))('%s: its Service and the container behind it use the port its code listens on', (component, service) => {
    const want = PORTAL_LISTEN_PORTS[component as keyof typeof COMPONENT_SERVICES].port;
    const spec = services.find((o) => o.object.metadata.name === service)?.object.spec as { selector: Record<string, string>; ports: Array<{ port: number; targetPort: string | number }> };
    expect(spec.ports.map((p) => p.port)).toEqual([want]);
    const behind = pods.filter((w) => Object.entries(spec.selector).every(([k, v]) => w.podLabels[k] === v));
    expect(behind.length).toBe(1);
    const ports = behind[0].podSpec.containers.flatMap((c) => c.ports ?? []);
    const target = spec.ports[0].targetPort;
    expect(ports.find((p) => (typeof target === 'number' ? p.containerPort === target : p.name === target))?.containerPort).toBe(want);
  });
});

const missing = Object.values(PORTAL_LISTEN_PORTS).filter((p) => !hasMirror(p.source.repo)).map((p) => p.source.repo);
if (missing.length > 0) console.warn(`SKIPPED: no fetched copy of ${missing.join(', ')} in ../.mirror; those listen ports are not compared with their code`);

describe('the contract in the components\' code', () => {
  // one test per component, skipped (it.skip, named in the warning above) where its copy is missing
  for (const [component, p] of Object.entries(PORTAL_LISTEN_PORTS)) {
    (missing.includes(p.source.repo) ? it.skip : it)(`${component}: the file at the pinned ref says the port`, () => {
      expect(showAt(p.source)).toContain(p.text);
      expect(p.text).toContain(String(p.port));
    });
  }
});
