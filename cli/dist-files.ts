/** The synthesized output: file contents by path relative to the dist folder (POSIX separators). */
export interface DistFile {
  readonly content: string;
  /** Written with mode 0755 instead of 0644 (scripts). @default false */
  readonly executable?: boolean;
}

export type DistFiles = Map<string, DistFile>;

import { CONNECTION_FILES } from '../ansible';

/**
 * Files in dist that synth does not write but must keep when it replaces dist: Terraform's working
 * files (providers, lock file, a state a user left beside the config) and what `kpaas connect`
 * wrote after `terraform apply`. `--check` ignores them too.
 */
const PRESERVED: readonly RegExp[] = [
  /^terraform\/[^/]+\/\.terraform(\/|$)/,
  /^terraform\/[^/]+\/\.terraform\.lock\.hcl$/,
  /^terraform\/[^/]+\/terraform\.tfstate(\.backup)?$/,
  /^terraform\/[^/]+\/[^/]+\.tfplan$/,
  // written by `kpaas connect` from the applied stack's outputs
  ...CONNECTION_FILES.map((f) => new RegExp(`^ansible/${f.replace(/[.]/g, '\\.')}$`)),
];

export function isPreserved(relPath: string): boolean {
  return PRESERVED.some((p) => p.test(relPath));
}
