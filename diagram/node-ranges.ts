/**
 * Which nodes of a role the diagram draws one box each, and which it folds into a range box: a
 * 1000-worker cluster stays a readable picture of a dozen boxes, and the diagram's cost does not
 * grow with the cluster (Graphviz's layout time grows faster than linearly with the boxes).
 */
import { ipToInt, type ClusterNode } from '../config';

/** Nodes of a role drawn one box each when the role has no more (the seed has 3). */
export const MAX_NODES_DRAWN = 9;

/** With more, the first this many are drawn, then ranges, then the last node. */
export const FIRST_NODES_DRAWN = 3;

/** One box of the diagram: a node, or a run of consecutive nodes of one role. */
export type DrawnNodes =
  | { readonly kind: 'node'; readonly node: ClusterNode }
  | { readonly kind: 'range'; readonly nodes: readonly ClusterNode[] };

/**
 * The boxes of one role's nodes, in index order. Up to `max` nodes each get a box; beyond, the
 * first FIRST_NODES_DRAWN, the last, and the NFS server keep theirs (a role they alone have must
 * stay visible), and each run of nodes between them becomes one range box.
 */
export function drawnNodes(nodes: readonly ClusterNode[], max = MAX_NODES_DRAWN): DrawnNodes[] {
  if (nodes.length <= max) return nodes.map((node) => ({ kind: 'node', node }));
  const out: DrawnNodes[] = [];
  let run: ClusterNode[] = [];
  const flush = () => {
    if (run.length === 1) out.push({ kind: 'node', node: run[0] });
    else if (run.length > 1) out.push({ kind: 'range', nodes: run });
    run = [];
  };
  nodes.forEach((node, i) => {
    if (i < FIRST_NODES_DRAWN || i === nodes.length - 1 || node.nfsServer) {
      flush();
      out.push({ kind: 'node', node });
    } else run.push(node);
  });
  flush();
  return out;
}

/**
 * The addresses of a run of nodes: `first-last` when each is the one after the previous (as an
 * `ipRange` assigns them), else how many there are and where they are listed (`inventoryFile`, in dist).
 */
export function addressSpan(nodes: readonly ClusterNode[], inventoryFile: string): string {
  const ints = nodes.map((n) => ipToInt(n.privateIp));
  const consecutive = ints.every((v, i) => i === 0 || v === ints[i - 1] + 1);
  return consecutive
    ? `${nodes[0].privateIp}-${nodes[nodes.length - 1].privateIp}`
    : `${nodes.length} addresses, not consecutive (${inventoryFile} lists them)`;
}
