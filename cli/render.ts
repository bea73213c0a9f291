/**
 * Renders every output of a resolved config into memory: nothing touches dist until all of it
 * has succeeded (the writer then swaps it in atomically).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdktf';
import type { PlatformConfig } from '../config';
import type { PlatformService } from '../constructs/platform-service';
import { EXECUTABLE_FILES, INVENTORY_FILE, renderAnsible } from '../ansible';
import { ARCHITECTURE_DOT, ARCHITECTURE_SVG, architectureDot, type DiagramService, renderSvg } from '../diagram';
import type { PortalImagesFacts } from '../ansible/kpaas-vars';
import { PART_OF } from '../constructs/k8s/labels';
import { renderGitops } from '../gitops';
import { activeServices, KUSTOMIZATION_FILE, openbaoRequests, PLATFORM_SERVICES, platformHostnames, renderManifests } from '../platform';
import { HARBOR_NAMESPACE, HARBOR_SECRETS } from '../platform/harbor/harbor-names';
import { PORTAL_APP, PORTAL_COMPONENT_IMAGES, PORTAL_IMAGE_PROJECT, PORTAL_NAMESPACE, PORTAL_SECRETS } from '../platform/portal/portal-names';
import { manifestFileName } from '../secrets/secret-manifest';
import { MANIFESTS_DIR } from '../secrets/secrets-folder';
import { InfraStack, KakaocloudInfraStack } from '../stacks';
import { OPENBAO_CONFIG_STACK, OpenbaoConfigStack } from '../stacks/openbao-config-stack';
import type { DistFiles } from './dist-files';
import { renderImageList } from './kubespray-images';

/** Folders of dist: the GitOps objects refer to the manifests they apply and to their own; the inventory is in ansible. */
export const DIST_DIRS = { ansible: 'ansible', manifests: 'manifests', gitops: 'gitops' } as const;

/** The inventory's file in dist. */
export const HOSTS_FILE = `${DIST_DIRS.ansible}/${INVENTORY_FILE}`;

/** Terraform stacks by name: each is synthesized to `dist/terraform/<name>/cdk.tf.json`. */
export const INFRA_STACK = 'infra';

export interface RenderOptions {
  /** The dist folder the output is meant for (only its location matters: relative paths). */
  readonly outDir: string;
  /** Directory that relative paths in the config (the local state file) are relative to. */
  readonly projectDir: string;
  /** The platform services (a test registers one more). @default PLATFORM_SERVICES */
  readonly services?: readonly PlatformService[];
}

/** Relative path from one directory to another, with POSIX separators (dist holds no absolute path). */
function posixRelative(from: string, to: string): string {
  return path.relative(path.resolve(from), path.resolve(to)).split(path.sep).join('/') || '.';
}

/**
 * The real location of a path: symbolic links in its existing part resolved, the rest appended.
 * Checks and relative paths must use it: a link inside the working directory can point anywhere.
 */
export function realLocation(p: string): string {
  const abs = path.resolve(p);
  let existing = abs;
  const rest: string[] = [];
  while (!fs.existsSync(existing)) {
    const up = path.dirname(existing);
    if (up === existing) break;
    rest.unshift(path.basename(existing));
    existing = up;
  }
  return path.join(fs.realpathSync(existing), ...rest);
}

/** The output folder and project directory, resolved to real paths and checked. */
export interface CheckedDirs {
  readonly outDir: string;
  readonly projectDir: string;
}

/**
 * Fails when the output folder or the project directory lies outside the working directory, with
 * symbolic links resolved: dist refers to the Terraform state and the secrets folder by paths
 * relative to the project, and those must never name directories above where the command runs
 * (the machine's own layout). An --out that is itself a link is refused by the writer.
 */
export function checkOutDir(outDir: string, projectDir: string, cwd = process.cwd()): CheckedDirs {
  const realCwd = fs.realpathSync(cwd);
  const realOut = realLocation(path.resolve(cwd, outDir));
  const realProject = realLocation(path.resolve(cwd, projectDir));
  const inside = (dir: string, allowSame: boolean) => {
    const rel = path.relative(realCwd, dir);
    return (allowSame || rel !== '') && !rel.startsWith('..') && !path.isAbsolute(rel);
  };
  const via = (given: string, real: string) => (path.resolve(cwd, given) === real ? '' : ` (it is ${real} once links are resolved)`);
  if (!inside(realOut, false)) {
    throw new Error(`--out ${outDir} is not a folder below the working directory${via(outDir, realOut)}; dist refers to the state file and the secrets folder by relative paths, which must not depend on the machine's directories`);
  }
  if (!inside(realProject, true)) {
    throw new Error(`the configuration's directory ${projectDir} is not below the working directory${via(projectDir, realProject)}; run kpaas from a directory that holds both the configuration and dist`);
  }
  return { outDir: realOut, projectDir: realProject };
}

/** The portal's image names and the secrets folder's harbor-admin file, for playbooks/portal-images.yml. */
export function portalImagesFacts(): PortalImagesFacts {
  return {
    project: PORTAL_IMAGE_PROJECT,
    images: [...PORTAL_COMPONENT_IMAGES],
    namespace: PORTAL_NAMESPACE,
    pullSecret: PORTAL_SECRETS.registry,
    pullSecretLabels: { 'app.kubernetes.io/name': PORTAL_APP, 'app.kubernetes.io/part-of': PART_OF },
    harborAdminSecretFile: `${MANIFESTS_DIR}/${manifestFileName({ namespace: HARBOR_NAMESPACE, name: HARBOR_SECRETS.admin })}`,
  };
}

/**
 * Every output from one config. The platform services' registry is read here and handed to each
 * output as data: the outputs never import each other or the registry.
 */
export function renderAll(config: PlatformConfig, options: RenderOptions): DistFiles {
  const services = options.services ?? PLATFORM_SERVICES;
  const files: DistFiles = new Map();
  for (const [rel, content] of renderTerraform(config, options, services)) files.set(`terraform/${rel}`, { content });
  const projectPath = posixRelative(options.outDir, options.projectDir);
  const ansible = renderAnsible(config, { projectPath, platformHostnames: platformHostnames(services, config), portalImages: portalImagesFacts() });
  for (const [rel, content] of ansible) files.set(`${DIST_DIRS.ansible}/${rel}`, { content, executable: EXECUTABLE_FILES.has(rel) });
  const manifests = renderManifests(config, services);
  for (const [rel, content] of manifests) files.set(`${DIST_DIRS.manifests}/${rel}`, { content });
  // every image the manifests and kubespray pull, for mirroring (docs/air-gapped.md)
  for (const [rel, content] of renderImageList(config, services)) files.set(rel, { content });
  // Argo CD's or Flux's objects pointing at the manifests, when `gitops` is set (docs/gitops.md)
  const gitops = renderGitops(config, {
    manifestsDir: DIST_DIRS.manifests,
    manifests: [...manifests.keys()].filter((f) => f !== KUSTOMIZATION_FILE),
    gitopsDir: DIST_DIRS.gitops,
  });
  for (const [rel, content] of gitops) files.set(`${DIST_DIRS.gitops}/${rel}`, { content });
  // the drawn architecture's source; its SVG is drawn from it by renderDist
  files.set(ARCHITECTURE_DOT, { content: renderArchitectureDot(config, services) });
  return files;
}

/** The default cluster's drawing, which the README shows (`npm run docs`). */
export const DOCS_ARCHITECTURE_SVG = 'docs/architecture.svg';

/** dist/architecture.dot: the resolved cluster, with the services and hosts the registry declares. */
export function renderArchitectureDot(config: PlatformConfig, services: readonly PlatformService[] = PLATFORM_SERVICES): string {
  const drawn: DiagramService[] = activeServices(services, config).map((s) => ({ name: s.name, title: s.title, hosts: s.hosts(config).map((h) => h.name) }));
  return architectureDot(config, { services: drawn, hostnames: platformHostnames(services, config), inventoryFile: HOSTS_FILE });
}

/**
 * Every dist file, as `kpaas synth` writes it: renderAll's, and `architecture.svg` drawn from
 * `architecture.dot`. Graphviz's WebAssembly starts asynchronously, so the drawing is the one file
 * renderAll (synchronous, as the tests' shared renders call it) leaves out; it depends on nothing
 * but the DOT.
 */
export async function renderDist(config: PlatformConfig, options: RenderOptions): Promise<DistFiles> {
  const files = renderAll(config, options);
  return withDrawing(files);
}

/** The files with `architecture.svg` drawn from their `architecture.dot`. */
export async function withDrawing(files: DistFiles): Promise<DistFiles> {
  const dot = files.get(ARCHITECTURE_DOT);
  if (!dot) throw new Error(`${ARCHITECTURE_DOT} was not rendered`);
  files.set(ARCHITECTURE_SVG, { content: await renderSvg(dot.content) });
  return files;
}

/** The local state path as the stack directory sees it: relative, so dist holds no absolute path. */
export function localStatePath(config: PlatformConfig, stackDir: string, projectDir: string): string | undefined {
  const backend = config.terraform.backend;
  if (backend.type !== 'local') return undefined;
  return path.relative(path.resolve(stackDir), path.resolve(projectDir, backend.path)).split(path.sep).join('/');
}

/** Adds the project's stacks to a cdktf App (used by synth and by `cdktf synth`). */
export function addStacks(
  app: App,
  config: PlatformConfig,
  stackDir: (name: string) => string,
  projectDir: string,
  services: readonly PlatformService[] = PLATFORM_SERVICES,
): void {
  const infra = { config, localStatePath: localStatePath(config, stackDir(INFRA_STACK), projectDir) };
  if (config.cloud.provider === 'openstack') new InfraStack(app, INFRA_STACK, infra);
  else new KakaocloudInfraStack(app, INFRA_STACK, infra);
  new OpenbaoConfigStack(app, OPENBAO_CONFIG_STACK, {
    config,
    projectPath: path.relative(path.resolve(stackDir(OPENBAO_CONFIG_STACK)), path.resolve(projectDir)).split(path.sep).join('/'),
    requests: openbaoRequests(services),
  });
}

function renderTerraform(config: PlatformConfig, options: RenderOptions, services: readonly PlatformService[]): Map<string, string> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kpaas-cdktf-'));
  try {
    const app = new App({ outdir: tmp, skipValidation: false });
    addStacks(app, config, (name) => path.join(options.outDir, 'terraform', name), options.projectDir, services);
    app.synth();
    const out = new Map<string, string>();
    for (const stack of app.node.children) {
      const name = stack.node.id;
      out.set(`${name}/cdk.tf.json`, fs.readFileSync(path.join(tmp, 'stacks', name, 'cdk.tf.json'), 'utf8'));
    }
    return out;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
