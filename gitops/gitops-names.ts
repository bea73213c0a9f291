/**
 * What Argo CD and Flux read from the objects in dist/gitops, at the versions config/versions.ts
 * pins, each with where it is defined upstream.
 */

/** Argo CD's facts (argoproj/argo-cd@v3.5.1). */
export const ARGOCD = {
  /** Namespace Argo CD is installed in and looks for Applications in (docs/getting_started.md). */
  namespace: 'argocd',
  /** The cluster Argo CD runs in (pkg/apis/application/v1alpha1/application_defaults.go KubernetesInternalAPIServerAddr). */
  inClusterServer: 'https://kubernetes.default.svc',
  /** The project every install has (application_defaults.go DefaultAppProjectName). */
  project: 'default',
  /** Orders the resources of one sync (gitops-engine/pkg/sync/common/types.go AnnotationSyncWave). */
  syncWaveAnnotation: 'argocd.argoproj.io/sync-wave',
  /**
   * Sync options (gitops-engine/pkg/sync/common/types.go): apply server-side, as `kubectl apply
   * --server-side` and Flux do (no last-applied annotation; fields others own, such as the injector
   * webhook's caBundle, stay theirs); prune only after everything else has been applied.
   */
  syncOptions: ['ServerSideApply=true', 'PruneLast=true'],
} as const;

/** Flux's facts (fluxcd/flux2@v2.9.0). */
export const FLUX = {
  /** Namespace `flux install` puts the controllers in (pkg/manifestgen/install/options.go). */
  namespace: 'flux-system',
} as const;

/** Files under dist/gitops. */
export const GITOPS_FILES = {
  /** The one file an operator applies by hand: Argo CD's root Application, or Flux's source and Kustomization. */
  bootstrap: 'bootstrap.yaml',
  /** Argo CD's child Applications, one per manifest file (the root Application's source). */
  argocdApps: 'apps',
} as const;
