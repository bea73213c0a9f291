import { Construct } from 'constructs';
import { Kustomization, KustomizationSpecSourceRefKind } from '../imports/kustomize.toolkit.fluxcd.io';
import type { FluxGitSource } from './flux-git-source';
import { FLUX } from './gitops-names';
import { gitopsLabels } from './gitops-labels';

export interface FluxManifestsKustomizationProps {
  /** Kustomization name in Flux's namespace. */
  readonly name: string;
  /** Value of the `app.kubernetes.io/name` label: what the Kustomization deploys. */
  readonly component: string;
  /** The GitRepository the folder is read from. */
  readonly source: FluxGitSource;
  /** Folder in the repository, relative to its root (Flux's `./...` form). */
  readonly path: string;
}

/**
 * A Flux Kustomization that applies a folder with a kustomization.yaml as `kubectl apply -k` does
 * (kustomize-controller applies server-side, namespaces first), prunes what left it, and waits for
 * every object to be ready, so its Ready condition says whether the platform is up.
 */
export class FluxManifestsKustomization extends Construct {
  public readonly resource: Kustomization;

  public constructor(scope: Construct, id: string, props: FluxManifestsKustomizationProps) {
    super(scope, id);
    this.resource = new Kustomization(this, 'Resource', {
      metadata: { name: props.name, namespace: FLUX.namespace, labels: gitopsLabels(props.component) },
      spec: {
        interval: '10m',
        retryInterval: '2m',
        timeout: '10m',
        sourceRef: { kind: KustomizationSpecSourceRefKind.GIT_REPOSITORY, name: props.source.resource.name },
        path: props.path,
        prune: true,
        wait: true,
      },
    });
  }
}
