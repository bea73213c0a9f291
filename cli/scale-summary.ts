/**
 * What `kpaas synth` says after a change of the nodes: the nodes added or removed compared with
 * the dist it replaces (from the two `ansible/inventory/hosts.yaml`), and the commands to run, in
 * order (docs/scaling.md). Nothing when no node changed.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { manifestsApplyCommand } from '../config';
import { GROUPS } from '../ansible/inventory';
import { distInventory, kubesprayPlaybookCommand, ourPlaybookCommand } from '../ansible/readme';
import { DIST_DIRS, HOSTS_FILE, INFRA_STACK } from './render';

/** One node of an inventory: its address and the groups that list it. */
export interface InventoryNode {
  readonly name: string;
  readonly address: string;
  readonly groups: readonly string[];
}

type Group = { hosts?: Record<string, unknown> | null; children?: Record<string, Group | null> | null };

/** The nodes of a synthesized hosts.yaml, by name, with the groups that list them directly. */
export function inventoryNodes(text: string): Map<string, InventoryNode> {
  const all = (parse(text) ?? {}).all ?? {};
  const groups = new Map<string, Set<string>>();
  const walk = (children: Record<string, Group | null> | null | undefined) => {
    for (const [name, g] of Object.entries(children ?? {})) {
      for (const host of Object.keys(g?.hosts ?? {})) {
        if (!groups.has(host)) groups.set(host, new Set());
        groups.get(host)!.add(name);
      }
      walk(g?.children);
    }
  };
  walk(all.children);
  const nodes = new Map<string, InventoryNode>();
  for (const [name, vars] of Object.entries<Record<string, unknown>>(all.hosts ?? {})) {
    nodes.set(name, { name, address: String(vars?.ip ?? vars?.ansible_host ?? ''), groups: [...(groups.get(name) ?? [])].sort() });
  }
  return nodes;
}

/** The nodes of the dist in outDir, or undefined when there is none (a first synth). */
export function readDistNodes(outDir: string): Map<string, InventoryNode> | undefined {
  const file = path.join(outDir, ...HOSTS_FILE.split('/'));
  if (!fs.existsSync(file)) return undefined;
  try {
    return inventoryNodes(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined; // not ours to judge: the writer replaces it
  }
}

export interface NodeChanges {
  readonly added: readonly InventoryNode[];
  readonly removed: readonly InventoryNode[];
}

const same = (a: InventoryNode, b: InventoryNode) => a.address === b.address && a.groups.join() === b.groups.join();

/** Nodes only in next (added) and only in prev (removed); a node whose address or groups changed is both. */
export function nodeChanges(prev: Map<string, InventoryNode>, next: Map<string, InventoryNode>): NodeChanges {
  const added = [...next.values()].filter((n) => !prev.has(n.name) || !same(prev.get(n.name)!, n));
  const removed = [...prev.values()].filter((n) => !next.has(n.name) || !same(next.get(n.name)!, n));
  return { added, removed };
}

const isMaster = (n: InventoryNode) => n.groups.includes(GROUPS.controlPlane) || n.groups.includes(GROUPS.etcd);
const describe = (n: InventoryNode) => `${n.name} (${n.groups.filter((g) => g.startsWith('kube_') || g === GROUPS.etcd).join(', ')}, ${n.address})`;

/**
 * The summary block for stdout, or '' when no node changed.
 * @param out the dist folder as the user gave it (--out), for the commands
 * @param changedManifests files under manifests/ that differ from the replaced dist
 */
export function scaleSummary(changes: NodeChanges, out: string, changedManifests: readonly string[], config: Parameters<typeof manifestsApplyCommand>[0]): string {
  const { added, removed } = changes;
  if (added.length === 0 && removed.length === 0) return '';
  const d = out.replace(/\/+$/, '');
  const inv = distInventory(d);
  const kubespray = kubesprayPlaybookCommand;
  const names = (ns: readonly InventoryNode[]) => ns.map((n) => n.name).join(',');
  const lines: string[] = [];
  const parts = [
    ...(added.length ? [`added ${added.map(describe).join(', ')}`] : []),
    ...(removed.length ? [`removed ${removed.map(describe).join(', ')}`] : []),
  ];
  lines.push(`nodes changed since the replaced dist: ${parts.join('; ')}`);
  lines.push('next, in order (docs/scaling.md):');
  const steps: string[] = [];
  if (removed.length) {
    steps.push(`${kubespray(`-i "$PWD/dist.prev/${HOSTS_FILE}" -i "$PWD/${inv}"`, 'remove-node.yml')} -e node=${names(removed)}`
      + '   # before terraform apply, with the nodes still in an inventory: dist.prev is `kpaas synth --config <previous config> --out dist.prev`');
  }
  steps.push(`terraform -chdir=${d}/terraform/${INFRA_STACK} apply`);
  steps.push(`terraform -chdir=${d}/terraform/${INFRA_STACK} output -json | ./kpaas connect --from -`);
  if (added.length) {
    steps.push(ourPlaybookCommand('site.yml', ` --limit ${names(added)}`, d));
    steps.push(`${ourPlaybookCommand('node-prep.yml', '', d)}   # every node's /etc/hosts lists the nodes`);
    steps.push(kubespray(`-i "$PWD/${inv}"`, 'playbooks/facts.yml'));
    const workers = added.filter((n) => !isMaster(n));
    const masters = added.filter(isMaster);
    if (workers.length) steps.push(`${kubespray(`-i "$PWD/${inv}"`, 'scale.yml')} --limit ${names(workers)}`);
    if (masters.length) {
      steps.push(`${kubespray(`-i "$PWD/${inv}"`, 'cluster.yml')} -e ignore_assert_errors=yes -e etcd_retries=10`
        + `   # masters/etcd (${names(masters)}): not scale.yml; keep an odd count; then upgrade-cluster.yml as docs/scaling.md says`);
    }
  }
  if (changedManifests.length) {
    steps.push(`${manifestsApplyCommand(config, `${d}/${DIST_DIRS.manifests}`)}   # changed: ${changedManifests.join(', ')}`);
  }
  steps.forEach((s, i) => lines.push(`  ${i + 1}. ${s}`));
  return `${lines.join('\n')}\n`;
}
