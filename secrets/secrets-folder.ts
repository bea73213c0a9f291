/**
 * The secrets folder on disk: what is read back, and how it is written. Only the owner may read
 * it (folders 0700, files 0600), and a file whose content is unchanged is not rewritten.
 *
 * A run's files appear together or not at all, whenever the process dies: every changed file is
 * first written complete into a staging folder inside the secrets folder (`.kpaas-staging-*`),
 * which one rename then commits as `.kpaas-pending`; the files are then renamed into place (keys
 * before certificates) and the pending folder removed. The next run first finishes a committed
 * run (moves what is left in `.kpaas-pending` into place) and removes an uncommitted staging
 * folder, so it always starts from the folder before or after one complete run, never between.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { randomBytes } from 'crypto';
import { SecretsError } from './errors';

import { CA_CERT_FILE, SECRETS_MANIFESTS_DIR } from '../config/platform';

export { CA_CERT_FILE };
export const CA_KEY_FILE = 'ca.key';
export const CERTS_DIR = 'certs';
export const MANIFESTS_DIR = SECRETS_MANIFESTS_DIR;
export const GITIGNORE_FILE = '.gitignore';
export const DIR_MODE = 0o700;
export const FILE_MODE = 0o600;
/** Prefix of a run's staging folder: files being written, not yet committed. */
export const STAGING_PREFIX = '.kpaas-staging-';
/** A committed run's files that are not in place yet. */
export const PENDING_DIR = '.kpaas-pending';
/** Held by the run writing the folder: `<pid> <hostname>`. */
export const LOCK_FILE = '.kpaas-lock';
/** Temporary files of versions before the staging folder (`.<name>.<pid>.<hex>.tmp`). */
const OLD_TEMP_FILE = /^\..+\.\d+\.[0-9a-f]{8}\.tmp$/;

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
      if (!entry.isFile() || (sub === '' && entry.name === LOCK_FILE)) continue;
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

/**
 * Every change the writer makes to the disk goes through these operations, so a test can fail or
 * "kill" the run at any one of them (test/secrets/secrets-crash.test.ts).
 */
export interface FolderOps {
  /** mkdir -p with the mode (for what it creates). */
  mkdir(p: string, mode: number): void;
  chmod(p: string, mode: number): void;
  /** Creates a new file (never over an existing one) with the whole content, flushed to disk. */
  writeNew(p: string, content: string, mode: number): void;
  rename(from: string, to: string): void;
  /** rm -rf. */
  remove(p: string): void;
  /** Flushes a folder's entries (the renames in it) to disk. */
  syncDir(p: string): void;
}

export const NODE_FOLDER_OPS: FolderOps = {
  mkdir: (p, mode) => { fs.mkdirSync(p, { recursive: true, mode }); },
  chmod: (p, mode) => fs.chmodSync(p, mode),
  writeNew: (p, content, mode) => {
    const fd = fs.openSync(p, 'wx', mode);
    try {
      fs.fchmodSync(fd, mode); // the umask may have narrowed it; never wider
      fs.writeFileSync(fd, content);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  },
  rename: (from, to) => fs.renameSync(from, to),
  remove: (p) => fs.rmSync(p, { recursive: true, force: true }),
  syncDir: (p) => {
    const fd = fs.openSync(p, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  },
};

export interface WriteOutcome {
  /** Files whose content was (re)written. */
  readonly written: readonly string[];
  /** Files and folders whose permissions were tightened to 0600 / 0700. */
  readonly permissionsFixed: readonly string[];
}

export interface RecoveryOutcome {
  /** Files an interrupted run had committed, put in place now. */
  readonly finished: readonly string[];
  /** Staging folders (and old temporary files) of interrupted runs that had changed nothing, removed. */
  readonly discarded: readonly string[];
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** Relative paths of every file below a folder, `/`-separated. */
function filesBelow(root: string, rel = ''): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...filesBelow(root, r));
    else out.push(r);
  }
  return out;
}

/** Keys first, certificates after them, everything else last: a certificate never lands before its key. */
function applyOrder(a: string, b: string): number {
  const rank = (rel: string) => (rel.endsWith('.key') ? 0 : rel.endsWith('.crt') ? 1 : 2);
  return rank(a) - rank(b) || a.localeCompare(b);
}

/** Moves every file of the pending folder into place, then removes it; returns what was moved. */
function finishPending(dir: string, ops: FolderOps): string[] {
  const pending = path.join(dir, PENDING_DIR);
  const moved = filesBelow(pending).sort(applyOrder);
  const parents = new Set<string>();
  for (const rel of moved) {
    const parent = path.dirname(path.join(dir, rel));
    if (!fs.existsSync(parent)) ops.mkdir(parent, DIR_MODE);
    ops.rename(path.join(pending, rel), path.join(dir, rel));
    parents.add(parent);
  }
  for (const parent of parents) ops.syncDir(parent);
  ops.remove(pending);
  return moved;
}

/**
 * Brings a folder that an interrupted run left behind to a complete state: finishes a committed
 * run, removes an uncommitted staging folder and old temporary files. Nothing to do on a folder
 * that is absent or was left by a complete run.
 */
export function recoverFolder(dir: string, ops: FolderOps = NODE_FOLDER_OPS): RecoveryOutcome {
  if (!statOrUndefined(dir)?.isDirectory()) return { finished: [], discarded: [] };
  const discarded: string[] = [];
  let finished: string[] = [];
  let step = 'finish';
  try {
    if (statOrUndefined(path.join(dir, PENDING_DIR))) finished = finishPending(dir, ops);
    step = 'clean';
    for (const sub of ['', CERTS_DIR, MANIFESTS_DIR]) {
      const abs = path.join(dir, sub);
      if (!statOrUndefined(abs)?.isDirectory()) continue;
      for (const name of fs.readdirSync(abs)) {
        if ((sub === '' && name.startsWith(STAGING_PREFIX)) || OLD_TEMP_FILE.test(name)) {
          ops.remove(path.join(abs, name));
          discarded.push(sub ? `${sub}/${name}` : name);
        }
      }
    }
  } catch (e) {
    if (e instanceof SecretsError) throw e;
    throw new SecretsError(step === 'finish'
      ? `cannot finish the interrupted run in ${dir}: ${message(e)}; its files not yet in place are in ${path.join(dir, PENDING_DIR)}, and the next run tries again`
      : `cannot remove what an interrupted run left in ${dir}: ${message(e)}`);
  }
  return { finished, discarded };
}

/**
 * Writes the files whose content differs from `existing`, all together (see the module comment),
 * and makes the folders 0700 and every listed file 0600 (tightening what an earlier umask or a
 * copy left looser). `existing` must be what readFolder returned after recoverFolder.
 */
export function writeFolder(dir: string, files: FolderFiles, existing: FolderFiles, ops: FolderOps = NODE_FOLDER_OPS): WriteOutcome {
  const permissionsFixed: string[] = [];
  const folders = ['', ...new Set([...files.keys()].map((f) => path.posix.dirname(f)).filter((d) => d !== '.'))];
  const changed = [...files.keys()].filter((rel) => existing.get(rel) !== files.get(rel)).sort(applyOrder);
  try {
    for (const sub of folders) {
      const abs = path.join(dir, sub);
      if (!fs.existsSync(abs)) ops.mkdir(abs, DIR_MODE);
      if ((fs.statSync(abs).mode & 0o777) !== DIR_MODE) {
        ops.chmod(abs, DIR_MODE);
        permissionsFixed.push(sub ? `${sub}/` : './');
      }
    }
  } catch (e) {
    throw new SecretsError(`cannot prepare ${dir}: ${message(e)}; no file in it was changed`);
  }

  if (changed.length > 0) {
    // 1. every changed file, complete and on disk, in a staging folder nothing reads
    const staging = path.join(dir, `${STAGING_PREFIX}${process.pid}-${randomBytes(4).toString('hex')}`);
    try {
      ops.mkdir(staging, DIR_MODE);
      const subs = [...new Set(changed.map((rel) => path.posix.dirname(rel)).filter((d) => d !== '.'))];
      for (const sub of subs) ops.mkdir(path.join(staging, sub), DIR_MODE);
      for (const rel of changed) ops.writeNew(path.join(staging, rel), files.get(rel) as string, FILE_MODE);
      for (const sub of subs) ops.syncDir(path.join(staging, sub));
      ops.syncDir(staging);
      // 2. the commit: one rename makes the whole run's files pending
      ops.rename(staging, path.join(dir, PENDING_DIR));
    } catch (e) {
      let left = '';
      try {
        ops.remove(staging);
      } catch {
        left = `; the next run removes ${staging}`;
      }
      throw new SecretsError(`cannot write ${dir}: ${message(e)}; no file in it was changed${left}`);
    }
    // 3. into place; from here on an interrupted run is finished by the next one
    try {
      ops.syncDir(dir);
      finishPending(dir, ops);
    } catch (e) {
      throw new SecretsError(`cannot finish writing ${dir}: ${message(e)}; the new files not yet in place are in ${path.join(dir, PENDING_DIR)}, and the next run puts them in place first`);
    }
  }

  try {
    for (const rel of [...files.keys()].sort()) {
      if (changed.includes(rel)) continue;
      const abs = path.join(dir, rel);
      if ((fs.statSync(abs).mode & 0o777) !== FILE_MODE) {
        ops.chmod(abs, FILE_MODE);
        permissionsFixed.push(rel);
      }
    }
  } catch (e) {
    throw new SecretsError(`cannot set the permissions of the files in ${dir}: ${message(e)}; their contents are complete`);
  }
  return { written: [...changed].sort((a, b) => a.localeCompare(b)), permissionsFixed };
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Serializes runs on one folder: takes `.kpaas-lock` (creating the folder, 0700, if it is
 * absent) and returns its release. A lock whose holder has died (same host, no such process)
 * is taken over: the holder's run is then finished or cleared by recoverFolder.
 */
export function lockFolder(dir: string): () => void {
  const st = statOrUndefined(dir);
  if (st && !st.isDirectory()) throw new SecretsError(`${dir} exists and is not a folder`);
  const lock = path.join(dir, LOCK_FILE);
  const me = `${process.pid} ${os.hostname()}\n`;
  try {
    if (!st) fs.mkdirSync(dir, { recursive: true, mode: DIR_MODE });
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        fs.writeFileSync(lock, me, { flag: 'wx', mode: FILE_MODE });
        return () => {
          try {
            if (fs.readFileSync(lock, 'utf8') === me) fs.rmSync(lock, { force: true });
          } catch {
            // gone already: nothing to release
          }
        };
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
      let holder = '';
      try {
        holder = fs.readFileSync(lock, 'utf8');
      } catch {
        continue; // released meanwhile
      }
      const [pid, host] = holder.trim().split(' ');
      if (host && host !== os.hostname()) {
        throw new SecretsError(`${lock} says kpaas secrets (pid ${pid}) is writing this folder from ${host}; if it is not, remove the file and run again`);
      }
      if (Number(pid) > 0 && processAlive(Number(pid))) throw new SecretsError(`kpaas secrets (pid ${pid}) is writing ${dir}; run again when it has ended`);
      fs.rmSync(lock, { force: true }); // its holder died
    }
  } catch (e) {
    if (e instanceof SecretsError) throw e;
    throw new SecretsError(`cannot lock ${dir}: ${message(e)}`);
  }
  throw new SecretsError(`cannot lock ${dir}: another run took the lock meanwhile; run again`);
}
