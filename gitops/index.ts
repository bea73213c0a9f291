export * from './argocd-application';
export * from './flux-git-source';
export * from './flux-manifests-kustomization';
export * from './gitops-labels';
export * from './gitops-names';
export * from './render-gitops';
