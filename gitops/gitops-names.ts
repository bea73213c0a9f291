import { ARGOCD_CONTRACT, FLUX_CONTRACT } from '../config/contracts/gitops';

/**
 * What Argo CD and Flux read from the objects in dist/gitops, at the versions config/versions.ts
 * pins: the values of the contract (config/contracts/gitops.ts), which says where each is defined upstream.
 */

/** Argo CD's names (argoproj/argo-cd@v3.5.1). */
export const ARGOCD = {
  /** Namespace Argo CD is installed in and looks for Applications in. */
  namespace: ARGOCD_CONTRACT.namespace.value,
  /** The cluster Argo CD runs in. */
  inClusterServer: ARGOCD_CONTRACT.inClusterServer.value,
  /** The project every install has. */
  project: ARGOCD_CONTRACT.project.value,
  /** Orders the resources of one sync. */
  syncWaveAnnotation: ARGOCD_CONTRACT.syncWaveAnnotation.value,
  /**
   * Sync options: apply server-side, as `kubectl apply --server-side` and Flux do (no last-applied
   * annotation; fields others own, such as the injector webhook's caBundle, stay theirs); prune only
   * after everything else has been applied.
   */
  syncOptions: [ARGOCD_CONTRACT.serverSideApply.value, ARGOCD_CONTRACT.pruneLast.value],
} as const;

/** Flux's names (fluxcd/flux2@v2.9.0). */
export const FLUX = {
  /** Namespace `flux install` puts the controllers in. */
  namespace: FLUX_CONTRACT.namespace.value,
} as const;

/** Files under dist/gitops. */
export const GITOPS_FILES = {
  /** The one file an operator applies by hand: Argo CD's root Application, or Flux's source and Kustomization. */
  bootstrap: 'bootstrap.yaml',
  /** Argo CD's child Applications, one per manifest file (the root Application's source). */
  argocdApps: 'apps',
} as const;
