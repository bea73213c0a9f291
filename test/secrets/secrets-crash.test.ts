/**
 * `kpaas secrets` interrupted at every step of its writer: killed (nothing runs after the step,
 * not even clean-up). After each, the folder holds a run's files all or none, the message says only
 * what is true, and a plain rerun succeeds and leaves a complete, consistent folder: every
 * certificate matches its key and verifies against the CA, every Secret holds the files' values,
 * and a further run changes nothing. Runs on one folder are serialized by its lock.
 *
 * The same on a full disk (ENOSPC), and with real processes killed by SIGKILL at their N-th
 * rename(2): secrets-crash-disk.test.ts. What the two files share: crash-drill.ts.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { formatSecretsReport } from '../../secrets/secrets-command';
import { LOCK_FILE, PENDING_DIR, STAGING_PREFIX } from '../../secrets/secrets-folder';
import { snapshot } from './secrets-fixture';
import {
  catalog, changedRegularFiles, commitStep, expectConsistent, FILE_COUNT, injecting, LONG, rotateCopy, secrets, setUpDrill, writeFirstRun,
} from './crash-drill';

const d = setUpDrill();

describe('the writer of the secrets folder', () => {
  it('writes a run in steps: stage every file, commit with one rename, then keys, certificates and the rest into place', () => {
    const renames = d.firstRunSteps.filter((s) => s.startsWith('rename '));
    expect(renames[0]).toMatch(new RegExp(`^rename ${STAGING_PREFIX.replace(/\./g, '\\.')}`));
    const placed = renames.slice(1).map((s) => s.slice('rename '.length));
    expect(placed).toHaveLength(FILE_COUNT);
    expect(placed.indexOf('ca.key')).toBeLessThan(placed.indexOf('ca.crt'));
    for (const c of catalog.certificates) expect(placed.indexOf(`${c.name}.key`)).toBeLessThan(placed.indexOf(`${c.name}.crt`));
    expect(d.firstRunSteps[d.firstRunSteps.length - 1]).toBe(`remove ${PENDING_DIR}`);
    expect(d.firstRunSteps.filter((s) => s.startsWith('writeNew '))).toHaveLength(FILE_COUNT);
  });
});

describe('kpaas secrets killed at every step of its writer', () => {
  it('a first run: after a kill at each step a plain rerun succeeds, complete and consistent', async () => {
    const commit = commitStep(d.firstRunSteps);
    for (let n = 1; n <= d.firstRunSteps.length; n++) {
      const dir = path.join(d.work, `k${n}`);
      expect(() => writeFirstRun(d, dir, injecting(n, 'kill').ops)).toThrow(`killed at step ${n}`);
      const rerun = await secrets(dir);
      expectConsistent(dir);
      // before the commit nothing of the killed run survives; after it, the rerun put the rest in place
      expect(`step ${n} ${d.firstRunSteps[n - 1]}: finished ${rerun.recovered.finished.length > 0}`).toBe(`step ${n} ${d.firstRunSteps[n - 1]}: finished ${n > commit && n < d.firstRunSteps.length}`);
      if (n > commit) expect(rerun.written).toEqual([]);
    }
  }, LONG);

  it('--rotate ca: the old CA and certificates or the new ones, never a mix, after a kill at each step', async () => {
    const commit = commitStep(d.rotateSteps);
    const oldCa = d.firstFiles.get('ca.crt');
    for (let n = 1; n <= d.rotateSteps.length; n++) {
      const { dir, write } = rotateCopy(d, `r${n}`);
      const before = snapshot(dir);
      expect(() => write(injecting(n, 'kill').ops)).toThrow(`killed at step ${n}`);
      if (n <= commit) expect(`step ${n}: ${changedRegularFiles(before, snapshot(dir)).join(', ')}`).toBe(`step ${n}: `);
      await secrets(dir);
      const ca = expectConsistent(dir);
      expect(`step ${n} ${d.rotateSteps[n - 1]}: ${ca.toString() === oldCa ? 'old' : 'new'} CA`).toBe(`step ${n} ${d.rotateSteps[n - 1]}: ${n <= commit ? 'old' : 'new'} CA`);
    }
  }, LONG);

  it('the issue\'s case: killed after ca.key and before ca.crt, the rerun puts ca.crt in place and says so', async () => {
    const n = d.firstRunSteps.indexOf('rename ca.key') + 2;
    const dir = path.join(d.work, 's');
    expect(() => writeFirstRun(d, dir, injecting(n, 'kill').ops)).toThrow(`killed at step ${n}`);
    expect([fs.existsSync(path.join(dir, 'ca.key')), fs.existsSync(path.join(dir, 'ca.crt'))]).toEqual([true, false]);
    const result = await secrets(dir);
    expect(result.written).toEqual([]);
    expect(result.recovered.finished).toContain('ca.crt');
    expect(result.recovered.finished).not.toContain('ca.key');
    expect(formatSecretsReport(result)).toMatch(new RegExp(`^ {2}finished an interrupted run first: put its ${result.recovered.finished.length} remaining files in place$`, 'm'));
    expectConsistent(dir);
  });

  it('killed before the commit, the rerun removes the staging folder and says so', async () => {
    const n = commitStep(d.firstRunSteps);
    const dir = path.join(d.work, 's');
    expect(() => writeFirstRun(d, dir, injecting(n, 'kill').ops)).toThrow(`killed at step ${n}`);
    expect(fs.readdirSync(dir).filter((f) => !['certs', 'manifests'].includes(f)).map((f) => f.slice(0, STAGING_PREFIX.length))).toEqual([STAGING_PREFIX]);
    const result = await secrets(dir);
    expect(formatSecretsReport(result)).toMatch(new RegExp(`^ {2}removed what an interrupted run had left before changing anything: ${STAGING_PREFIX.replace(/\./g, '\\.')}`, 'm'));
    expectConsistent(dir);
  });

  it('temporary files an earlier version left are removed', async () => {
    const dir = path.join(d.work, 's');
    fs.cpSync(path.join(d.base, 's'), dir, { recursive: true });
    fs.writeFileSync(path.join(dir, '.ca.crt.1234.0badc0de.tmp'), 'partial');
    fs.writeFileSync(path.join(dir, 'certs', '.harbor.key.99.12345678.tmp'), '');
    const result = await secrets(dir);
    expect([...result.recovered.discarded].sort()).toEqual(['.ca.crt.1234.0badc0de.tmp', 'certs/.harbor.key.99.12345678.tmp']);
    expectConsistent(dir);
  });
});

describe('runs of kpaas secrets on one folder are serialized', () => {
  it('two runs at once: one writes the folder, the other stops before reading it and says why', async () => {
    const dir = path.join(d.work, 's');
    const results = await Promise.allSettled([secrets(dir), secrets(dir)]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(rejected.reason.message).toBe(`kpaas secrets (pid ${process.pid}) is writing ${dir}; run again when it has ended`);
    expectConsistent(dir);
    expect(fs.existsSync(path.join(dir, LOCK_FILE))).toBe(false);
  });

  it('a lock whose holder was killed is taken over, and the holder\'s run finished', async () => {
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
    const n = commitStep(d.firstRunSteps) + 5;
    const dir = path.join(d.work, 's');
    expect(() => writeFirstRun(d, dir, injecting(n, 'kill').ops)).toThrow(`killed at step ${n}`);
    fs.writeFileSync(path.join(dir, LOCK_FILE), `${dead} ${os.hostname()}\n`);
    const result = await secrets(dir);
    expect(result.recovered.finished.length).toBeGreaterThan(0);
    expectConsistent(dir);
  });

  it('a lock held from another host is reported with what to do', async () => {
    const { dir } = rotateCopy(d, 's');
    fs.writeFileSync(path.join(dir, LOCK_FILE), '42 elsewhere.example\n');
    await expect(secrets(dir)).rejects.toThrow(/\.kpaas-lock says kpaas secrets \(pid 42\) is writing this folder from elsewhere\.example; if it is not, remove the file and run again$/);
  });
});
