/**
 * What Argo CD and Flux read from the objects in dist/gitops, as facts from their source at the
 * releases config/versions.ts pins (Argo CD v3.5.1; Flux v2.9.0 with source-controller and
 * kustomize-controller v1.9.1). gitops/ builds the objects from these values; each fact's `text`
 * is the line of its file that says so, and test/contracts/gitops.test.ts finds it there where a
 * fetched copy of the repository is at hand (../.mirror), and holds dist/gitops to the values.
 */
import { VERSIONS } from '../versions';
import type { UpstreamFile, UpstreamText } from './images';

/** A value another program reads, with the text of its file that defines it (the text holds the value). */
export interface GitopsFact<T> extends UpstreamText {
  readonly value: T;
}

export const ARGOCD_RELEASE = { repo: 'argoproj/argo-cd', ref: VERSIONS.argocd } as const;
export const FLUX_RELEASE = { repo: 'fluxcd/flux2', ref: VERSIONS.flux } as const;
export const SOURCE_CONTROLLER_RELEASE = { repo: 'fluxcd/source-controller', ref: VERSIONS.fluxControllers.sourceController } as const;
export const KUSTOMIZE_CONTROLLER_RELEASE = { repo: 'fluxcd/kustomize-controller', ref: VERSIONS.fluxControllers.kustomizeController } as const;
/** The semver library Argo CD reads a targetRevision's constraint with (its go.mod at ARGOCD_RELEASE: `argoSemver`). */
export const ARGOCD_SEMVER_RELEASE = { repo: 'Masterminds/semver', ref: 'v3.4.0' } as const;
/** The Git library source-controller checks a GitRepository's ref out with (its go.mod: `fluxPkgGit`). */
export const FLUX_PKG_GIT_RELEASE = { repo: 'fluxcd/pkg', ref: 'git/v0.52.0' } as const;

type Release = { readonly repo: string; readonly ref: string };
const rule = (release: Release, path: string, text: string, note?: string): UpstreamText => ({ text, source: { ...release, path, ...(note ? { note } : {}) } });
const fact = <T>(release: Release, path: string, text: string, value: T, note?: string): GitopsFact<T> => ({ value, ...rule(release, path, text, note) });
const argo = <T>(path: string, text: string, value: T, note?: string) => fact(ARGOCD_RELEASE, path, text, value, note);
const argoRule = (path: string, text: string, note?: string) => rule(ARGOCD_RELEASE, path, text, note);
const APP_DEFAULTS = 'pkg/apis/application/v1alpha1/application_defaults.go';
const SYNC_COMMON = 'gitops-engine/pkg/sync/common/types.go';
const GIT_REPOSITORY_TYPES = 'api/v1/gitrepository_types.go';

/** Argo CD's names and behaviour the Applications rely on. */
export const ARGOCD_CONTRACT = {
  /**
   * The namespace Argo CD is installed in, where it reconciles Applications (no
   * `application.namespaces` set): install.yaml binds its ServiceAccounts' ClusterRoles in `argocd`,
   * so installed elsewhere the controllers would have no cluster-wide rights.
   */
  namespace: argo('manifests/install.yaml', 'namespace: argocd', 'argocd', 'every ClusterRoleBinding subject'),
  /** The cluster Argo CD runs in, known to it without a cluster Secret. */
  inClusterServer: argo(APP_DEFAULTS, 'KubernetesInternalAPIServerAddr = "https://kubernetes.default.svc"', 'https://kubernetes.default.svc'),
  /** The project every install has. */
  project: argo(APP_DEFAULTS, 'DefaultAppProjectName = "default"', 'default'),
  /** argocd-server creates that project in its namespace when it starts. */
  projectCreated: argoRule('server/server.go', 'ObjectMeta: metav1.ObjectMeta{Name: v1alpha1.DefaultAppProjectName, Namespace: opts.Namespace}'),
  /** Orders the resources of one sync: here, the root Application's children. */
  syncWaveAnnotation: argo(SYNC_COMMON, 'AnnotationSyncWave = "argocd.argoproj.io/sync-wave"', 'argocd.argoproj.io/sync-wave'),
  /** Apply server-side (no last-applied annotation; fields others own stay theirs). */
  serverSideApply: argo(SYNC_COMMON, 'SyncOptionServerSideApply = "ServerSideApply=true"', 'ServerSideApply=true'),
  /** Prune only after everything else has been applied. */
  pruneLast: argo(SYNC_COMMON, 'SyncOptionPruneLast = "PruneLast=true"', 'PruneLast=true'),
  /** The finalizer that makes deleting an Application delete what it applied (ours carry none; docs/gitops.md names it). */
  resourcesFinalizer: argo(APP_DEFAULTS, 'ResourcesFinalizerName string = "resources-finalizer.argocd.argoproj.io"', 'resources-finalizer.argocd.argoproj.io'),
  /**
   * A source with `directory` set is a plain-YAML directory, whatever files its path holds: a child
   * reading one file of dist/manifests is not built with the kustomization.yaml beside it.
   */
  directoryIsExplicit: argoRule('pkg/apis/application/v1alpha1/types.go', 'if source.Directory != nil {\n\t\tappTypes = append(appTypes, ApplicationSourceTypeDirectory)', 'ApplicationSource.ExplicitType'),
  /** `directory.include` is a glob matched against each file's path below the source path (so a plain file name matches that file only). */
  includeIsGlob: argoRule('reposerver/repository/repository.go', 'if include != "" && !glob.Match(include, relPath) {', 'getPotentiallyValidManifestFile'),
  /** A directory source reads no subfolder unless `directory.recurse` is set (ours never is). */
  recurseOff: argoRule('reposerver/repository/repository.go', 'if path != appPath && !recurse {\n\t\t\t\treturn filepath.SkipDir', 'getPotentiallyValidManifests'),
  /** The files a directory source reads. */
  manifestFile: argo('reposerver/repository/repository.go', 'manifestFile = regexp.MustCompile(`^.*\\.(yaml|yml|json|jsonnet)$`)', /^.*\.(yaml|yml|json|jsonnet)$/),
  /**
   * A source without `directory` (a child reading a whole folder) is built with kustomize if the
   * folder holds one of these files, with Helm if it holds a `Chart.yaml`, else read as plain YAML.
   */
  kustomizationNames: argo('util/kustomize/kustomize.go', 'KustomizationNames = []string{"kustomization.yaml", "kustomization.yml", "Kustomization"}', ['kustomization.yaml', 'kustomization.yml', 'Kustomization'] as const),
  helmChartFile: argo('util/app/discovery/discovery.go', 'strings.HasSuffix(base, "Chart.yaml")', 'Chart.yaml'),
  /** targetRevision: 40 hex digits are a commit, taken as it is (our COMMIT_SHA is a subset). */
  commitSha: argo('util/git/git.go', 'commitSHARegex = regexp.MustCompile("^[0-9A-Fa-f]{40}$")', /^[0-9A-Fa-f]{40}$/),
  /**
   * targetRevision: anything else is matched against the remote's references by full name or short
   * name (`main` matches refs/heads/main and refs/tags/main alike: a branch and a tag of one name
   * are told apart only by a full reference, which docs/gitops.md asks for).
   */
  revisionRef: argoRule('util/git/client.go', 'if (isShortRef && ref.Name().Short() == revision) || refName == revision {', 'nativeGitClient.lsRemote'),
  /**
   * targetRevision: before the references are matched, a revision the semver library reads as a
   * constraint (and not as a version) becomes the highest tag satisfying it, if one does: a branch
   * named `1.x` or `>=1.0` is then a tag to Argo CD and a branch to Flux. config/gitops-revision.ts
   * reads the library's grammar from the rules below (argoSemver*); the loader refuses such names.
   */
  semverFirst: argoRule('util/git/client.go', 'maxV, err := versions.MaxVersion(revision, getGitTags(refs), m.tagPrefix)', 'nativeGitClient.lsRemote'),
  /** ... a revision that parses as a version (`v1.0`, `1.2.3-rc.1`) is a pin: returned unchanged, matched as a name. */
  semverVersionIsPin: argoRule('util/versions/tags.go', 'if v, err := semver.NewVersion(revision); err == nil {', 'MaxVersion'),
  /** ... anything else that parses as a constraint is resolved against the tags. */
  semverConstraint: argoRule('util/versions/tags.go', 'constraints, err := semver.NewConstraint(revision)', 'MaxVersion'),
  /** The semver library release Argo CD builds with. */
  argoSemver: argo('go.mod', `github.com/Masterminds/semver/v3 ${ARGOCD_SEMVER_RELEASE.ref}`, ARGOCD_SEMVER_RELEASE.ref),
  /** Versions are parsed loosely (leading zeros allowed): NewVersion uses the loose grammar. */
  argoSemverCoerce: rule(ARGOCD_SEMVER_RELEASE, 'version.go', 'var CoerceNewVersion = true'),
  /** The loose version grammar: `v`, up to three numeric parts, then `-pre.release` and `+build`. */
  argoSemverVersion: rule(ARGOCD_SEMVER_RELEASE, 'version.go', 'const looseSemVerRegex string = `v?([0-9]+)(\\.[0-9]+)?(\\.[0-9]+)?` +'),
  /** A constraint's alternatives are split at `||` ... */
  argoSemverOr: rule(ARGOCD_SEMVER_RELEASE, 'constraints.go', 'ors := strings.Split(c, "||")', 'NewConstraint'),
  /** ... each a list of comparisons separated by `,` or blanks ... */
  argoSemverAnd: rule(ARGOCD_SEMVER_RELEASE, 'constraints.go', '`^(\\s*(%s)\\s*(%s)\\s*)((?:\\s+|,\\s*)(%s)\\s*(%s)\\s*)*$`,', 'validConstraintRegex'),
  /** ... each an optional operator ... */
  argoSemverOps: rule(ARGOCD_SEMVER_RELEASE, 'constraints.go', 'ops := `=||!=|>|<|>=|=>|<=|=<|~|~>|\\^`'),
  /** ... and a version whose parts may be the wildcards x, X, * (the class holds `|` too; such parts then fail to parse) ... */
  argoSemverValue: rule(ARGOCD_SEMVER_RELEASE, 'constraints.go', 'const cvRegex string = `v?([0-9|x|X|\\*]+)(\\.[0-9|x|X|\\*]+)?(\\.[0-9|x|X|\\*]+)?` +'),
  /** ... parsed from the first wildcard or missing part on as 0 (so the parts before it must be numbers). */
  argoSemverWildcard: rule(ARGOCD_SEMVER_RELEASE, 'constraints.go', 'case "x", "*", "X":', 'isX'),
  /** targetRevision: 7 or more hex digits that match no reference are taken as an abbreviated commit. */
  truncatedSha: argo('util/git/git.go', 'truncatedCommitSHARegex = regexp.MustCompile("^[0-9A-Fa-f]{7,}$")', /^[0-9A-Fa-f]{7,}$/),
  truncatedShaFallback: argoRule('util/git/client.go', 'if IsTruncatedCommitSHA(revision) {', 'nativeGitClient.lsRemote, after no reference matched'),
} as const;

/** Flux's names and fields the GitRepository and Kustomization rely on. */
export const FLUX_CONTRACT = {
  /** The namespace `flux install` puts the controllers in, and the flux CLI's default namespace. */
  namespace: fact(FLUX_RELEASE, 'pkg/manifestgen/install/options.go', 'Namespace:              "flux-system",', 'flux-system', 'MakeDefaultOptions'),
  /** The source-controller release Flux installs (config/versions.ts fluxControllers). */
  sourceController: fact(FLUX_RELEASE, 'manifests/bases/source-controller/kustomization.yaml', `source-controller/releases/download/${VERSIONS.fluxControllers.sourceController}/source-controller.crds.yaml`, VERSIONS.fluxControllers.sourceController),
  /** The kustomize-controller release Flux installs. */
  kustomizeController: fact(FLUX_RELEASE, 'manifests/bases/kustomize-controller/kustomization.yaml', `kustomize-controller/releases/download/${VERSIONS.fluxControllers.kustomizeController}/kustomize-controller.crds.yaml`, VERSIONS.fluxControllers.kustomizeController),
  /** GitRepository `ref.commit`: a commit SHA, taken before every reference field. */
  refCommit: fact(SOURCE_CONTROLLER_RELEASE, GIT_REPOSITORY_TYPES, 'Commit string `json:"commit,omitempty"`', 'commit', 'Commit SHA to check out, takes precedence over all reference fields'),
  /** GitRepository `ref.name`: a reference by its full name. */
  refName: fact(SOURCE_CONTROLLER_RELEASE, GIT_REPOSITORY_TYPES, 'Name string `json:"name,omitempty"`', 'name'),
  /** ... which must be a full Git reference (`refs/...`), as the loader lets only those through as `name`. */
  refNameIsFull: rule(SOURCE_CONTROLLER_RELEASE, GIT_REPOSITORY_TYPES, 'Examples: "refs/heads/main", "refs/tags/v0.1.0"'),
  /** GitRepository `ref.branch`: a branch by its short name. */
  refBranch: fact(SOURCE_CONTROLLER_RELEASE, GIT_REPOSITORY_TYPES, 'Branch string `json:"branch,omitempty"`', 'branch'),
  /** The Git library release source-controller builds with. */
  pkgGit: fact(SOURCE_CONTROLLER_RELEASE, 'go.mod', `github.com/fluxcd/pkg/git ${FLUX_PKG_GIT_RELEASE.ref.replace('git/', '')}`, FLUX_PKG_GIT_RELEASE.ref.replace('git/', '')),
  /** `ref.branch` is cloned as refs/heads/<branch> only: no tag, no semver constraint, no commit prefix. */
  branchIsHeads: rule(FLUX_PKG_GIT_RELEASE, 'git/gogit/clone.go', 'ref := plumbing.NewBranchReferenceName(branch)', 'Client.cloneBranch'),
  /** `ref.commit` is read as a full hash (hex, as git prints it: lower case). */
  commitIsHash: rule(FLUX_PKG_GIT_RELEASE, 'git/gogit/clone.go', 'cc, err := repo.CommitObject(plumbing.NewHash(commit))', 'Client.cloneCommit'),
  /** Kustomization `sourceRef` without a namespace: the source in the Kustomization's own namespace. */
  sourceRefNamespace: rule(KUSTOMIZE_CONTROLLER_RELEASE, 'api/v1/reference_types.go', 'Namespace of the referent, defaults to the namespace of the Kubernetes'),
  /** Kustomization `path`: the folder with the kustomization.yaml, relative to the source's root. */
  kustomizationPath: rule(KUSTOMIZE_CONTROLLER_RELEASE, 'api/v1/kustomization_types.go', 'Path to the directory containing the kustomization.yaml file, or the'),
} as const;

/**
 * The CRDs of the kinds dist/gitops writes, as the releases define them; test/fixtures/argocd-*,
 * flux-* hold them unmodified (a test compares) and imports/ is generated from those copies.
 */
export const GITOPS_CRDS = [
  { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', source: { ...ARGOCD_RELEASE, path: 'manifests/crds/application-crd.yaml' } },
  { apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'GitRepository', source: { ...SOURCE_CONTROLLER_RELEASE, path: 'config/crd/bases/source.toolkit.fluxcd.io_gitrepositories.yaml' } },
  { apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', source: { ...KUSTOMIZE_CONTROLLER_RELEASE, path: 'config/crd/bases/kustomize.toolkit.fluxcd.io_kustomizations.yaml' } },
] as const satisfies ReadonlyArray<{ readonly apiVersion: string; readonly kind: string; readonly source: UpstreamFile }>;
