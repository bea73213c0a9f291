/**
 * Every object of dist/gitops against the CRD of the Argo CD or Flux release config/versions.ts
 * pins (test/fixtures/argocd-*, flux-*), as strictly as dist/manifests' custom resources: unknown
 * fields are errors, required fields and patterns are checked.
 */
import { VERSIONS } from '../../config';
import { parseManifestFile } from '../support/k8s-manifests';
import type { ManifestObject } from '../support/k8s-manifests';
import { renderedDist } from '../support/rendered';
import { CRD_SOURCES, K8sValidator, missingCrdSources } from '../support/k8s-validate';

const validator = K8sValidator.fromShared();
const missing = missingCrdSources();
if (missing.length > 0) console.warn(`SKIPPED: ${missing.join(', ')} not found; dist/gitops is not validated against its CRDs`);
const withCrds = missing.length === 0 ? it : it.skip;

const CONFIGS = [
  { title: 'Argo CD', input: { gitops: { tool: 'argocd', repoURL: 'https://git.example.org/platform/prod.git', path: 'clusters/prod/dist', revision: 'main' } } },
  { title: 'Argo CD with Envoy Gateway (folders of CRDs)', input: { versions: { track: 'kpaas-1.7.0' }, ingress: { controller: 'envoy-gateway' }, gitops: { tool: 'argocd', repoURL: 'https://git.example.org/platform/prod.git', path: 'dist', revision: 'main' } } },
  { title: 'Flux over ssh', input: { gitops: { tool: 'flux', repoURL: 'ssh://git@git.example.org/platform/prod.git', path: 'dist', revision: 'refs/tags/v1.0.0' } } },
];

function gitopsObjects(input: object): ManifestObject[] {
  return [...renderedDist(input)].filter(([f]) => f.startsWith('gitops/')).flatMap(([f, { content }]) => parseManifestFile(f, content));
}

describe.each(CONFIGS)('dist/gitops against its CRDs ($title)', ({ input }) => {
  const objects = gitopsObjects(input);

  it('has objects, so the checks below are not vacuous', () => {
    expect(objects.length).toBeGreaterThan(0);
  });

  withCrds(`matches the CRDs (${CRD_SOURCES.filter((s) => /argocd|flux/.test(s)).map((s) => s.replace(/^.*\/test\//, 'test/')).join(', ')})`, () => {
    expect(validator.validateAll(objects)).toEqual([]);
  });

  withCrds('is validated by a CRD for every object (none silently skipped)', () => {
    expect(objects.filter((m) => !validator.crdFor(m.object.apiVersion, m.object.kind)).map((m) => m.file)).toEqual([]);
  });
});

describe('the CRDs catch what the tools would refuse', () => {
  const app = (spec: object) => ({ file: 'gitops/x.yaml', index: 0, object: { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'a', namespace: 'argocd' }, spec } });
  const flux = (kind: string, apiVersion: string, spec: object) => ({ file: 'gitops/x.yaml', index: 0, object: { apiVersion, kind, metadata: { name: 'k', namespace: 'flux-system' }, spec } });

  withCrds('pins the releases the fixtures hold', () => {
    expect(CRD_SOURCES.map((s) => s.replace(/^.*\/fixtures\//, ''))).toEqual(expect.arrayContaining([`argocd-${VERSIONS.argocd}`, `flux-${VERSIONS.flux}`]));
  });

  withCrds('a misspelled sync policy field and a missing project', () => {
    expect(validator.validateAll([app({ destination: {}, syncPolicy: { automated: { selfheal: true } } })])).toEqual([
      'gitops/x.yaml: Application argocd/a: .spec.project: required field is missing [crd]',
      'gitops/x.yaml: Application argocd/a: .spec.syncPolicy.automated.selfheal: unknown field [crd]',
    ]);
  });

  withCrds('an scp-style URL (the loader refuses it for this reason) and a Kustomization without prune', () => {
    expect(validator.validateAll([
      flux('GitRepository', 'source.toolkit.fluxcd.io/v1', { interval: '1m', url: 'git@github.com:org/repo.git' }),
      flux('Kustomization', 'kustomize.toolkit.fluxcd.io/v1', { interval: '10m', sourceRef: { kind: 'GitRepository', name: 'kpaas' } }),
    ])).toEqual([
      'gitops/x.yaml: GitRepository flux-system/k: .spec.url: must match pattern "^(http|https|ssh)://.*$" [crd]',
      'gitops/x.yaml: Kustomization flux-system/k: .spec.prune: required field is missing [crd]',
    ]);
  });

  withCrds('an API version the release no longer serves', () => {
    expect(validator.validateAll([flux('Kustomization', 'kustomize.toolkit.fluxcd.io/v1beta2', { interval: '10m', prune: true, sourceRef: { kind: 'GitRepository', name: 'kpaas' } })])).toEqual([
      'gitops/x.yaml: Kustomization flux-system/k: .apiVersion: CRD kustomizations.kustomize.toolkit.fluxcd.io has no version v1beta2 (it has v1) [crd]',
    ]);
  });
});
