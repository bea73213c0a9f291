/**
 * Writes dist atomically: everything goes into a temporary sibling folder first, and only when
 * every file is written does that folder replace dist (two renames). A failure at any point
 * before the swap removes the temporary folder and leaves dist byte-for-byte as it was.
 */
import * as fs from 'fs';
import * as path from 'path';
import { DistFiles, isPreserved } from './dist-files';

export function writeDist(outDir: string, files: DistFiles): void {
  const abs = path.resolve(outDir);
  const parent = path.dirname(abs);
  fs.mkdirSync(parent, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(parent, `.${path.basename(abs)}.new-`));
  fs.chmodSync(tmp, 0o755); // mkdtemp makes it 0700
  try {
    for (const rel of [...files.keys()].sort()) {
      const file = files.get(rel)!;
      const dest = path.join(tmp, ...rel.split('/'));
      fs.mkdirSync(path.dirname(dest), { recursive: true });
      fs.writeFileSync(dest, file.content);
      // explicit modes: the result must not depend on the user's umask
      fs.chmodSync(dest, file.executable ? 0o755 : 0o644);
    }
  } catch (e) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  if (fs.existsSync(abs)) {
    carryOverPreserved(abs, tmp);
    const old = `${tmp.replace(/\.new-/, '.old-')}`;
    fs.renameSync(abs, old);
    fs.renameSync(tmp, abs);
    fs.rmSync(old, { recursive: true, force: true });
  } else {
    fs.renameSync(tmp, abs);
  }
}

/** Moves the files synth does not own (Terraform working files, connection settings) into the new tree. */
function carryOverPreserved(from: string, to: string): void {
  for (const rel of listFiles(from, { includePreserved: true, stopAtPreserved: true })) {
    if (!isPreserved(rel)) continue;
    const dest = path.join(to, ...rel.split('/'));
    if (fs.existsSync(dest)) continue; // synth now writes this path itself
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    fs.renameSync(path.join(from, ...rel.split('/')), dest);
  }
}

/**
 * Relative paths (POSIX) of the files under dir, sorted. A preserved directory (`.terraform/`) is
 * listed as one entry when stopAtPreserved is set, so it moves as a whole.
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
  const abs = path.resolve(outDir);
  const onDisk = new Set(listFiles(abs));
  const diffs: DistDifference[] = [];
  for (const rel of [...files.keys()].sort()) {
    if (!onDisk.has(rel)) { diffs.push({ path: rel, kind: 'missing' }); continue; }
    const p = path.join(abs, ...rel.split('/'));
    const file = files.get(rel)!;
    const mode = fs.statSync(p).mode & 0o777;
    if (fs.readFileSync(p, 'utf8') !== file.content || mode !== (file.executable ? 0o755 : 0o644)) {
      diffs.push({ path: rel, kind: 'changed' });
    }
  }
  for (const rel of onDisk) if (!files.has(rel)) diffs.push({ path: rel, kind: 'extra' });
  return diffs.sort((a, b) => a.path.localeCompare(b.path));
}
