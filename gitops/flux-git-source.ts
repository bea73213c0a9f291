import { Construct } from 'constructs';
import { COMMIT_SHA, type GitopsSettings } from '../config';
import { GitRepository, type GitRepositorySpecRef } from '../imports/source.toolkit.fluxcd.io';
import { FLUX } from './gitops-names';
import { gitopsLabels } from './gitops-labels';

export interface FluxGitSourceProps {
  /** GitRepository name in Flux's namespace. */
  readonly name: string;
  /** Where the repository is and which revision to follow. */
  readonly repo: GitopsSettings;
}

/**
 * The revision as a GitRepository reference (source-controller v1.9.1 GitRepositoryRef): a commit
 * as `commit`, a full reference (`refs/...`) as `name`, anything else as a branch.
 */
export function fluxGitRef(revision: string): GitRepositorySpecRef {
  if (COMMIT_SHA.test(revision)) return { commit: revision };
  if (revision.startsWith('refs/')) return { name: revision };
  return { branch: revision };
}

/** Name of the Secret a GitRepository with an ssh:// URL authenticates with (`flux create secret git`). */
export function fluxGitAuthSecret(sourceName: string): string {
  return `${sourceName}-git-auth`;
}

/**
 * A Flux GitRepository of the repository dist is committed to, checked every minute. An ssh://
 * repository needs a key, so it names a Secret the operator creates (docs/gitops.md); an https one
 * names none (a public repository, or credentials added by the operator).
 */
export class FluxGitSource extends Construct {
  public readonly resource: GitRepository;

  public constructor(scope: Construct, id: string, props: FluxGitSourceProps) {
    super(scope, id);
    const ssh = props.repo.repoURL.startsWith('ssh://');
    this.resource = new GitRepository(this, 'Resource', {
      metadata: { name: props.name, namespace: FLUX.namespace, labels: gitopsLabels(props.name) },
      spec: {
        interval: '1m',
        url: props.repo.repoURL,
        ref: fluxGitRef(props.repo.revision),
        ...(ssh ? { secretRef: { name: fluxGitAuthSecret(props.name) } } : {}),
      },
    });
  }
}
