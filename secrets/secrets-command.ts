/**
 * `kpaas secrets`: makes or updates the secrets folder and says what it did, naming certificates,
 * Secrets and keys but never a value. One run at a time per folder (its lock); it first finishes
 * or clears what an interrupted run left, then validates (rotate names, the existing files, every
 * new key and certificate), and writes last, all files together (secrets-folder.ts).
 */
import * as path from 'path';
import type { PlatformConfig } from '../config';
import { NAMESPACES_MANIFEST } from '../config/platform';
import { secretCatalog } from './catalog';
import { indexCatalog, secretId } from './catalog-index';
import { resolveRotation } from './rotation';
import {
  CA_CERT_FILE, FolderOps, lockFolder, MANIFESTS_DIR, NODE_FOLDER_OPS, readFolder, recoverFolder, RecoveryOutcome, writeFolder,
} from './secrets-folder';
import { CertificateOutcome, planSecrets, SecretsCosts, SecretsPlan, ValueStatus } from './secrets-plan';

export interface SecretsCommandOptions {
  readonly config: PlatformConfig;
  /** The secrets folder: absolute, or relative to the working directory. */
  readonly dir: string;
  /** `--rotate` names. */
  readonly rotate?: readonly string[];
  /** The time certificates are issued at and checked against. @default now */
  readonly now?: Date;
  /** The disk operations of the writer (tests inject failures here). @default NODE_FOLDER_OPS */
  readonly ops?: FolderOps;
  /** Key generation and the htpasswd work factor (tests make them cheaper). @default DEFAULT_COSTS */
  readonly costs?: SecretsCosts;
}

export interface SecretsRunResult {
  readonly plan: SecretsPlan;
  /** Files written, relative to the folder. */
  readonly written: readonly string[];
  /** Files and folders whose permissions were tightened. */
  readonly permissionsFixed: readonly string[];
  /** The folder as given (for messages). */
  readonly dir: string;
  /** What an interrupted earlier run had left, and what became of it. */
  readonly recovered: RecoveryOutcome;
}

/** Runs the command (see the module comment); throws SecretsError for expected failures. */
export async function runSecrets(options: SecretsCommandOptions): Promise<SecretsRunResult> {
  const index = indexCatalog(secretCatalog(options.config));
  const rotation = resolveRotation(index, options.rotate ?? []);
  const dir = path.resolve(options.dir);
  const ops = options.ops ?? NODE_FOLDER_OPS;
  const release = lockFolder(dir);
  try {
    // an interrupted run is finished (or, if it had not committed, cleared) before anything is read
    const recovered = recoverFolder(dir, ops);
    const existing = readFolder(dir);
    const plan = await planSecrets({
      index,
      organization: options.config.name,
      existing,
      rotation,
      now: options.now ?? new Date(),
      displayDir: options.dir,
      costs: options.costs,
    });
    const { written, permissionsFixed } = writeFolder(dir, plan.files, existing, ops);
    return { plan, written, permissionsFixed, dir: options.dir, recovered };
  } finally {
    release();
  }
}

function counts<T extends string>(statuses: Iterable<T>, order: readonly T[]): string {
  const n = new Map<T, number>();
  for (const s of statuses) n.set(s, (n.get(s) ?? 0) + 1);
  return order.filter((s) => n.has(s)).map((s) => `${n.get(s)} ${s}`).join(', ') || 'none';
}

const STATUS_ORDER = ['created', 'kept', 'rotated', 'reissued', 'converted', 'updated'] as const;

/** One line per kind of change, e.g. `reissued certificates harbor, portal: its SANs no longer match the catalog`. */
function certificateLines(outcomes: readonly CertificateOutcome[]): string[] {
  const groups = new Map<string, string[]>();
  for (const o of outcomes) {
    if (o.status === 'kept' || o.status === 'created') continue;
    const head = `${o.status}${o.reason ? `\0${o.reason}` : ''}`;
    groups.set(head, [...(groups.get(head) ?? []), o.name === 'ca' ? 'the CA' : o.name]);
  }
  return [...groups].map(([head, names]) => {
    const [status, reason] = head.split('\0');
    const certs = names.filter((n) => n !== 'the CA');
    const what = [...(names.includes('the CA') ? ['the CA'] : []), ...(certs.length > 0 ? [`certificate${certs.length > 1 ? 's' : ''} ${certs.join(', ')}`] : [])];
    return `  ${status} ${what.join(' and ')}${reason ? `: ${reason}` : ''}`;
  });
}

/** The report: counts, re-issues with their reasons, the Secret manifests, and the next step. */
export function formatSecretsReport(result: SecretsRunResult): string {
  const { plan, dir } = result;
  const values: ValueStatus[] = plan.secrets.flatMap((s) => [...s.values.values()]);
  const lines = [
    `secrets in ${dir}/: ${result.written.length === 0 ? 'nothing to change' : `${result.written.length} file${result.written.length === 1 ? '' : 's'} written`}`,
    `  CA ${plan.ca.status}; certificates: ${counts(plan.certificates.map((c) => c.status), STATUS_ORDER)}; values: ${counts(values, STATUS_ORDER)}`,
    ...certificateLines([plan.ca, ...plan.certificates]),
  ];
  const { finished, discarded } = result.recovered;
  if (finished.length > 0) lines.splice(1, 0, `  finished an interrupted run first: put its ${finished.length} remaining file${finished.length === 1 ? '' : 's'} in place`);
  if (discarded.length > 0) lines.splice(1, 0, `  removed what an interrupted run had left before changing anything: ${discarded.join(', ')}`);
  if (result.permissionsFixed.length > 0) lines.push(`  tightened permissions (0700 folders, 0600 files) of ${result.permissionsFixed.join(', ')}`);
  const width = Math.max(...plan.secrets.map((s) => secretId(s.spec).length));
  lines.push(`  ${plan.secrets.length} Secret manifests in ${dir}/${MANIFESTS_DIR}/:`);
  for (const s of plan.secrets) {
    const changed = [...s.values].filter(([, st]) => st !== 'kept' && st !== 'created').map(([k, st]) => `${k} ${st}`);
    const dropped = s.dropped.map((k) => `${k} dropped (no longer in the catalog)`);
    const detail = s.status === 'changed' ? ` (${[...changed, ...dropped].join(', ') || 'rewritten'})` : '';
    lines.push(`    ${secretId(s.spec).padEnd(width)}  ${s.status}${detail}`);
  }
  if (plan.strays.length > 0) {
    lines.push(`  not in the catalog, left as they are (delete them if nothing uses them): ${plan.strays.join(', ')}`);
  }
  const caChanged = plan.ca.status !== 'kept';
  lines.push(
    `next: create the namespaces, then apply the Secrets (before the rest of dist/manifests):`,
    `  kubectl apply -f dist/manifests/${NAMESPACES_MANIFEST}.yaml`,
    `  kubectl apply -k ${dir}/${MANIFESTS_DIR}`,
  );
  if (caChanged) lines.push(`  and trust the ${plan.ca.status === 'created' ? '' : 'new '}CA on the nodes: the CA-trust playbook takes ${dir}/${CA_CERT_FILE}`);
  return `${lines.join('\n')}\n`;
}
