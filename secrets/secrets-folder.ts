/**
 * The secrets folder on disk: what is read back, and how it is written. Only the owner may read
 * it (folders 0700, files 0600), each file is replaced atomically (temporary file + rename in the
 * same folder), and a file whose content is unchanged is not rewritten.
 */
import * as fs from 'fs';
import * as path from 'path';
import { randomBytes } from 'crypto';
import { SecretsError } from './errors';

export const CA_CERT_FILE = 'ca.crt';
export const CA_KEY_FILE = 'ca.key';
export const CERTS_DIR = 'certs';
export const MANIFESTS_DIR = 'manifests';
export const GITIGNORE_FILE = '.gitignore';
export const DIR_MODE = 0o700;
export const FILE_MODE = 0o600;

/** Relative paths of a certificate's two files. */
export function certificatePaths(name: string): { readonly cert: string; readonly key: string } {
  return { cert: `${CERTS_DIR}/${name}.crt`, key: `${CERTS_DIR}/${name}.key` };
}

/** Files of the folder by relative path (`/`-separated). */
export type FolderFiles = ReadonlyMap<string, string>;

/** Every regular file at the top of the folder and in certs/ and manifests/; empty when the folder is absent. */
export function readFolder(dir: string): FolderFiles {
  const files = new Map<string, string>();
  const stat = statOrUndefined(dir);
  if (!stat) return files;
  if (!stat.isDirectory()) throw new SecretsError(`${dir} exists and is not a folder`);
  for (const sub of ['', CERTS_DIR, MANIFESTS_DIR]) {
    const abs = path.join(dir, sub);
    const subStat = statOrUndefined(abs);
    if (!subStat) continue;
    if (!subStat.isDirectory()) throw new SecretsError(`${abs} exists and is not a folder`);
    for (const entry of fs.readdirSync(abs, { withFileTypes: true })) {
      if (!entry.isFile()) continue;
      const rel = sub ? `${sub}/${entry.name}` : entry.name;
      try {
        files.set(rel, fs.readFileSync(path.join(abs, entry.name), 'utf8'));
      } catch (e) {
        throw new SecretsError(`cannot read ${path.join(abs, entry.name)}: ${(e as Error).message}`);
      }
    }
  }
  return files;
}

function statOrUndefined(p: string): fs.Stats | undefined {
  try {
    return fs.statSync(p);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new SecretsError(`cannot read ${p}: ${(e as Error).message}`);
  }
}

export interface WriteOutcome {
  /** Files whose content was (re)written. */
  readonly written: readonly string[];
  /** Files and folders whose permissions were tightened to 0600 / 0700. */
  readonly permissionsFixed: readonly string[];
}

/**
 * Writes the files whose content differs from `existing`, each atomically, and makes the folders
 * 0700 and every listed file 0600 (tightening what an earlier umask or a copy left looser).
 */
export function writeFolder(dir: string, files: FolderFiles, existing: FolderFiles): WriteOutcome {
  const written: string[] = [];
  const permissionsFixed: string[] = [];
  const folders = ['', ...new Set([...files.keys()].map((f) => path.posix.dirname(f)).filter((d) => d !== '.'))];
  try {
    for (const sub of folders) {
      const abs = path.join(dir, sub);
      fs.mkdirSync(abs, { recursive: true, mode: DIR_MODE });
      if ((fs.statSync(abs).mode & 0o777) !== DIR_MODE) {
        fs.chmodSync(abs, DIR_MODE);
        permissionsFixed.push(sub ? `${sub}/` : './');
      }
    }
    for (const [rel, content] of [...files].sort(([a], [b]) => a.localeCompare(b))) {
      const abs = path.join(dir, rel);
      if (existing.get(rel) !== content) {
        writeAtomic(abs, content);
        written.push(rel);
      } else if ((fs.statSync(abs).mode & 0o777) !== FILE_MODE) {
        fs.chmodSync(abs, FILE_MODE);
        permissionsFixed.push(rel);
      }
    }
  } catch (e) {
    if (e instanceof SecretsError) throw e;
    const done = written.length > 0 ? `; already written: ${written.join(', ')} (run again to finish)` : '';
    throw new SecretsError(`cannot write ${dir}: ${(e as Error).message}${done}`);
  }
  return { written, permissionsFixed };
}

/** Temporary file beside the target, created 0600 (never readable by others, even briefly), then renamed over it. */
function writeAtomic(target: string, content: string): void {
  const tmp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const fd = fs.openSync(tmp, 'wx', FILE_MODE);
    try {
      fs.writeFileSync(fd, content);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.chmodSync(tmp, FILE_MODE);
    fs.renameSync(tmp, target);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}
