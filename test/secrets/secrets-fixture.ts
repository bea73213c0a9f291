/**
 * Helpers for the secrets command tests: a folder made once per test file (key generation, RSA
 * above all, is the slow part) and copied for each test, and byte-level views of a folder.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseDocument } from 'yaml';
import { parseConfig } from '../../config';
import type { PlatformConfig } from '../../config';
import { runSecrets, SecretsRunResult } from '../../secrets/secrets-command';
import type { FolderOps } from '../../secrets/secrets-folder';
import type { SecretsCosts } from '../../secrets/secrets-plan';
import { scratchDir } from '../support/scratch';

export const DEFAULT_CONFIG: PlatformConfig = parseConfig({});

/** A temporary folder, removed by the returned function; `inMemory`: in scratchDir's tmpfs where there is one. */
export function tempDir(prefix = 'kpaas-secrets-', inMemory = false): { dir: string; remove: () => void } {
  const dir = inMemory ? scratchDir(prefix) : fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** Runs the command on a folder with the default config unless another is given. */
export function secrets(
  dir: string, options: { rotate?: string[]; config?: PlatformConfig; now?: Date; ops?: FolderOps; costs?: SecretsCosts } = {},
): Promise<SecretsRunResult> {
  return runSecrets({ config: options.config ?? DEFAULT_CONFIG, dir, rotate: options.rotate, now: options.now, ops: options.ops, costs: options.costs });
}

/** Every file below dir: relative path -> mode and content. */
export function snapshot(dir: string): Map<string, { mode: number; content: string }> {
  const out = new Map<string, { mode: number; content: string }>();
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(r);
      else out.set(r, { mode: fs.statSync(path.join(dir, r)).mode & 0o777, content: fs.readFileSync(path.join(dir, r), 'utf8') });
    }
  };
  walk('');
  return out;
}

/** Paths whose content differs (or exists on one side only), sorted. */
export function changedFiles(a: ReturnType<typeof snapshot>, b: ReturnType<typeof snapshot>): string[] {
  return [...new Set([...a.keys(), ...b.keys()])].filter((k) => a.get(k)?.content !== b.get(k)?.content).sort();
}

export interface SecretDoc {
  readonly file: string;
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { name: string; namespace: string; labels: Record<string, string>; annotations: Record<string, string> };
  readonly type: string;
  readonly data: Record<string, string>;
}

/** The Secret manifests of a folder (without the kustomization). */
export function readManifests(dir: string): SecretDoc[] {
  const mdir = path.join(dir, 'manifests');
  return fs.readdirSync(mdir).filter((f) => f !== 'kustomization.yaml').sort()
    .map((file) => ({ file, ...structuredClone(parsedManifest(fs.readFileSync(path.join(mdir, file), 'utf8'))) }));
}

/** YAML parsing is most of a folder check's time; the crash drills read the same manifests again and again. */
const parsedManifests = new Map<string, Omit<SecretDoc, 'file'>>();
function parsedManifest(text: string): Omit<SecretDoc, 'file'> {
  let doc = parsedManifests.get(text);
  if (!doc) {
    doc = parseDocument(text).toJS() as Omit<SecretDoc, 'file'>;
    if (parsedManifests.size >= 256) parsedManifests.clear();
    parsedManifests.set(text, doc);
  }
  return doc;
}

/** Every value of every Secret, decoded: `<namespace>/<name>.<key>` -> value. */
export function readValues(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of readManifests(dir)) {
    for (const [k, v] of Object.entries(m.data)) out.set(`${m.metadata.namespace}/${m.metadata.name}.${k}`, Buffer.from(v, 'base64').toString('utf8'));
  }
  return out;
}

/** Value ids whose value differs between two readings, sorted. */
export function changedValues(a: Map<string, string>, b: Map<string, string>): string[] {
  return [...new Set([...a.keys(), ...b.keys()])].filter((k) => a.get(k) !== b.get(k)).sort();
}
