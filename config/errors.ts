/** One problem in the configuration: the dotted field path and what is wrong with it. */
export interface ConfigIssue {
  /** Dotted path of the field, e.g. `nodes.masters.ips[1]`. */
  readonly path: string;
  /** What is wrong, naming the value received and what is allowed. */
  readonly message: string;
}

/**
 * Raised by the config loader for bad input. The CLI prints `message` (one line per issue) and
 * exits non-zero without a stack trace.
 */
export class ConfigError extends Error {
  public readonly issues: readonly ConfigIssue[];

  public constructor(source: string, issues: readonly ConfigIssue[]) {
    super(issues.map((i) => `${source}: ${i.path ? `${i.path}: ` : ''}${i.message}`).join('\n'));
    this.name = 'ConfigError';
    this.issues = issues;
  }
}

/** Formats a value for an error message: strings quoted, everything else as compact JSON. */
export function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === undefined) return 'nothing';
  return JSON.stringify(value);
}
