/** One problem in the configuration: the dotted field path and what is wrong with it. */
export interface ConfigIssue {
  /** Dotted path of the field, e.g. `nodes.masters.ips[1]`. */
  readonly path: string;
  /** What is wrong, naming the value received and what is allowed. */
  readonly message: string;
}

/**
 * Problems listed in one ConfigError message at most; the rest are counted. A list of 500
 * identical addresses would otherwise print one line per pair (124,750 lines).
 */
export const MAX_REPORTED_ISSUES = 20;

/**
 * Raised by the config loader for bad input. The CLI prints `message` (one line per issue, at
 * most MAX_REPORTED_ISSUES of them) and exits 1 without a stack trace.
 */
export class ConfigError extends Error {
  public readonly issues: readonly ConfigIssue[];

  public constructor(source: string, issues: readonly ConfigIssue[]) {
    const lines = issues.slice(0, MAX_REPORTED_ISSUES).map((i) => `${source}: ${i.path ? `${i.path}: ` : ''}${i.message}`);
    const more = issues.length - MAX_REPORTED_ISSUES;
    if (more > 0) lines.push(`${source}: ... and ${more} more problem${more > 1 ? 's' : ''} (fix these first)`);
    super(lines.join('\n'));
    this.name = 'ConfigError';
    this.issues = issues;
  }
}

/** Characters of a value an error message shows; longer values are cut, with their length. */
export const MAX_SHOWN_CHARS = 60;

/**
 * Headers that mark secret key material, with what to call it. Never echoed. (`\s` stands for
 * the space: no tracked file may hold a private-key header literally.)
 */
const SECRET_KEYS: ReadonlyArray<readonly [RegExp, string]> = [
  [/-----BEGIN OPENSSH PRIVATE\sKEY-----/, 'an OpenSSH private key'],
  [/-----BEGIN ENCRYPTED PRIVATE\sKEY-----/, 'an encrypted PEM private key'],
  [/-----BEGIN ([A-Z0-9]+ )*PRIVATE\sKEY-----/, 'a PEM private key'],
  [/PuTTY-User-Key-File-\d/, 'a PuTTY private key'],
  [/PRIVATE KEY/, 'a private key'],
];

/**
 * What kind of private key a text looks like ("a PEM private key"), or undefined when it holds
 * none. Error messages never echo such a text, not even in part.
 */
export function secretKind(text: string): string | undefined {
  return SECRET_KEYS.find(([re]) => re.test(text))?.[1];
}

/** `text` cut to `max` characters (whole code points), with `…` where it was cut. */
function cut(text: string, max: number): string {
  const points = Array.from(text.slice(0, max * 2 + 2));
  return points.length > max ? `${points.slice(0, max).join('')}…` : text;
}

/**
 * Formats a value for an error message: strings quoted, numbers as YAML writes them (`.inf`,
 * `.nan`), everything else as compact JSON. Long values are cut to MAX_SHOWN_CHARS with their
 * length (`"aaaa…" (10485760 characters)`); private keys are never shown.
 */
export function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'number' && !Number.isFinite(value)) return Number.isNaN(value) ? '.nan' : value > 0 ? '.inf' : '-.inf';
  if (typeof value === 'string') {
    const kind = secretKind(value);
    if (kind) return `(${kind}, ${value.length} characters, not shown)`;
    if (value.length <= MAX_SHOWN_CHARS) return JSON.stringify(value);
    return `${JSON.stringify(cut(value, MAX_SHOWN_CHARS))} (${value.length} characters)`;
  }
  let json: string;
  try {
    json = JSON.stringify(value) ?? String(value);
  } catch {
    json = Object.prototype.toString.call(value); // circular or otherwise unprintable
  }
  const kind = secretKind(json);
  if (kind) return `(a value holding ${kind}, not shown)`;
  return json.length <= MAX_SHOWN_CHARS ? json : `${cut(json, MAX_SHOWN_CHARS)} (${json.length} characters)`;
}

/** What an errno code means, in words people use (Node's own texts are terse). */
const ERRNO: Readonly<Record<string, string>> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOENT: 'no such file or directory',
  ENOTDIR: 'not a directory',
  EISDIR: 'is a directory',
  EEXIST: 'already exists',
  ENOTEMPTY: 'directory not empty',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'read-only file system',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files in the system',
  ELOOP: 'too many levels of symbolic links',
  ENAMETOOLONG: 'file name too long',
  EIO: 'input/output error',
  EBUSY: 'resource busy',
  EXDEV: 'not on the same file system',
  EINVAL: 'invalid argument',
  EAGAIN: 'resource temporarily unavailable',
  EPIPE: 'broken pipe',
};

/** An errno error as "permission denied (EACCES)"; other errors by their first line. */
export function describeErrno(e: unknown): string {
  const err = e as NodeJS.ErrnoException | undefined;
  const code = typeof err?.code === 'string' ? err.code : undefined;
  if (code && /^E[A-Z0-9]+$/.test(code)) {
    // Node's message is "CODE: text, syscall 'path'"
    const text = ERRNO[code] ?? String(err?.message ?? '').replace(/^[A-Z0-9]+: /, '').replace(/, \w+( '.*)?$/s, '');
    return `${text} (${code})`;
  }
  return String((e as Error | undefined)?.message ?? e).split('\n')[0];
}
