/**
 * What the two crash-drill files (secrets-crash.test.ts: kills and the lock; secrets-crash-disk.test.ts:
 * a full disk and real processes killed by strace) share: the operations that fail at the n-th
 * step, the check of a complete and consistent folder, and the first run and --rotate ca run every
 * drill starts from. Two files so the drills run on both jest workers.
 */
import { createPrivateKey, createPublicKey, KeyObject, webcrypto, X509Certificate } from 'crypto';
import * as fs from 'fs';
import nodeFs = require('fs');
import * as path from 'path';
import { secretCatalog } from '../../secrets/catalog';
import { generateKeys, KeyAlgorithm } from '../../secrets/certificates';
import {
  FolderFiles, FolderOps, NODE_FOLDER_OPS, PENDING_DIR, readFolder, recoverFolder, STAGING_PREFIX, writeFolder,
} from '../../secrets/secrets-folder';
import type { SecretsCosts } from '../../secrets/secrets-plan';
import { DEFAULT_CONFIG, readValues, secrets as runSecrets, snapshot, tempDir } from './secrets-fixture';

/*
 * Costs that are not what these drills test, taken out of the in-process runs (the strace drill's
 * child processes keep all of them):
 * - bcrypt's work factor: Harbor's htpasswd line is hashed at cost 4 instead of 10 (the same code,
 *   a cheaper salt; runSecrets' `costs`); the drills check where files are, not how slow a hash is to guess;
 * - RSA key generation (Harbor's token key; seconds at worst, and random): runs take one of three
 *   RSA key pairs made once per file, in turn (runSecrets' `costs`), so no two runs in a row share
 *   one; every other key (the CA's and the ECDSA certificates') is made as in a real run, so keys
 *   in a folder never repeat and a key in the wrong place is seen. Where each key ends up is what is checked;
 * - fsync: a killed process loses nothing the kernel already has, so a simulated kill needs no
 *   flush to the disk (fsync is for power loss, which no test here simulates).
 */
const rsaPool: webcrypto.CryptoKeyPair[] = [];
let rsaNext = 0;
export const DRILL_COSTS: SecretsCosts = {
  bcryptCost: 4,
  generateKeys: (algorithm: KeyAlgorithm) => (algorithm === 'rsa-2048' && rsaPool.length > 0 ? Promise.resolve(rsaPool[rsaNext++ % rsaPool.length]) : generateKeys(algorithm)),
};
const fsync = jest.spyOn(nodeFs, 'fsyncSync').mockImplementation(() => undefined);
afterAll(() => fsync.mockRestore());

/** `kpaas secrets` on a folder, as the drills run it (DRILL_COSTS). */
export function secrets(dir: string, options: { rotate?: string[] } = {}): ReturnType<typeof runSecrets> {
  return runSecrets(dir, { ...options, costs: DRILL_COSTS });
}

export const catalog = secretCatalog(DEFAULT_CONFIG);
export const FILE_COUNT = 1 + 2 + 2 * catalog.certificates.length + catalog.secrets.length + 1;

/** Thrown by an operation the simulated kill stops at; every later operation throws it too. */
export class Killed extends Error {}

type OpName = Exclude<keyof FolderOps, 'syncDir'>;

/**
 * Operations that count every change to the disk (syncDir changes nothing, so it is no step) and
 * do `at` to the n-th: 'kill' (it and everything after throw, as if the process had died there)
 * or 'enospc' (it alone fails as a full disk does, and the error path runs).
 */
export function injecting(n: number, at: 'kill' | 'enospc' | 'none'): { ops: FolderOps; steps: () => string[] } {
  const steps: string[] = [];
  let dead = false;
  const wrap = <K extends OpName>(name: K): FolderOps[K] => ((...args: unknown[]) => {
    if (dead) throw new Killed('killed');
    steps.push(`${name} ${path.basename(args[0] as string)}`);
    if (steps.length === n && at === 'kill') {
      dead = true;
      throw new Killed(`killed at step ${n}`);
    }
    if (steps.length === n && at === 'enospc') throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
    return (NODE_FOLDER_OPS[name] as (...a: unknown[]) => unknown)(...args);
  }) as FolderOps[K];
  const ops: FolderOps = {
    mkdir: wrap('mkdir'), chmod: wrap('chmod'), writeNew: wrap('writeNew'), rename: wrap('rename'), remove: wrap('remove'),
    syncDir: (p) => { if (dead) throw new Killed('killed'); NODE_FOLDER_OPS.syncDir(p); },
  };
  return { ops, steps: () => steps };
}

/*
 * The checks of a folder are functions of its files' text, and most drills end in the same folder
 * (a killed run that had committed is finished by the rerun): each is computed once per text.
 */
const once = <T>(compute: (key: string) => T) => {
  const kept = new Map<string, T>();
  return (key: string): T => {
    if (!kept.has(key)) kept.set(key, compute(key));
    return kept.get(key) as T;
  };
};
const spki = (k: KeyObject) => (k.type === 'private' ? createPublicKey(k) : k).export({ type: 'spki', format: 'der' });
/** The public key (SPKI, base64) of a private key's PEM. */
const keySpki = once((pem) => spki(createPrivateKey(pem)).toString('base64'));
const certificate = once((pem) => new X509Certificate(pem));
const certSpki = once((pem) => spki(certificate(pem).publicKey).toString('base64'));
/** Whether a certificate (PEM) was issued and signed by the CA (PEM), `<cert>\0<ca>`. */
const issuedBy = once((pair) => {
  const [cert, ca] = pair.split('\0').map(certificate);
  return cert.checkIssued(ca) && cert.verify(ca.publicKey);
});

/** A complete and consistent folder, as the end of every successful run leaves it. */
export function expectConsistent(dir: string): X509Certificate {
  expect(fs.readdirSync(dir).filter((n) => n === PENDING_DIR || n.startsWith(STAGING_PREFIX))).toEqual([]);
  const files = snapshot(dir);
  expect(files.size).toBe(FILE_COUNT);
  const read = (rel: string) => files.get(rel)?.content as string;
  const ca = certificate(read('ca.crt'));
  expect(ca.ca).toBe(true);
  expect(`ca.key belongs to ca.crt: ${keySpki(read('ca.key')) === certSpki(read('ca.crt'))}`).toBe('ca.key belongs to ca.crt: true');
  const values = readValues(dir);
  for (const c of catalog.certificates) {
    const crt = read(`certs/${c.name}.crt`);
    expect(`${c.name} issued by the CA: ${issuedBy(`${crt}\0${read('ca.crt')}`)}`).toBe(`${c.name} issued by the CA: true`);
    expect(`${c.name}.key belongs to ${c.name}.crt: ${keySpki(read(`certs/${c.name}.key`)) === certSpki(crt)}`).toBe(`${c.name}.key belongs to ${c.name}.crt: true`);
  }
  for (const s of catalog.secrets) {
    for (const [key, k] of Object.entries(s.keys)) {
      const v = values.get(`${s.namespace}/${s.name}.${key}`);
      if (k.kind === 'ca-cert' || (k.kind === 'certificate' && k.part === 'ca')) expect(v).toBe(read('ca.crt'));
      if (k.kind === 'certificate' && k.part !== 'ca') expect(v).toBe(read(`certs/${k.certificate}.${k.part === 'cert' ? 'crt' : 'key'}`));
    }
  }
  for (const [rel, f] of files) expect(`${rel} ${f.mode.toString(8)}`).toBe(`${rel} 600`);
  return ca;
}

/** Where the run commits: steps up to it leave the folder as it was, steps after it are finished by the next run. */
export const commitStep = (steps: string[]) => steps.findIndex((s) => s.startsWith('rename ')) + 1;

/** Regular files whose content differs, outside the staging and pending folders. */
export function changedRegularFiles(a: ReturnType<typeof snapshot>, b: ReturnType<typeof snapshot>): string[] {
  const mine = (k: string) => !k.startsWith(STAGING_PREFIX) && !k.startsWith(`${PENDING_DIR}/`);
  return [...new Set([...a.keys(), ...b.keys()])].filter((k) => mine(k) && a.get(k)?.content !== b.get(k)?.content).sort();
}

/**
 * The runs every drill starts from, made in a beforeAll: a first run's folder and files, a
 * --rotate ca run over it, and the steps of the writer for each; `work` is a fresh folder per test.
 */
export interface Drill {
  /** The first run's folder (`s`) and the rotated copy (`r`) live here. */
  base: string;
  work: string;
  firstFiles: FolderFiles;
  rotatedFiles: FolderFiles;
  firstRunSteps: string[];
  rotateSteps: string[];
}

export function setUpDrill(): Drill {
  const drill = {} as Drill;
  let base: { dir: string; remove: () => void };
  let work: { dir: string; remove: () => void };
  beforeAll(async () => {
    rsaPool.push(...await Promise.all([1, 2, 3].map(() => generateKeys('rsa-2048'))));
    base = tempDir('kpaas-secrets-', true);
    drill.base = base.dir;
    await secrets(path.join(base.dir, 's'));
    drill.firstFiles = readFolder(path.join(base.dir, 's'));
    fs.cpSync(path.join(base.dir, 's'), path.join(base.dir, 'r'), { recursive: true });
    await secrets(path.join(base.dir, 'r'), { rotate: ['ca'] });
    drill.rotatedFiles = readFolder(path.join(base.dir, 'r'));
    const counting = injecting(0, 'none');
    writeFolder(path.join(base.dir, 'count-first'), drill.firstFiles, new Map(), counting.ops);
    drill.firstRunSteps = counting.steps();
    const rotating = injecting(0, 'none');
    fs.cpSync(path.join(base.dir, 's'), path.join(base.dir, 'count-rotate'), { recursive: true });
    writeFolder(path.join(base.dir, 'count-rotate'), drill.rotatedFiles, drill.firstFiles, rotating.ops);
    drill.rotateSteps = rotating.steps();
  }, 120000);
  afterAll(() => base.remove());
  beforeEach(() => { work = tempDir('kpaas-secrets-', true); drill.work = work.dir; });
  afterEach(() => work.remove());
  return drill;
}

/** The writer of a first run into dir, as runSecrets calls it, with the operations given. */
export function writeFirstRun(drill: Drill, dir: string, ops: FolderOps): void {
  recoverFolder(dir, ops);
  writeFolder(dir, drill.firstFiles, readFolder(dir), ops);
}

/** A copy of the first run's folder, and the writer of --rotate ca over it. */
export function rotateCopy(drill: Drill, name: string): { dir: string; write: (ops: FolderOps) => void } {
  const dir = path.join(drill.work, name);
  fs.cpSync(path.join(drill.base, 's'), dir, { recursive: true });
  return { dir, write: (ops) => { recoverFolder(dir, ops); writeFolder(dir, drill.rotatedFiles, readFolder(dir), ops); } };
}

export const LONG = 600000;
