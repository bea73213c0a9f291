/** The synthesized output: file contents by path relative to the dist folder (POSIX separators). */
export interface DistFile {
  readonly content: string;
  /** Written with mode 0755 instead of 0644 (scripts). @default false */
  readonly executable?: boolean;
}

export type DistFiles = Map<string, DistFile>;

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
];

/** Adds a pattern of files written into dist by another command (e.g. `kpaas connect`). */
export function preservePattern(pattern: RegExp): void {
  (PRESERVED as RegExp[]).push(pattern);
}

export function isPreserved(relPath: string): boolean {
  return PRESERVED.some((p) => p.test(relPath));
}
