/**
 * dist/gitops against what Argo CD and Flux read (config/contracts/gitops.ts): the namespaces,
 * in-cluster server, project, sync-wave annotation and sync options of every Application; what the
 * children's sources make the repo-server read (a plain file name as `directory.include`, folders
 * with no subfolder, no kustomization and no chart); the GitRepository's reference field and the
 * Kustomization's source and folder. The vendored CRDs (test/fixtures/argocd-*, flux-*) are the
 * contract's. Where fetched copies of the releases are at hand (../.mirror), each fact is found in
 * its file at the pinned tag and the fixtures are compared with the files they copy; SKIPPED otherwise.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { COMMIT_SHA, VERSIONS } from '../../config';
import { ARGOCD_CONTRACT, FLUX_CONTRACT, GITOPS_CRDS } from '../../config/contracts/gitops';
import type { UpstreamText } from '../../config/contracts/images';
import { fluxGitRef } from '../../gitops';
import { hasMirror, mirrorGit, showAt } from '../support/mirror';
import { renderedDist, type RenderedFile } from '../support/rendered';

const REPO = 'https://git.example.org/platform/prod.git';
const CONFIGS = {
  argocd: { gitops: { tool: 'argocd', repoURL: REPO, path: 'clusters/prod/dist', revision: 'main' } },
  argocdFolders: { versions: { track: 'kpaas-1.7.0' }, ingress: { controller: 'envoy-gateway' }, gitops: { tool: 'argocd', repoURL: REPO, path: 'dist', revision: 'refs/tags/v1.0.0' } },
  flux: { gitops: { tool: 'flux', repoURL: 'ssh://git@git.example.org/platform/prod.git', path: 'clusters/prod/dist', revision: 'main' } },
} as const;

type Obj = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; annotations?: Record<string, string>; finalizers?: string[] }; spec: any };
const objectsOf = (dist: ReadonlyMap<string, RenderedFile>): Array<{ file: string; object: Obj }> => [...dist]
  .filter(([f]) => f.startsWith('gitops/'))
  .flatMap(([file, { content }]) => parseAllDocuments(content).map((d) => ({ file, object: d.toJS() as Obj })));
/** dist's files as they lie in the repository (`<gitops.path>/...`). */
const inRepo = (dist: ReadonlyMap<string, RenderedFile>, repoPath: string): Set<string> => new Set([...dist.keys()].map((f) => `${repoPath}/${f}`));

// ---------------------------------------------------------------------------------------------
// The checks, each returning its problems (so a seeded defect can be shown failing)

/** What every Application must carry for Argo CD to reconcile it as intended. */
function applicationProblems(objects: ReadonlyArray<{ file: string; object: Obj }>): string[] {
  const c = ARGOCD_CONTRACT;
  return objects.flatMap(({ file, object: o }) => {
    const at = `${file}: ${o.kind} ${o.metadata.name}`;
    const annotations = Object.keys(o.metadata.annotations ?? {});
    return [
      o.kind !== 'Application' && `${at}: not an Application`,
      o.metadata.namespace !== c.namespace.value && `${at}: namespace ${o.metadata.namespace}, Argo CD's is ${c.namespace.value}`,
      o.spec.project !== c.project.value && `${at}: project ${o.spec.project}, not ${c.project.value}`,
      o.spec.destination?.server !== c.inClusterServer.value && `${at}: destination ${o.spec.destination?.server}, not ${c.inClusterServer.value}`,
      !(o.spec.syncPolicy?.syncOptions ?? []).includes(c.serverSideApply.value) && `${at}: no ${c.serverSideApply.value}`,
      !(o.spec.syncPolicy?.syncOptions ?? []).includes(c.pruneLast.value) && `${at}: no ${c.pruneLast.value}`,
      annotations.some((a) => a !== c.syncWaveAnnotation.value) && `${at}: annotation ${annotations.join(', ')}, only ${c.syncWaveAnnotation.value} is read`,
      annotations.length > 0 && !/^-?\d+$/.test(o.metadata.annotations![c.syncWaveAnnotation.value] ?? '') && `${at}: sync wave is not an integer`,
      (o.metadata.finalizers ?? []).length > 0 && `${at}: finalizers ${o.metadata.finalizers!.join(', ')} (deleting it would delete what it applied)`,
    ].filter((p): p is string => typeof p === 'string');
  });
}

/**
 * What the repo-server reads for each Application's source, in dist as committed: a `directory.include`
 * must be a plain manifest file name (a glob, matched below the path) naming one file there; a
 * source without `directory` must be a folder of manifest files, with no subfolder (not read
 * without `recurse`), no kustomization and no chart (each would change how the folder is built).
 */
function sourceProblems(objects: ReadonlyArray<{ file: string; object: Obj }>, repoFiles: ReadonlySet<string>): string[] {
  const c = ARGOCD_CONTRACT;
  return objects.flatMap(({ file, object: o }) => {
    const at = `${file}: ${o.metadata.name}`;
    const source = o.spec.source as { path: string; directory?: { include?: string; recurse?: boolean } };
    const below = [...repoFiles].filter((f) => f.startsWith(`${source.path}/`)).map((f) => f.slice(source.path.length + 1));
    if (below.length === 0) return [`${at}: ${source.path} holds no file`];
    if (source.directory?.recurse) return [`${at}: directory.recurse is set`];
    const include = source.directory?.include;
    if (include !== undefined) {
      return [
        /[*?[\]{}\\/!]/.test(include) && `${at}: include ${include} has glob characters or a folder`,
        !c.manifestFile.value.test(include) && `${at}: include ${include} is no file the repo-server reads`,
        !below.includes(include) && `${at}: include ${include} is not a file of ${source.path}`,
      ].filter((p): p is string => typeof p === 'string');
    }
    if (source.directory !== undefined) return [`${at}: a directory source without include`];
    return below.flatMap((f) => {
      const name = f.split('/').pop()!;
      return [
        f.includes('/') && `${at}: ${source.path}/${f} is in a subfolder, which a directory source does not read`,
        (c.kustomizationNames.value as readonly string[]).includes(name) && `${at}: ${source.path}/${f} would make the folder a kustomization`,
        name.endsWith(c.helmChartFile.value) && `${at}: ${source.path}/${f} would make the folder a Helm chart`,
        !c.manifestFile.value.test(name) && `${at}: ${source.path}/${f} is not read (not a manifest file)`,
      ].filter((p): p is string => typeof p === 'string');
    });
  });
}

/** The GitRepository and Kustomization: Flux's namespace, a reference field the source-controller has, the source beside it, a folder with a kustomization. */
function fluxProblems(objects: ReadonlyArray<{ file: string; object: Obj }>, repoFiles: ReadonlySet<string>): string[] {
  const f = FLUX_CONTRACT;
  const refFields: readonly string[] = [f.refCommit.value, f.refName.value, f.refBranch.value];
  const sources = objects.filter(({ object: o }) => o.kind === 'GitRepository');
  return objects.flatMap(({ file, object: o }) => {
    const at = `${file}: ${o.kind} ${o.metadata.name}`;
    const common = o.metadata.namespace !== f.namespace.value ? [`${at}: namespace ${o.metadata.namespace}, Flux's is ${f.namespace.value}`] : [];
    if (o.kind === 'GitRepository') {
      const keys = Object.keys(o.spec.ref ?? {});
      return [...common, ...(keys.length !== 1 || !refFields.includes(keys[0]) ? [`${at}: ref ${keys.join(', ')}, not one of ${refFields.join(', ')}`] : [])];
    }
    const ref = o.spec.sourceRef as { kind: string; name: string; namespace?: string };
    const folder = String(o.spec.path).replace(/^\.\//, '');
    return [
      ...common,
      ref.namespace !== undefined && `${at}: sourceRef names namespace ${ref.namespace}`,
      !sources.some(({ object: s }) => s.kind === ref.kind && s.metadata.name === ref.name && s.metadata.namespace === o.metadata.namespace) && `${at}: no ${ref.kind} ${ref.name} beside it`,
      !String(o.spec.path).startsWith('./') && `${at}: path ${o.spec.path} is not relative to the repository root`,
      !repoFiles.has(`${folder}/kustomization.yaml`) && `${at}: ${folder} has no kustomization.yaml`,
    ].filter((p): p is string => typeof p === 'string');
  });
}

// ---------------------------------------------------------------------------------------------

describe('dist/gitops against Argo CD\'s contract', () => {
  for (const name of ['argocd', 'argocdFolders'] as const) {
    const input = CONFIGS[name];
    const dist = renderedDist(input);
    const objects = objectsOf(dist);
    const repoFiles = inRepo(dist, input.gitops.path);

    it(`${name}: every Application is in Argo CD's namespace and default project, to the in-cluster server, synced server-side and pruned last, without finalizers`, () => {
      expect(objects.length).toBeGreaterThan(8);
      expect(applicationProblems(objects)).toEqual([]);
    });

    it(`${name}: every source is read as intended (one plain file, or a flat folder of manifests)`, () => {
      expect(sourceProblems(objects, repoFiles)).toEqual([]);
    });
  }

  const dist = renderedDist(CONFIGS.argocdFolders);
  const objects = objectsOf(dist);
  const repoFiles = inRepo(dist, CONFIGS.argocdFolders.gitops.path);
  const child = (file: string) => objects.find((o) => o.file === `gitops/argocd/apps/${file}`)!;

  it('fails on a seeded wrong namespace, a second annotation and a finalizer', () => {
    const o = structuredClone(child('10-metallb.yaml'));
    o.object.metadata.namespace = 'argo-cd';
    o.object.metadata.annotations = { ...o.object.metadata.annotations, 'argocd.argoproj.io/sync-waves': '1' };
    o.object.metadata.finalizers = [ARGOCD_CONTRACT.resourcesFinalizer.value];
    expect(applicationProblems([o])).toEqual([
      expect.stringContaining('namespace argo-cd, Argo CD\'s is argocd'),
      expect.stringContaining('only argocd.argoproj.io/sync-wave is read'),
      expect.stringContaining('finalizers resources-finalizer.argocd.argoproj.io'),
    ]);
  });

  it('fails on a seeded glob as include, a subfolder and a kustomization in a folder source', () => {
    const glob = structuredClone(child('10-metallb.yaml'));
    glob.object.spec.source.directory.include = '10-*.yaml';
    const folder = child('14-gateway-api-crds.yaml');
    const seeded = new Set([...repoFiles, `${folder.object.spec.source.path}/old/x.yaml`, `${folder.object.spec.source.path}/kustomization.yaml`]);
    expect(sourceProblems([glob, folder], seeded)).toEqual([
      expect.stringContaining('include 10-*.yaml has glob characters'),
      expect.stringContaining('include 10-*.yaml is not a file of'),
      expect.stringContaining('old/x.yaml is in a subfolder'),
      expect.stringContaining('kustomization.yaml would make the folder a kustomization'),
    ]);
  });

  it('tells the operator the finalizer Argo CD deletes an Application\'s objects by (docs/gitops.md)', () => {
    expect(fs.readFileSync(path.resolve(__dirname, '../../docs/gitops.md'), 'utf8')).toContain(`\`${ARGOCD_CONTRACT.resourcesFinalizer.value}\``);
  });

  it('gives Argo CD as a commit only what it takes as one, and a full reference otherwise', () => {
    const sha = '0123456789abcdef0123456789abcdef01234567';
    expect([COMMIT_SHA.test(sha), ARGOCD_CONTRACT.commitSha.value.test(sha)]).toEqual([true, true]);
    // what our loader takes as a commit, Argo CD does too (COMMIT_SHA is the lower-case subset)
    expect(COMMIT_SHA.source).toBe(ARGOCD_CONTRACT.commitSha.value.source.replace('A-Fa-f', 'a-f'));
    expect(objects.find((o) => o.file === 'gitops/argocd/bootstrap.yaml')!.object.spec.source.targetRevision).toBe('refs/tags/v1.0.0');
  });
});

describe('dist/gitops against Flux\'s contract', () => {
  const input = CONFIGS.flux;
  const dist = renderedDist(input);
  const objects = objectsOf(dist);
  const repoFiles = inRepo(dist, input.gitops.path);

  it('puts both objects in Flux\'s namespace, the Kustomization on its GitRepository beside it and on a folder with a kustomization', () => {
    expect(objects.map((o) => o.object.kind)).toEqual(['GitRepository', 'Kustomization']);
    expect(fluxProblems(objects, repoFiles)).toEqual([]);
  });

  it('follows each kind of revision with a reference field the source-controller has', () => {
    const fields = [FLUX_CONTRACT.refCommit.value, FLUX_CONTRACT.refName.value, FLUX_CONTRACT.refBranch.value];
    expect(['0123456789abcdef0123456789abcdef01234567', 'refs/tags/v1.0.0', 'release/1.2'].map((r) => Object.keys(fluxGitRef(r)))).toEqual(fields.map((f) => [f]));
  });

  it('fails on a seeded other namespace, a tag field and a folder without a kustomization', () => {
    const [source, kustomization] = structuredClone(objects);
    source.object.spec.ref = { tag: 'v1.0.0' };
    kustomization.object.metadata.namespace = 'flux';
    kustomization.object.spec.path = './clusters/prod/dist/gitops';
    expect(fluxProblems([source, kustomization], repoFiles)).toEqual([
      expect.stringContaining('ref tag, not one of commit, name, branch'),
      expect.stringContaining('namespace flux, Flux\'s is flux-system'),
      expect.stringContaining('no GitRepository kpaas beside it'),
      expect.stringContaining('clusters/prod/dist/gitops has no kustomization.yaml'),
    ]);
  });
});

// ---------------------------------------------------------------------------------------------
// The CRDs: the kinds dist/gitops writes, and the fixtures they are vendored in

const FIXTURES = path.resolve(__dirname, '../fixtures');
/** The fixture whose header names the contract's file: `github.com/<repo> tag <ref>, <path> (git blob <id>)`. */
function fixtureOf(source: { repo: string; ref: string; path: string }): { file: string; blob: string } | undefined {
  const header = `github.com/${source.repo} tag ${source.ref}, ${source.path} (git blob `;
  for (const dir of [`argocd-${VERSIONS.argocd}`, `flux-${VERSIONS.flux}`]) {
    for (const f of fs.existsSync(path.join(FIXTURES, dir)) ? fs.readdirSync(path.join(FIXTURES, dir)) : []) {
      const file = path.join(FIXTURES, dir, f);
      const first = fs.readFileSync(file, 'utf8').split('\n', 1)[0];
      const at = first.indexOf(header);
      if (at >= 0) return { file, blob: first.slice(at + header.length).replace(/\).*$/, '') };
    }
  }
  return undefined;
}
const docsOf = (text: string): unknown[] => parseAllDocuments(text).map((d) => d.toJS()).filter((d) => d !== null);

describe('the CRDs of dist/gitops', () => {
  it('writes only the contract\'s kinds and versions', () => {
    const written = new Set(Object.values(CONFIGS).flatMap((input) => objectsOf(renderedDist(input)).map((o) => `${o.object.apiVersion} ${o.object.kind}`)));
    expect([...written].sort()).toEqual(GITOPS_CRDS.map((c) => `${c.apiVersion} ${c.kind}`).sort());
  });

  it.each(GITOPS_CRDS.map((c) => [c.kind, c] as const))('%s: a fixture copies the contract\'s file, and that CRD serves the version written', (_kind, crd) => {
    const fixture = fixtureOf(crd.source);
    expect(fixture).toBeDefined();
    const [def] = docsOf(fs.readFileSync(fixture!.file, 'utf8')) as Array<{ spec: { group: string; names: { kind: string }; versions: Array<{ name: string; served: boolean }> } }>;
    const [group, version] = crd.apiVersion.split('/');
    expect([def.spec.group, def.spec.names.kind]).toEqual([group, crd.kind]);
    expect(def.spec.versions.filter((v) => v.served).map((v) => v.name)).toContain(version);
  });
});

// ---------------------------------------------------------------------------------------------
// The contract in the releases' own files

const show = showAt;
const FACTS: Array<[string, UpstreamText & { value?: unknown }]> = [
  ...Object.entries(ARGOCD_CONTRACT).map(([k, v]) => [`Argo CD ${k}`, v] as [string, UpstreamText]),
  ...Object.entries(FLUX_CONTRACT).map(([k, v]) => [`Flux ${k}`, v] as [string, UpstreamText]),
];
const repos = [...new Set([...FACTS.map(([, f]) => f.source.repo), ...GITOPS_CRDS.map((c) => c.source.repo)])];
const missing = repos.filter((r) => !hasMirror(r));
if (missing.length > 0) console.warn(`SKIPPED: no fetched copy of ${missing.join(', ')} in ../.mirror; those GitOps facts are not compared with their source`);
const have = (repo: string) => !missing.includes(repo);

/** The facts not found where the contract says (an empty list: all found). */
function factProblems(facts: ReadonlyArray<[string, UpstreamText & { value?: unknown }]>): string[] {
  return facts.flatMap(([name, f]) => {
    const text = show(f.source);
    const value = f.value instanceof RegExp ? f.value.source : Array.isArray(f.value) ? f.value.map((x) => `"${x}"`).join(', ') : f.value === undefined ? '' : String(f.value);
    // the value whole, not part of a longer name (`argo` is not in `namespace: argocd`)
    const whole = new RegExp(`(^|[^\\w.-])${value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^\\w.-])`);
    return [
      !text.includes(f.text) && `${name}: ${f.source.repo}@${f.source.ref}:${f.source.path} does not say ${JSON.stringify(f.text)}`,
      f.value !== undefined && !whole.test(f.text) && `${name}: the text does not hold the value ${value}`,
    ].filter((p): p is string => typeof p === 'string');
  });
}

describe('the contract in the releases\' own files', () => {
  const present = FACTS.filter(([, f]) => have(f.source.repo));

  (present.length > 0 ? it : it.skip)('finds each fact\'s text in its file at the pinned tag, holding the value', () => {
    expect(factProblems(present)).toEqual([]);
  });

  (present.length > 0 ? it : it.skip)('fails on a seeded text the file does not have, and on a value its text does not hold whole', () => {
    const seeded = present.filter(([n]) => n === 'Argo CD project' || n === 'Argo CD namespace').map(([n, f]) => [n, n === 'Argo CD namespace' ? { ...f, value: 'argo' } : { ...f, text: `${f.text}x` }] as [string, UpstreamText & { value?: unknown }]);
    expect(factProblems(seeded)).toEqual([
      expect.stringContaining('Argo CD namespace: the text does not hold the value argo'),
      expect.stringMatching(/^Argo CD project: argoproj\/argo-cd@.*application_defaults.go does not say /),
    ]);
  });

  (have(ARGOCD_CONTRACT.namespace.source.repo) ? it : it.skip)('finds Argo CD\'s namespace in every ClusterRoleBinding subject of the install manifest', () => {
    const docs = docsOf(show(ARGOCD_CONTRACT.namespace.source)) as Array<{ kind: string; subjects?: Array<{ namespace?: string }> }>;
    const namespaces = docs.filter((d) => d.kind === 'ClusterRoleBinding').flatMap((d) => (d.subjects ?? []).map((s) => s.namespace));
    expect(namespaces.length).toBeGreaterThan(2);
    expect([...new Set(namespaces)]).toEqual([ARGOCD_CONTRACT.namespace.value]);
  });

  for (const crd of GITOPS_CRDS) (have(crd.source.repo) ? it : it.skip)(`${crd.kind}: the fixture is the release's CRD, unmodified`, () => {
    const fixture = fixtureOf(crd.source)!;
    const upstream = show(crd.source);
    expect(fixture.blob).toBe(mirrorGit(crd.source.repo, 'rev-parse', `${crd.source.ref}:${crd.source.path}`).trim());
    expect(docsOf(fs.readFileSync(fixture.file, 'utf8'))).toEqual(docsOf(upstream));
  });
});
