/**
 * The security-group tables of the cluster, derived from the config: the seed's ingress and
 * egress rows, split by role where that is tighter, corrected where the seed disagrees with the
 * software it installs (see the README's "Deviations from the seed").
 */
import type { PlatformConfig } from '../../config';
import { Direction, Protocol, SecurityGroupRule } from './security-group';

/** The NodePort range the seed opens on the nodes (kube-apiserver's default). */
export const NODE_PORT_RANGE: readonly [number, number] = [30000, 32767];
const ANYWHERE = '0.0.0.0/0';

export interface ClusterSecurityRules {
  /** Every node. */
  readonly common: readonly SecurityGroupRule[];
  readonly master: readonly SecurityGroupRule[];
  readonly worker: readonly SecurityGroupRule[];
  /** Only the NFS server node. */
  readonly nfs: readonly SecurityGroupRule[];
  /** VIP port of the master LB. */
  readonly masterLb: readonly SecurityGroupRule[];
  /** VIP port of the worker LB. */
  readonly workerLb: readonly SecurityGroupRule[];
}

/** Admin-chosen sources plus the VPC (nodes and LB health checks come from it), without repeats. */
function withVpc(sources: readonly string[], vpc: string): string[] {
  return sources.includes(ANYWHERE) ? [ANYWHERE] : [...new Set([...sources, vpc])];
}

export function clusterSecurityRules(config: PlatformConfig): ClusterSecurityRules {
  const vpc = [config.network.vpc.cidr];
  const api = withVpc(config.access.apiSourceCidrs, config.network.vpc.cidr);
  const http = withVpc(config.access.httpSourceCidrs, config.network.vpc.cidr);
  const tcp = Protocol.TCP;
  const udp = Protocol.UDP;
  const egressAll: SecurityGroupRule = {
    name: 'egress-all', description: 'All outbound traffic (seed egress row)', direction: Direction.EGRESS, protocol: Protocol.ANY, cidrs: [ANYWHERE],
  };

  const masterLbRules = config.loadBalancers.master.listeners.map<SecurityGroupRule>((l) => ({
    name: `listener-${l.name}`,
    description: `Master LB listener ${l.port}`,
    protocol: tcp,
    ports: l.port,
    // the API is for admins; every other listener (etcd) stays inside the VPC
    cidrs: l.name === 'api' ? api : vpc,
  }));
  const workerLbRules = config.loadBalancers.worker.listeners.map<SecurityGroupRule>((l) => ({
    name: `listener-${l.name}`, description: `Worker LB listener ${l.port}`, protocol: tcp, ports: l.port, cidrs: http,
  }));

  return {
    common: [
      { name: 'ssh', description: 'SSH', protocol: tcp, ports: 22, cidrs: config.access.sshSourceCidrs },
      { name: 'kubelet', description: 'Kubelet API', protocol: tcp, ports: 10250, cidrs: vpc },
      { name: 'calico-vxlan', description: 'Calico VXLAN (UDP 4789; the seed lists 8472, which is flannel\'s)', protocol: udp, ports: 4789, cidrs: vpc },
      { name: 'calico-bgp', description: 'Calico BGP', protocol: tcp, ports: 179, cidrs: vpc },
      { name: 'calico-typha', description: 'Calico Typha', protocol: tcp, ports: 5473, cidrs: vpc },
      { name: 'calico-health', description: 'calico-node health (seed row 9099)', protocol: tcp, ports: 9099, cidrs: vpc },
      { name: 'metallb-memberlist-tcp', description: 'MetalLB speaker memberlist', protocol: tcp, ports: 7946, cidrs: vpc },
      { name: 'metallb-memberlist-udp', description: 'MetalLB speaker memberlist', protocol: udp, ports: 7946, cidrs: vpc },
      { name: 'icmp', description: 'Ping', protocol: Protocol.ICMP, cidrs: vpc },
      egressAll,
    ],
    master: [
      { name: 'kube-api', description: 'Kubernetes API', protocol: tcp, ports: 6443, cidrs: api },
      { name: 'etcd', description: 'etcd client and peer', protocol: tcp, ports: [2379, 2380], cidrs: vpc },
      { name: 'kube-scheduler', description: 'kube-scheduler (secure port 10259; the seed lists the removed 10251)', protocol: tcp, ports: 10259, cidrs: vpc },
      { name: 'kube-controller-manager', description: 'kube-controller-manager (secure port 10257; the seed lists the removed 10252)', protocol: tcp, ports: 10257, cidrs: vpc },
    ],
    worker: [
      { name: 'http', description: 'HTTP (ingress)', protocol: tcp, ports: 80, cidrs: http },
      { name: 'https', description: 'HTTPS (ingress)', protocol: tcp, ports: 443, cidrs: http },
      { name: 'node-ports', description: 'NodePort Services (worker LB targets)', protocol: tcp, ports: NODE_PORT_RANGE, cidrs: http },
    ],
    nfs: [{ name: 'nfs', description: 'NFS', protocol: tcp, ports: 2049, cidrs: vpc }],
    masterLb: [...masterLbRules, egressAll],
    workerLb: [...workerLbRules, egressAll],
  };
}
