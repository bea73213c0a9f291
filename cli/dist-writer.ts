/**
 * Writes dist atomically, one synth at a time:
 * - a lock beside dist serializes synths of the same folder; a killed holder's lock goes stale
 *   (proper-lockfile refreshes its mtime while held) and the next synth takes it over;
 * - the new tree is written in full into a temporary sibling, and the files synth keeps
 *   (Terraform's working files and state, `kpaas connect`'s files) are hard-linked (or copied)
 *   into it: nothing is moved out of dist before the new tree is complete;
 * - the swap is two renames (dist to `.dist.old-*`, the new tree to dist), then the old tree is
 *   removed. A kill between the two renames leaves no dist but the complete old tree beside it;
 * - the next run, under the lock, finds what a killed run left (`.dist.new-*`, `.dist.old-*`),
 *   restores dist from the old tree when dist is missing, carries over kept files that only a
 *   leftover holds, and removes leftovers that hold nothing dist lacks; a leftover whose kept
 *   files differ from dist's is left in place and reported, with what to do.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as lockfile from 'proper-lockfile';
import { DistFiles, isPreserved } from './dist-files';

/** A failure of the writer, with a message that says what happened to dist. */
export class DistWriteError extends Error {}

/** A step of the writer that changes the file system (for fault-injection tests). */
export interface WriterStep {
  readonly kind: 'lock' | 'recover' | 'write' | 'link' | 'swap-out' | 'swap-in' | 'remove-old';
  /** The path the step changes. */
  readonly path: string;
}

export interface WriteDistOptions {
  /** Called before each step that changes the file system; a test injects failures or pauses here. */
  readonly beforeStep?: (step: WriterStep) => void | Promise<void>;
  /**
   * How long a lock whose holder stopped refreshing it (a killed synth) blocks the next one.
   * @default 10000 ms (proper-lockfile's minimum is 2000)
   */
  readonly staleLockMs?: number;
  /**
   * How long to wait for another synth of the same dist before giving up.
   * @default 30000 ms
   */
  readonly lockWaitMs?: number;
}

export interface WriteDistResult {
  /** What the run found and did about an earlier, interrupted run (one line each). */
  readonly recovered: readonly string[];
}

const DIR_MODE = 0o755;
const fileMode = (executable?: boolean) => (executable ? 0o755 : 0o644);

/** Names of the writer's siblings of dist: `.dist.new-*`, `.dist.old-*` and the lock `.dist.lock`. */
export function leftoverPrefixes(outDir: string): { readonly new: string; readonly old: string; readonly lock: string } {
  const base = path.basename(path.resolve(outDir));
  return { new: `.${base}.new-`, old: `.${base}.old-`, lock: `.${base}.lock` };
}

/** Refuses an --out that is not a folder (a file, a symbolic link). */
export function checkDistTarget(outDir: string): void {
  let st: fs.Stats;
  try {
    st = fs.lstatSync(outDir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw new DistWriteError(`cannot write ${outDir}: ${(e as Error).message}; nothing was written`);
  }
  if (st.isSymbolicLink()) {
    throw new DistWriteError(`${outDir} is a symbolic link (to ${fs.readlinkSync(outDir)}); synth replaces dist as a whole and would replace the link, not its target: give the real folder as --out`);
  }
  if (!st.isDirectory()) throw new DistWriteError(`${outDir} exists and is not a folder; remove it or choose another --out`);
}

export async function writeDist(outDir: string, files: DistFiles, options: WriteDistOptions = {}): Promise<WriteDistResult> {
  const step = async (kind: WriterStep['kind'], p: string) => { await options.beforeStep?.({ kind, path: p }); };
  checkDistTarget(outDir);
  const abs = path.resolve(outDir);
  const parent = path.dirname(abs);
  try {
    fs.mkdirSync(parent, { recursive: true });
  } catch (e) {
    throw new DistWriteError(`cannot write ${outDir}: ${(e as Error).message}; nothing was written`);
  }
  const names = leftoverPrefixes(abs);
  const stale = Math.max(options.staleLockMs ?? 10_000, 2000);
  let compromised: Error | undefined;
  await step('lock', path.join(parent, names.lock));
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(abs, {
      realpath: false,
      lockfilePath: path.join(parent, names.lock),
      stale,
      update: Math.floor(stale / 2),
      retries: { retries: Math.ceil((options.lockWaitMs ?? 30_000) / 250), factor: 1, minTimeout: 250, maxTimeout: 250 },
      onCompromised: (e) => { compromised = e; },
    });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ELOCKED') {
      throw new DistWriteError(`another synth is writing ${outDir} (lock ${path.join(path.dirname(outDir), names.lock)}); nothing was written: run again when it has finished`);
    }
    throw new DistWriteError(`cannot lock ${outDir}: ${(e as Error).message}; nothing was written`);
  }
  try {
    const recovered = await recoverLeftovers(abs, names, step);
    const tmp = fs.mkdtempSync(path.join(parent, names.new));
    try {
      fs.chmodSync(tmp, DIR_MODE); // mkdtemp makes it 0700
      await writeTree(tmp, files, step);
      await linkKept(abs, tmp, step);
      if (compromised) throw new Error(`the lock was taken over by another synth (${compromised.message})`);
    } catch (e) {
      fs.rmSync(tmp, { recursive: true, force: true });
      throw new DistWriteError(`cannot write ${outDir}: ${(e as Error).message}; ${outDir} was left as it was`);
    }
    await swap(abs, tmp, outDir, names, step, recovered);
    return { recovered };
  } finally {
    await release().catch(() => undefined); // a compromised lock is already gone
  }
}

/** Writes every file with explicit modes: the result must not depend on the user's umask. */
async function writeTree(root: string, files: DistFiles, step: (k: WriterStep['kind'], p: string) => Promise<void>): Promise<void> {
  const made = new Set<string>();
  const mkdirs = (dir: string) => {
    if (dir === root || made.has(dir)) return;
    mkdirs(path.dirname(dir));
    if (!fs.existsSync(dir)) fs.mkdirSync(dir);
    fs.chmodSync(dir, DIR_MODE);
    made.add(dir);
  };
  for (const rel of [...files.keys()].sort()) {
    const file = files.get(rel)!;
    const dest = path.join(root, ...rel.split('/'));
    await step('write', dest);
    mkdirs(path.dirname(dest));
    fs.writeFileSync(dest, file.content);
    fs.chmodSync(dest, fileMode(file.executable));
  }
}

/** Hard-links (or copies) the kept files of dist into the new tree; dist itself is not changed. */
async function linkKept(abs: string, tmp: string, step: (k: WriterStep['kind'], p: string) => Promise<void>): Promise<void> {
  for (const rel of keptFiles(abs)) {
    const dest = path.join(tmp, ...rel.split('/'));
    if (fs.existsSync(dest)) continue; // synth now writes this path itself
    await step('link', dest);
    mkdirParents(tmp, dest);
    cloneTree(path.join(abs, ...rel.split('/')), dest);
  }
}

/** The kept paths under dir; a kept folder (`.terraform/`) is one entry. */
function keptFiles(dir: string): string[] {
  return listFiles(dir, { includePreserved: true, stopAtPreserved: true }).filter(isPreserved);
}

function mkdirParents(root: string, dest: string): void {
  const rel = path.relative(root, path.dirname(dest));
  let d = root;
  for (const part of rel ? rel.split(path.sep) : []) {
    d = path.join(d, part);
    if (!fs.existsSync(d)) { fs.mkdirSync(d); fs.chmodSync(d, DIR_MODE); }
  }
}

/** A copy of a file or folder that shares the files' data where it can (hard links). */
function cloneTree(src: string, dest: string): void {
  const st = fs.lstatSync(src);
  if (st.isSymbolicLink()) {
    fs.symlinkSync(fs.readlinkSync(src), dest);
  } else if (st.isDirectory()) {
    fs.mkdirSync(dest);
    fs.chmodSync(dest, st.mode & 0o7777);
    for (const name of fs.readdirSync(src)) cloneTree(path.join(src, name), path.join(dest, name));
  } else {
    try {
      fs.linkSync(src, dest);
    } catch {
      fs.copyFileSync(src, dest); // another file system, or links not allowed
      fs.chmodSync(dest, st.mode & 0o7777);
    }
  }
}

/** Old dist out, new tree in; the old tree goes only once the new one is in place. */
async function swap(
  abs: string,
  tmp: string,
  outDir: string,
  names: ReturnType<typeof leftoverPrefixes>,
  step: (k: WriterStep['kind'], p: string) => Promise<void>,
  notes: string[],
): Promise<void> {
  if (!fs.existsSync(abs)) {
    try {
      await step('swap-in', abs);
      fs.renameSync(tmp, abs);
    } catch (e) {
      fs.rmSync(tmp, { recursive: true, force: true });
      throw new DistWriteError(`cannot write ${outDir}: ${(e as Error).message}; nothing was written`);
    }
    return;
  }
  const old = path.join(path.dirname(abs), path.basename(tmp).replace(names.new, names.old));
  try {
    await step('swap-out', abs);
    fs.renameSync(abs, old);
  } catch (e) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw new DistWriteError(`cannot replace ${outDir}: ${(e as Error).message}; ${outDir} was left as it was`);
  }
  try {
    await step('swap-in', abs);
    fs.renameSync(tmp, abs);
  } catch (e) {
    try {
      fs.renameSync(old, abs);
    } catch {
      throw new DistWriteError(`cannot replace ${outDir}: ${(e as Error).message}; the previous ${outDir} is now ${old} and the new one ${tmp}: rename the previous one back (or run synth again, which does it)`);
    }
    fs.rmSync(tmp, { recursive: true, force: true });
    throw new DistWriteError(`cannot replace ${outDir}: ${(e as Error).message}; ${outDir} was left as it was`);
  }
  try {
    await step('remove-old', old);
    fs.rmSync(old, { recursive: true, force: true });
  } catch (e) {
    notes.push(`${outDir} was written, but its previous version ${old} could not be removed (${(e as Error).message}); remove it`);
  }
}

/**
 * What a killed run left beside dist, found under the lock (so no other writer is active):
 * restores dist from the newest old tree when dist is missing, carries over kept files only a
 * leftover holds, removes leftovers that hold nothing else, and reports each action.
 */
async function recoverLeftovers(
  abs: string,
  names: ReturnType<typeof leftoverPrefixes>,
  step: (k: WriterStep['kind'], p: string) => Promise<void>,
): Promise<string[]> {
  const parent = path.dirname(abs);
  const shown = (p: string) => path.relative(process.cwd(), p) || '.';
  const notes: string[] = [];
  const leftovers = fs.readdirSync(parent)
    .filter((n) => n.startsWith(names.new) || n.startsWith(names.old))
    .map((n) => path.join(parent, n));
  if (leftovers.length === 0) return notes;
  if (!fs.existsSync(abs)) {
    const olds = leftovers.filter((p) => path.basename(p).startsWith(names.old))
      .sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs);
    if (olds.length > 0) {
      await step('recover', olds[0]);
      fs.renameSync(olds[0], abs);
      notes.push(`${shown(abs)} was missing after an interrupted synth; restored it from ${shown(olds[0])}`);
      leftovers.splice(leftovers.indexOf(olds[0]), 1);
    }
  }
  for (const left of leftovers) {
    const differing: string[] = [];
    for (const rel of keptFiles(left)) {
      const there = path.join(left, ...rel.split('/'));
      const here = path.join(abs, ...rel.split('/'));
      if (!fs.existsSync(here)) {
        await step('recover', here);
        fs.mkdirSync(abs, { recursive: true });
        fs.chmodSync(abs, DIR_MODE);
        mkdirParents(abs, here);
        // a whole copy beside it first, then one rename: dist never holds half a kept file
        const staging = `${here}.recovering-${process.pid}`;
        fs.rmSync(staging, { recursive: true, force: true });
        cloneTree(there, staging);
        fs.renameSync(staging, here);
        notes.push(`recovered ${shown(here)} from ${shown(left)}, left by an interrupted synth`);
      } else if (!sameTree(there, here)) {
        differing.push(rel);
      }
    }
    if (differing.length > 0) {
      notes.push(`${shown(left)}, left by an interrupted synth, holds ${differing.join(', ')} that differ from ${shown(abs)}'s; ${shown(abs)}'s were kept: compare them and remove ${shown(left)}`);
    } else {
      await step('recover', left);
      fs.rmSync(left, { recursive: true, force: true });
      notes.push(`removed ${shown(left)}, left by an interrupted synth (it held nothing ${shown(abs)} lacks)`);
    }
  }
  return notes;
}

/** Whether every file under a (the leftover's copy) is in b with the same content. */
function sameTree(a: string, b: string): boolean {
  const sa = fs.lstatSync(a);
  let sb: fs.Stats;
  try { sb = fs.lstatSync(b); } catch { return false; }
  if (sa.dev === sb.dev && sa.ino === sb.ino) return true; // the same file (hard link)
  if (sa.isSymbolicLink()) return sb.isSymbolicLink() && fs.readlinkSync(a) === fs.readlinkSync(b);
  if (sa.isDirectory()) return sb.isDirectory() && fs.readdirSync(a).every((n) => sameTree(path.join(a, n), path.join(b, n)));
  return sb.isFile() && sa.size === sb.size && fs.readFileSync(a).equals(fs.readFileSync(b));
}

/**
 * Relative paths (POSIX) of the files under dir, sorted. A preserved directory (`.terraform/`) is
 * listed as one entry when stopAtPreserved is set, so it is handled as a whole.
 */
export function listFiles(dir: string, opts: { includePreserved?: boolean; stopAtPreserved?: boolean } = {}): string[] {
  const out: string[] = [];
  const walk = (d: string, prefix: string) => {
    if (!fs.existsSync(d)) return;
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const rel = prefix ? `${prefix}/${e.name}` : e.name;
      const preserved = isPreserved(rel);
      if (preserved && !opts.includePreserved) continue;
      if (e.isDirectory() && !(preserved && opts.stopAtPreserved)) walk(path.join(d, e.name), rel);
      else out.push(rel);
    }
  };
  walk(dir, '');
  return out.sort();
}

/** A difference between dist on disk and what synth would write. */
export interface DistDifference {
  readonly path: string;
  readonly kind: 'changed' | 'missing' | 'extra';
}

/** Compares dist on disk with the expected files, ignoring preserved ones. Writes nothing. */
export function diffDist(outDir: string, files: DistFiles): DistDifference[] {
  checkDistTarget(outDir);
  const abs = path.resolve(outDir);
  const onDisk = new Set(listFiles(abs));
  const diffs: DistDifference[] = [];
  for (const rel of [...files.keys()].sort()) {
    if (!onDisk.has(rel)) { diffs.push({ path: rel, kind: 'missing' }); continue; }
    const p = path.join(abs, ...rel.split('/'));
    const file = files.get(rel)!;
    const mode = fs.statSync(p).mode & 0o777;
    if (fs.readFileSync(p, 'utf8') !== file.content || mode !== fileMode(file.executable)) {
      diffs.push({ path: rel, kind: 'changed' });
    }
  }
  for (const rel of onDisk) if (!files.has(rel)) diffs.push({ path: rel, kind: 'extra' });
  return diffs.sort((a, b) => a.path.localeCompare(b.path));
}

/** Leftovers of an interrupted synth beside dist, for `--check` to report (it changes nothing). */
export function distLeftovers(outDir: string): string[] {
  const abs = path.resolve(outDir);
  const names = leftoverPrefixes(abs);
  const parent = path.dirname(abs);
  if (!fs.existsSync(parent)) return [];
  return fs.readdirSync(parent).filter((n) => n.startsWith(names.new) || n.startsWith(names.old)).sort();
}
