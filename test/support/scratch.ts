/**
 * A scratch folder in memory where the machine has one (/dev/shm, tmpfs), else in os.tmpdir():
 * for the tests that create and remove thousands of files (the crash and kill drills). Renames,
 * links and modes behave there as on a disk; only a power loss would differ, and no test simulates one.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

let base: string | undefined;

/** The folder scratch folders are made in. */
export function scratchBase(): string {
  if (base === undefined) {
    base = os.tmpdir();
    try {
      fs.accessSync('/dev/shm', fs.constants.W_OK);
      if (fs.statSync('/dev/shm').isDirectory()) base = '/dev/shm';
    } catch {
      // no /dev/shm here: the ordinary temporary folder
    }
  }
  return base;
}

/** A new empty folder (mkdtemp) under scratchBase(). */
export function scratchDir(prefix: string): string {
  return fs.mkdtempSync(path.join(scratchBase(), prefix));
}
