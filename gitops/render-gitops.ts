/**
 * dist/gitops: the objects that point Argo CD or Flux at dist/manifests in the repository dist is
 * committed to (`gitops` in the configuration; docs/gitops.md).
 *
 * dist/manifests is one kustomization applied as a whole (`kubectl apply -k`), its files numbered in
 * apply order. Argo CD gets an app-of-apps: a root Application (bootstrap.yaml, applied by hand)
 * whose source is apps/, which holds one Application per manifest file, in sync waves in apply order.
 * Each child reads only its file, as plain YAML: the kustomization only lists the files (a test holds
 * it to that), so the children together apply exactly what `kubectl apply -k` does, and each
 * component shows its own sync and health. Flux applies the folder through its kustomization.yaml
 * with one Kustomization: its path can only be a folder, and the folder is one kustomization.
 */
import { App, Chart, Yaml } from 'cdk8s';
import type { GitopsSettings, PlatformConfig } from '../config';
import { ArgoCdApplication } from './argocd-application';
import { FluxGitSource } from './flux-git-source';
import { FluxManifestsKustomization } from './flux-manifests-kustomization';
import { ARGOCD, GITOPS_FILES } from './gitops-names';

/** Where the tool finds things in dist, handed over by the CLI (which lays out dist). */
export interface GitopsLayout {
  /** dist/manifests, relative to dist. */
  readonly manifestsDir: string;
  /** The manifest files, in apply order (as their kustomization.yaml lists them). */
  readonly manifests: readonly string[];
  /** The folder these files are written to, relative to dist. */
  readonly gitopsDir: string;
}

/**
 * A manifest entry's component: `10-metallb.yaml` -> `metallb`, the folder `14-gateway-api-crds`
 * -> `gateway-api-crds` (files are `NN-<component>.yaml`, folders of pinned upstream files `NN-<component>`).
 */
export function manifestComponent(entry: string): string {
  const m = /^\d+-([a-z0-9-]+?)(\.yaml)?$/.exec(entry);
  if (!m) throw new Error(`gitops: manifest entry ${entry} is not named NN-<component>.yaml or NN-<component>/`);
  return m[1];
}

/**
 * The top-level entries of dist/manifests in apply order: each file, and each folder once (a
 * folder holds plain upstream files, the CRDs, applied together, so one Application reads it whole).
 */
export function manifestEntries(files: readonly string[]): { readonly entry: string; readonly folder: boolean }[] {
  const entries: { entry: string; folder: boolean }[] = [];
  for (const file of files) {
    const slash = file.indexOf('/');
    const entry = slash < 0 ? file : file.slice(0, slash);
    if (entries.length > 0 && entries[entries.length - 1].entry === entry) continue;
    if (entries.some((e) => e.entry === entry)) throw new Error(`gitops: the files of manifest folder ${entry} are not listed together`);
    entries.push({ entry, folder: slash >= 0 });
  }
  return entries;
}

/** A folder of dist as it lies in the repository. */
function repoPath(repo: GitopsSettings, distRelative: string): string {
  return repo.path === '.' ? distRelative : `${repo.path}/${distRelative}`;
}

/**
 * The name of the object that applies the whole platform: Argo CD's root Application (its children
 * are `<cluster>-<component>`) or Flux's Kustomization.
 */
export function platformAppName(config: PlatformConfig): string {
  return `${config.name}-platform`;
}

/** The charts by file, relative to the tool's folder of dist/gitops. */
function argocdCharts(app: App, config: PlatformConfig, repo: GitopsSettings, layout: GitopsLayout): Map<string, Chart> {
  const charts = new Map<string, Chart>();
  const root = platformAppName(config);
  const names = new Set<string>([root]);
  manifestEntries(layout.manifests).forEach(({ entry, folder }, wave) => {
    const component = manifestComponent(entry);
    const name = `${config.name}-${component}`;
    if (names.has(name)) throw new Error(`gitops: Argo CD Application ${name} would be written twice`);
    names.add(name);
    const file = folder ? `${entry}.yaml` : entry;
    const chart = new Chart(app, `${GITOPS_FILES.argocdApps}/${file}`);
    const manifests = repoPath(repo, layout.manifestsDir);
    new ArgoCdApplication(chart, component, folder
      ? { name, component, repo, path: `${manifests}/${entry}`, syncWave: wave }
      : { name, component, repo, path: manifests, include: entry, syncWave: wave });
    charts.set(`${GITOPS_FILES.argocdApps}/${file}`, chart);
  });
  const chart = new Chart(app, GITOPS_FILES.bootstrap);
  new ArgoCdApplication(chart, 'root', {
    name: root,
    component: root,
    repo,
    path: repoPath(repo, `${layout.gitopsDir}/${repo.tool}/${GITOPS_FILES.argocdApps}`),
    destinationNamespace: ARGOCD.namespace,
  });
  charts.set(GITOPS_FILES.bootstrap, chart);
  return charts;
}

function fluxCharts(app: App, config: PlatformConfig, repo: GitopsSettings, layout: GitopsLayout): Map<string, Chart> {
  const chart = new Chart(app, GITOPS_FILES.bootstrap);
  const source = new FluxGitSource(chart, 'source', { name: config.name, repo });
  const name = platformAppName(config);
  new FluxManifestsKustomization(chart, 'platform', {
    name,
    component: name,
    source,
    path: `./${repoPath(repo, layout.manifestsDir)}`,
  });
  return new Map([[GITOPS_FILES.bootstrap, chart]]);
}

/** The files of dist/gitops (relative to it) for the configured tool, in its folder (`argocd/`, `flux/`); none without `gitops`. */
export function renderGitops(config: PlatformConfig, layout: GitopsLayout): Map<string, string> {
  const repo = config.gitops;
  if (!repo) return new Map();
  const app = new App();
  const charts = repo.tool === 'argocd' ? argocdCharts(app, config, repo, layout) : fluxCharts(app, config, repo, layout);
  return new Map([...charts].map(([file, chart]) => [`${repo.tool}/${file}`, Yaml.stringify(...chart.toJson())]));
}
