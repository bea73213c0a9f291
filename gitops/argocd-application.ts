import { Construct } from 'constructs';
import type { GitopsSettings } from '../config';
import { Application } from '../imports/argoproj.io';
import { ARGOCD } from './gitops-names';
import { gitopsLabels } from './gitops-labels';

/** A file name `directory.include` matches as itself only: no glob characters, no folder. */
const PLAIN_FILE_NAME = /^[A-Za-z0-9._-]+$/;

export interface ArgoCdApplicationProps {
  /** Application name, unique in Argo CD's namespace. */
  readonly name: string;
  /** Value of the `app.kubernetes.io/name` label: what the Application deploys. */
  readonly component: string;
  /** Where the repository is and which revision to follow. */
  readonly repo: GitopsSettings;
  /** Folder in the repository the Application reads. */
  readonly path: string;
  /**
   * The one file of `path` the Application applies, read as plain YAML (Argo CD's directory source
   * with `include`), even though `path` holds a kustomization.yaml.
   * @default every file of `path`, as Argo CD detects its type
   */
  readonly include?: string;
  /**
   * Sync wave of the Application inside its parent (the root Application).
   * @default no wave annotation (wave 0)
   */
  readonly syncWave?: number;
  /**
   * Namespace for resources in `path` that name none.
   * @default none: every object in `path` names its namespace
   */
  readonly destinationNamespace?: string;
}

/**
 * An Argo CD Application that keeps a folder of the repository applied to the cluster Argo CD runs
 * in: automated sync with pruning and self-heal, retried with backoff (the child Applications of
 * one root are created in wave order but sync on their own, so an early attempt can find a
 * namespace not there yet). No deletion finalizer: deleting an Application leaves what it applied.
 */
export class ArgoCdApplication extends Construct {
  public readonly resource: Application;

  public constructor(scope: Construct, id: string, props: ArgoCdApplicationProps) {
    super(scope, id);
    if (props.include !== undefined && !PLAIN_FILE_NAME.test(props.include)) {
      // Argo CD matches include as a glob: a file name with glob characters would match others
      throw new Error(`Argo CD Application ${props.name}: include ${JSON.stringify(props.include)} is not a plain file name; allowed: letters, digits, ".", "_" and "-"`);
    }
    this.resource = new Application(this, 'Resource', {
      metadata: {
        name: props.name,
        namespace: ARGOCD.namespace,
        labels: gitopsLabels(props.component),
        ...(props.syncWave !== undefined ? { annotations: { [ARGOCD.syncWaveAnnotation]: String(props.syncWave) } } : {}),
      },
      spec: {
        project: ARGOCD.project,
        source: {
          repoUrl: props.repo.repoURL,
          targetRevision: props.repo.revision,
          path: props.path,
          ...(props.include !== undefined ? { directory: { include: props.include } } : {}),
        },
        destination: {
          server: ARGOCD.inClusterServer,
          ...(props.destinationNamespace !== undefined ? { namespace: props.destinationNamespace } : {}),
        },
        syncPolicy: {
          automated: { prune: true, selfHeal: true },
          syncOptions: [...ARGOCD.syncOptions],
          retry: { limit: 10, backoff: { duration: '10s', factor: 2, maxDuration: '5m' } },
        },
      },
    });
  }
}
