/**
 * What node preparation puts on every machine: packages, kernel modules and sysctl settings. These
 * are facts of the platform (the seed's tuning), not per-cluster choices, so they live in code.
 */

/** Packages our playbooks and the cluster rely on (ipvs tools for kube-proxy, NFS client, time sync). */
export const NODE_PACKAGES: readonly string[] = Object.freeze([
  'ca-certificates',
  'chrony',
  'conntrack',
  'ipset',
  'ipvsadm',
  'nfs-common',
  'socat',
]);

/**
 * Kernel modules loaded at boot: the container runtime's overlay and bridge filtering, connection
 * tracking (its sysctl exists only once loaded) and the ipvs schedulers kube-proxy uses.
 */
export const KERNEL_MODULES: readonly string[] = Object.freeze([
  'br_netfilter',
  'ip_vs',
  'ip_vs_rr',
  'ip_vs_sh',
  'ip_vs_wrr',
  'nf_conntrack',
  'overlay',
]);

/**
 * sysctl settings: a connection-tracking table sized for ipvs and many Services, the seed's TCP
 * window tuning (16 MiB buffers for 10 Gbps links), and inotify limits for many pods per node.
 * Forwarding and bridge settings are left to kubespray, which owns them.
 */
export const SYSCTL: Readonly<Record<string, string | number>> = Object.freeze({
  'fs.inotify.max_user_instances': 8192,
  'fs.inotify.max_user_watches': 524288,
  'net.core.netdev_max_backlog': 16384,
  'net.core.rmem_max': 16777216,
  'net.core.somaxconn': 32768,
  'net.core.wmem_max': 16777216,
  'net.ipv4.tcp_max_syn_backlog': 8192,
  'net.ipv4.tcp_rmem': '4096 87380 16777216',
  'net.ipv4.tcp_wmem': '4096 65536 16777216',
  'net.netfilter.nf_conntrack_max': 1048576,
});

/** Export options of the seed (root is not squashed: the NFS provisioner creates directories as root). */
export const NFS_EXPORT_OPTIONS: readonly string[] = Object.freeze(['rw', 'sync', 'no_root_squash', 'no_subtree_check']);

/** Underlay MTU of Kakao Cloud's VPC network. */
export const NODE_NETWORK_MTU = 1500;
/** Bytes a VXLAN header adds to every pod packet. */
export const VXLAN_OVERHEAD = 50;
