/**
 * Every object of every file in dist/manifests, for the default config and a bigger one, against
 * the Kubernetes 1.32 schema (strictly: unknown fields are errors), kubernetes-models' enums, and
 * its CRD's openAPIV3Schema for custom resources. Plus determinism of the whole dist.
 */
import { parseConfig, type KpaasConfigInput } from '../../config';
import { renderAll } from '../../cli/render';
import { renderedDist } from '../support/rendered';
import { describeObject, renderManifests } from '../support/k8s-manifests';
import type { RenderedManifests } from '../support/k8s-manifests';
import { CRD_SOURCES, K8S_DEFINITIONS_FILE, K8sValidator, missingCrdSources } from '../support/k8s-validate';

const validator = K8sValidator.fromShared();
if (!validator.hasDefinitions) {
  console.warn(`SKIPPED: ${K8S_DEFINITIONS_FILE} not found; the strict Kubernetes schema check of dist/manifests does not run`);
}
const withDefinitions = validator.hasDefinitions ? it : it.skip;
const missingCrds = missingCrdSources();
if (missingCrds.length > 0) {
  console.warn(`SKIPPED: ${missingCrds.join(', ')} not found; custom resources of those CRDs cannot be validated, so the CRD and kind checks do not run`);
}
const withCrds = missingCrds.length === 0 ? it : it.skip;

const BIGGER = {
  nodes: { workers: { count: 5, ipRange: '172.16.0.20-172.16.0.40' } },
  metallb: { extraRanges: ['172.16.0.100-172.16.0.120'] },
};
const CONFIGS = [
  { title: 'default config', input: {} },
  { title: 'bigger config (5 workers from a range, an extra MetalLB range)', input: BIGGER },
  {
    // the counts and names the charts derive: more replicas than workers, another realm and domain
    title: 'scaled config (1 worker, 5 OpenBao servers, 3 Keycloak replicas, other domain and realm)',
    input: { domain: 'paas.example.org', nodes: { workers: { ips: ['172.16.0.12'] } }, openbao: { replicas: 5 }, identity: { keycloakReplicas: 3, realm: 'acme' } },
  },
  {
    // Gateway API and Envoy Gateway objects against the CRDs the output itself installs
    title: 'envoy-gateway config (track kpaas-1.7.0, ingress.controller envoy-gateway)',
    input: { versions: { track: 'kpaas-1.7.0' }, ingress: { controller: 'envoy-gateway' } },
  },
];

/** Each config is rendered once for the whole file (determinism renders afresh, below). */
const rendered = new Map<object, RenderedManifests>();
function render(input: object): RenderedManifests {
  if (!rendered.has(input)) rendered.set(input, renderManifests(input));
  return rendered.get(input) as RenderedManifests;
}

describe.each(CONFIGS)('dist/manifests schema ($title)', ({ input }) => {
  let out: RenderedManifests;
  beforeAll(() => {
    out = render(input);
  });

  it('has at least one manifest file with objects in it, so the checks below are not vacuous', () => {
    expect(out.files.size).toBeGreaterThan(0);
    const empty = [...out.files.keys()].filter((file) => !out.objects.some((o) => o.file === file));
    expect(empty).toEqual([]);
  });

  withDefinitions('matches the Kubernetes 1.32 schema strictly (no unknown fields, required fields present, right types)', () => {
    expect(validator.validateAll(out.objects, ['schema'])).toEqual([]);
  });

  it('passes kubernetes-models validation (enum values, formats)', () => {
    expect(validator.validateAll(out.objects, ['kubernetes-models'])).toEqual([]);
  });

  withCrds(`matches its CRD for every custom resource (CRDs from ${CRD_SOURCES.map((s) => s.replace(/^.*\/shared\//, '../shared/')).join(', ')})`, () => {
    expect(validator.validateAll(out.objects, ['crd'])).toEqual([]);
  });

  withCrds('holds only kinds that are Kubernetes built-ins or defined by a known CRD', () => {
    expect(validator.validateAll(out.objects, ['kind'])).toEqual([]);
  });

  withCrds('is validated by some check for every object (none silently skipped)', () => {
    const unchecked = out.objects.filter((m) => !validator.isBuiltIn(m.object.apiVersion, m.object.kind)
      && !validator.crdFor(m.object.apiVersion, m.object.kind));
    expect(unchecked.map(describeObject)).toEqual([]);
  });
});

describe('the Gateway API and Envoy Gateway objects', () => {
  const input = CONFIGS[3].input;
  const crds = new K8sValidator();
  const seeded = (kind: string, change: (o: any) => void) => {
    const out = render(input);
    const objects = out.objects.map((m) => (m.object.kind === kind ? { ...m, object: JSON.parse(JSON.stringify(m.object)) } : m));
    objects.filter((m) => m.object.kind === kind).forEach((m) => change(m.object));
    return crds.validateAll(objects, ['crd']).filter((i) => i.includes(kind));
  };

  it('are in the output with the CRDs that define them (installed by the output itself)', () => {
    const kinds = new Set(render(input).objects.map((m) => m.object.kind));
    for (const k of ['GatewayClass', 'Gateway', 'ListenerSet', 'HTTPRoute', 'BackendTLSPolicy', 'EnvoyProxy', 'BackendTrafficPolicy', 'CustomResourceDefinition']) expect(kinds).toContain(k);
  });

  it('fails a seeded defect in each against its CRD schema (unknown field, wrong enum, missing field)', () => {
    expect(seeded('HTTPRoute', (o) => { o.spec.rules[0].timeouts = { requets: '0s' }; })).toEqual(expect.arrayContaining([expect.stringContaining('timeouts.requets: unknown field [crd]')]));
    expect(seeded('BackendTrafficPolicy', (o) => { o.spec.timeout.http.streamIdleTimout = '1s'; })).toEqual(expect.arrayContaining([expect.stringContaining('streamIdleTimout: unknown field [crd]')]));
    expect(seeded('ListenerSet', (o) => { o.spec.listeners[0].tls.mode = 'Terminated'; })).toEqual(expect.arrayContaining([expect.stringContaining('tls.mode: must be one of')]));
    expect(seeded('EnvoyProxy', (o) => { delete o.spec.provider.type; })).toEqual(expect.arrayContaining([expect.stringContaining('provider.type: required field is missing [crd]')]));
  });
});

describe('the bigger config', () => {
  it('changes the manifests (so its test covers output the default does not)', () => {
    expect(render(BIGGER).files).not.toEqual(render(CONFIGS[0].input).files);
  });
});

describe('determinism', () => {
  it.each(CONFIGS)('renders the whole dist identically twice ($title)', ({ input }) => {
    // the run's shared render (made by whichever file asked first, maybe in another worker) and a fresh one
    const first = renderedDist(input as KpaasConfigInput);
    const second = renderAll(parseConfig(input), { outDir: 'dist', projectDir: '.' });
    expect([...second.keys()]).toEqual([...first.keys()]);
    for (const [file, f] of first) expect({ file, ...second.get(file) }).toEqual({ file, ...f });
  });
});
