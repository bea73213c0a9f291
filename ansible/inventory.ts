/**
 * The kubespray inventory: every node keyed by its name, in the groups kubespray reads, plus the
 * groups our own playbooks target (NFS server and clients).
 */
import type { ClusterNode, PlatformConfig } from '../config';

/** The inventory of the nodes and groups, relative to dist/ansible. */
export const INVENTORY_FILE = 'inventory/hosts.yaml';

/** Groups of the inventory; the first five are kubespray's. */
export const GROUPS = Object.freeze({
  controlPlane: 'kube_control_plane',
  etcd: 'etcd',
  node: 'kube_node',
  calicoRr: 'calico_rr',
  cluster: 'k8s_cluster',
  nfsServer: 'kpaas_nfs_server',
  nfsClients: 'kpaas_nfs_clients',
});

/** Variables of one host as kubespray reads them. */
export interface HostVars {
  /** Address ansible connects to: the private IP, replaced by `kpaas connect` where needed. */
  readonly ansible_host: string;
  /** Address the cluster's services bind to. */
  readonly ip: string;
  /** Address other nodes reach this one at. */
  readonly access_ip: string;
  /** etcd member name (masters only: etcd is stacked on them). */
  readonly etcd_member_name?: string;
}

export interface Inventory {
  readonly all: {
    readonly hosts: Readonly<Record<string, HostVars>>;
    readonly children: Readonly<Record<string, InventoryGroup>>;
  };
}

export interface InventoryGroup {
  readonly hosts?: Readonly<Record<string, Record<string, never>>>;
  readonly children?: Readonly<Record<string, Record<string, never>>>;
}

/** etcd member name of the i-th master (1-based), as kubespray's sample numbers them. */
export function etcdMemberName(master: ClusterNode): string {
  return `etcd${master.index}`;
}

export function buildInventory(config: PlatformConfig): Inventory {
  const masters = config.nodes.masters.nodes;
  const workers = config.nodes.workers.nodes;
  const hosts: Record<string, HostVars> = {};
  for (const n of config.nodes.all) {
    hosts[n.name] = {
      ansible_host: n.privateIp,
      ip: n.privateIp,
      access_ip: n.privateIp,
      ...(n.role === 'master' ? { etcd_member_name: etcdMemberName(n) } : {}),
    };
  }
  const members = (nodes: readonly ClusterNode[]) => Object.fromEntries(nodes.map((n) => [n.name, {}]));
  const nfsClients = workers.filter((n) => !n.nfsServer);
  return {
    all: {
      hosts,
      children: {
        [GROUPS.controlPlane]: { hosts: members(masters) },
        [GROUPS.etcd]: { hosts: members(masters) },
        [GROUPS.node]: { hosts: members(workers) },
        [GROUPS.calicoRr]: { hosts: {} },
        [GROUPS.cluster]: { children: { [GROUPS.controlPlane]: {}, [GROUPS.node]: {}, [GROUPS.calicoRr]: {} } },
        [GROUPS.nfsServer]: { hosts: members([config.storage.nfsServer]) },
        [GROUPS.nfsClients]: { hosts: members(nfsClients) },
      },
    },
  };
}
