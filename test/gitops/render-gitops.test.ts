/**
 * dist/gitops for both tools, as `kpaas synth` renders it: the repository, dist's folder and the
 * revision in every object, Argo CD's child Applications in apply order, and nothing at all (and
 * nothing else changed) without `gitops`.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parse, parseAllDocuments } from 'yaml';
import { renderedDist } from '../support/rendered';
import type { RenderedFile } from '../support/rendered';
import { parseConfig } from '../../config';
import { fluxGitAuthSecret, fluxGitRef, manifestEntries, renderGitops } from '../../gitops';

const REPO = 'https://git.example.org/platform/prod.git';
const ARGOCD = { gitops: { tool: 'argocd', repoURL: REPO, path: './clusters/prod/dist/', revision: 'main' } } as const;
const FLUX = { gitops: { tool: 'flux', repoURL: 'ssh://git@git.example.org/platform/prod.git', path: 'dist', revision: 'refs/tags/v1.0.0' } } as const;
const FLUX_HTTPS_ROOT = { name: 'prod', gitops: { tool: 'flux', repoURL: REPO, path: '.', revision: 'release/1.2' } } as const;
const LABELS = { 'app.kubernetes.io/managed-by': 'kpaas-cdk', 'app.kubernetes.io/part-of': 'k-paas' };
const SYNC_POLICY = {
  automated: { prune: true, selfHeal: true },
  retry: { backoff: { duration: '10s', factor: 2, maxDuration: '5m' }, limit: 10 },
  syncOptions: ['ServerSideApply=true', 'PruneLast=true'],
};

const gitopsFiles = (dist: Map<string, RenderedFile>) => [...dist.keys()].filter((f) => f.startsWith('gitops/')).sort();
const docs = (dist: Map<string, RenderedFile>, file: string) => parseAllDocuments(dist.get(file)!.content).map((d) => d.toJS());
/** The manifest files in the order their kustomization applies them. */
const applyOrder = (dist: Map<string, RenderedFile>): string[] => parse(dist.get('manifests/kustomization.yaml')!.content).resources;

describe('without gitops', () => {
  it('writes no dist/gitops, and gitops changes no other file', () => {
    const plain = renderedDist({});
    expect(gitopsFiles(plain)).toEqual([]);
    for (const input of [ARGOCD, FLUX]) {
      const withGitops = renderedDist(input);
      const rest = new Map([...withGitops].filter(([f]) => !f.startsWith('gitops/')));
      expect([...rest.keys()]).toEqual([...plain.keys()]);
      for (const [file, f] of plain) expect({ file, ...rest.get(file) }).toEqual({ file, ...f });
    }
  });
});

describe('Argo CD', () => {
  const dist = renderedDist(ARGOCD);
  const order = applyOrder(dist);

  it('writes the root Application and one child per manifest file', () => {
    expect(order).toEqual(['00-namespaces.yaml', '10-metallb.yaml', '20-nfs-storage.yaml', '30-keycloak.yaml', '40-openbao.yaml', '50-harbor.yaml', '60-chartmuseum.yaml', '70-portal.yaml']);
    expect(gitopsFiles(dist)).toEqual(['gitops/argocd/bootstrap.yaml', ...order.map((f) => `gitops/argocd/apps/${f}`)].sort());
  });

  it('points the root Application at the children in the repository', () => {
    expect(docs(dist, 'gitops/argocd/bootstrap.yaml')).toEqual([{
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'kpaas-platform', namespace: 'argocd', labels: { ...LABELS, 'app.kubernetes.io/name': 'kpaas-platform' } },
      spec: {
        project: 'default',
        source: { repoURL: REPO, targetRevision: 'main', path: 'clusters/prod/dist/gitops/argocd/apps' },
        destination: { server: 'https://kubernetes.default.svc', namespace: 'argocd' },
        syncPolicy: SYNC_POLICY,
      },
    }]);
  });

  it('gives each child its manifest file, in sync waves in apply order', () => {
    const children = order.map((file) => docs(dist, `gitops/argocd/apps/${file}`));
    expect(children.map((c) => [c[0].metadata.name, c[0].metadata.annotations['argocd.argoproj.io/sync-wave'], c[0].spec.source.directory.include])).toEqual([
      ['kpaas-namespaces', '0', '00-namespaces.yaml'],
      ['kpaas-metallb', '1', '10-metallb.yaml'],
      ['kpaas-nfs-storage', '2', '20-nfs-storage.yaml'],
      ['kpaas-keycloak', '3', '30-keycloak.yaml'],
      ['kpaas-openbao', '4', '40-openbao.yaml'],
      ['kpaas-harbor', '5', '50-harbor.yaml'],
      ['kpaas-chartmuseum', '6', '60-chartmuseum.yaml'],
      ['kpaas-portal', '7', '70-portal.yaml'],
    ]);
    expect(docs(dist, 'gitops/argocd/apps/10-metallb.yaml')).toEqual([{
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: {
        name: 'kpaas-metallb',
        namespace: 'argocd',
        labels: { ...LABELS, 'app.kubernetes.io/name': 'metallb' },
        annotations: { 'argocd.argoproj.io/sync-wave': '1' },
      },
      spec: {
        project: 'default',
        source: { repoURL: REPO, targetRevision: 'main', path: 'clusters/prod/dist/manifests', directory: { include: '10-metallb.yaml' } },
        destination: { server: 'https://kubernetes.default.svc' },
        syncPolicy: SYNC_POLICY,
      },
    }]);
  });

  it('relies on a kustomization that only lists the files: the children read them as plain YAML', () => {
    // each child applies its file without kustomize; that equals `kubectl apply -k` only while the
    // kustomization transforms nothing (a namePrefix, patches or labels there would be skipped)
    expect(Object.keys(parse(dist.get('manifests/kustomization.yaml')!.content))).toEqual(['apiVersion', 'kind', 'resources']);
  });

  it('names no namespace for the children: every namespaced object in the manifests names its own', () => {
    const unnamed = order.flatMap((f) => docs(dist, `manifests/${f}`).filter((o) => o && !o.metadata.namespace
      && !['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'StorageClass', 'MutatingWebhookConfiguration'].includes(o.kind))
      .map((o) => `${f}: ${o.kind} ${o.metadata.name}`));
    expect(unnamed).toEqual([]);
  });
});

describe('Argo CD with folders in dist/manifests (Envoy Gateway\'s CRDs)', () => {
  const dist = renderedDist({ ...ARGOCD, versions: { track: 'kpaas-1.7.0' }, ingress: { controller: 'envoy-gateway' } });
  const order = applyOrder(dist);
  const folders = [...new Set(order.filter((f) => f.includes('/')).map((f) => f.split('/')[0]))];

  it('gives each folder one child that reads it whole, in its place in the apply order', () => {
    expect(folders).toEqual(['14-gateway-api-crds', '15-envoy-gateway-crds']);
    const entries = [...new Set(order.map((f) => f.split('/')[0]))];
    expect(gitopsFiles(dist)).toEqual(['gitops/argocd/bootstrap.yaml', ...entries.map((e) => `gitops/argocd/apps/${e.endsWith('.yaml') ? e : `${e}.yaml`}`)].sort());
    entries.forEach((entry, wave) => {
      const [child] = docs(dist, `gitops/argocd/apps/${entry.endsWith('.yaml') ? entry : `${entry}.yaml`}`);
      expect(child.metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-wave': String(wave) });
      expect(child.spec.source).toEqual(entry.endsWith('.yaml')
        ? { repoURL: REPO, targetRevision: 'main', path: 'clusters/prod/dist/manifests', directory: { include: entry } }
        : { repoURL: REPO, targetRevision: 'main', path: `clusters/prod/dist/manifests/${entry}` });
    });
  });

  it('fails on a folder whose files are not listed together', () => {
    expect(() => manifestEntries(['14-crds/a.yaml', '15-x.yaml', '14-crds/b.yaml'])).toThrow('gitops: the files of manifest folder 14-crds are not listed together');
  });
});

describe('Flux', () => {
  it('writes a GitRepository with an ssh key Secret and a Kustomization of dist/manifests', () => {
    const dist = renderedDist(FLUX);
    expect(gitopsFiles(dist)).toEqual(['gitops/flux/bootstrap.yaml']);
    expect(docs(dist, 'gitops/flux/bootstrap.yaml')).toEqual([
      {
        apiVersion: 'source.toolkit.fluxcd.io/v1',
        kind: 'GitRepository',
        metadata: { name: 'kpaas', namespace: 'flux-system', labels: { ...LABELS, 'app.kubernetes.io/name': 'kpaas' } },
        spec: { interval: '1m', url: 'ssh://git@git.example.org/platform/prod.git', ref: { name: 'refs/tags/v1.0.0' }, secretRef: { name: 'kpaas-git-auth' } },
      },
      {
        apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
        kind: 'Kustomization',
        metadata: { name: 'kpaas-platform', namespace: 'flux-system', labels: { ...LABELS, 'app.kubernetes.io/name': 'kpaas-platform' } },
        spec: {
          interval: '10m',
          retryInterval: '2m',
          timeout: '10m',
          sourceRef: { kind: 'GitRepository', name: 'kpaas' },
          path: './dist/manifests',
          prune: true,
          wait: true,
        },
      },
    ]);
  });

  it('names no Secret for https, follows a branch, and reads dist at the repository root', () => {
    // renderGitops alone: the rest of dist does not depend on gitops (tested above)
    const files = renderGitops(parseConfig(FLUX_HTTPS_ROOT), { manifestsDir: 'manifests', manifests: applyOrder(renderedDist({})), gitopsDir: 'gitops' });
    expect([...files.keys()]).toEqual(['flux/bootstrap.yaml']);
    const [source, kustomization] = parseAllDocuments(files.get('flux/bootstrap.yaml')!).map((d) => d.toJS());
    expect(source.metadata.name).toBe('prod');
    expect(source.spec).toEqual({ interval: '1m', url: REPO, ref: { branch: 'release/1.2' } });
    expect([kustomization.metadata.name, kustomization.spec.path, kustomization.spec.sourceRef.name]).toEqual(['prod-platform', './manifests', 'prod']);
  });

  it('tells the operator the key Secret the GitRepository names (docs/gitops.md, written by hand)', () => {
    const doc = fs.readFileSync(path.resolve(__dirname, '../../docs/gitops.md'), 'utf8');
    expect(doc).toContain(`Secret \`${fluxGitAuthSecret('<name>')}\``);
    expect(doc).toContain(`flux create secret git ${fluxGitAuthSecret(parseConfig(FLUX).name)} `);
  });

  it('maps the revision to the GitRepository reference field that takes it', () => {
    expect(fluxGitRef('main')).toEqual({ branch: 'main' });
    expect(fluxGitRef('refs/heads/main')).toEqual({ name: 'refs/heads/main' });
    expect(fluxGitRef('0123456789abcdef0123456789abcdef01234567')).toEqual({ commit: '0123456789abcdef0123456789abcdef01234567' });
  });
});
