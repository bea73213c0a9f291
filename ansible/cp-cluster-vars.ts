/**
 * `cp-cluster-vars.sh` for K-PaaS v1.6.2's `deploy-cp-cluster.sh` (standalone): the same cluster,
 * for users who prefer the official installer. Variable names are the installer's own.
 */
import type { PlatformConfig } from '../config';
import { GENERATED_BY, shellQuote } from './yaml-file';

/** The file `kpaas connect` writes beside it, with what is known only after `terraform apply`. */
export const CP_CLUSTER_VARS_CONNECTION = 'cp-cluster-vars.connection.sh';

export function renderCpClusterVars(config: PlatformConfig): string {
  const masters = config.nodes.masters.nodes;
  const workers = config.nodes.workers.nodes;
  const first = masters[0];
  const line = (name: string, value: string) => `export ${name}=${shellQuote(value)}`;
  const out: string[] = [
    '#!/bin/bash',
    `# ${GENERATED_BY}`,
    `# Variables of K-PaaS ${config.versions.kpaas} deploy-cp-cluster.sh (cp-deployment/standalone) for this cluster.`,
    `# Source ${CP_CLUSTER_VARS_CONNECTION} (written by kpaas connect) first: values exported`,
    '# before this file is sourced win over the defaults below.',
    '',
    line('KUBE_CONTROL_HOSTS', String(masters.length)),
    // etcd runs on the masters, as in kubespray's inventory
    line('ETCD_TYPE', 'stacked'),
    ...(config.loadBalancers.master.vip
      ? [line('LOADBALANCER_DOMAIN', config.loadBalancers.master.vip)]
      : [`# The master LB's private VIP is known after terraform apply: ${CP_CLUSTER_VARS_CONNECTION} (kpaas connect) sets it.`,
        'export LOADBALANCER_DOMAIN="${LOADBALANCER_DOMAIN:-}"']),
    '',
  ];
  masters.forEach((n, i) => {
    out.push(line(`MASTER${i + 1}_NODE_HOSTNAME`, n.name));
    if (i === 0) {
      out.push('# Known after terraform apply; the private address keeps the certificate valid inside the VPC until then.');
      out.push(`export MASTER1_NODE_PUBLIC_IP="\${MASTER1_NODE_PUBLIC_IP:-${first.privateIp}}"`);
    }
    out.push(line(`MASTER${i + 1}_NODE_PRIVATE_IP`, n.privateIp));
  });
  out.push('', line('KUBE_WORKER_HOSTS', String(workers.length)));
  workers.forEach((n, i) => {
    out.push(line(`WORKER${i + 1}_NODE_HOSTNAME`, n.name));
    out.push(line(`WORKER${i + 1}_NODE_PRIVATE_IP`, n.privateIp));
  });
  out.push(
    '',
    line('STORAGE_TYPE', 'nfs'),
    line('NFS_SERVER_PRIVATE_IP', config.storage.nfsServer.privateIp),
    '',
    '# The installer requires both; installer/zz-kpaas.yml replaces the pools it would make from them',
    '# (its `primary` pool would overlap the pool of dist/manifests, which MetalLB refuses).',
    ...(config.metallb.extraRanges.length > 0
      ? [`# The extra ranges (${config.metallb.extraRanges.join(', ')}) come from dist/manifests.`]
      : []),
    line('METALLB_IP_RANGE', config.metallb.pool),
    line('INGRESS_NGINX_IP', config.ingress.ip),
    '',
    '# Namespace isolation comes from the platform manifests\' NetworkPolicies, not Kyverno.',
    line('INSTALL_KYVERNO', 'N'),
    '',
    '# Kakao Cloud is not NHN Cloud: the NHN settings stay empty.',
    'export CSP_TYPE=',
    'export NHN_USERNAME=',
    'export NHN_PASSWORD=',
    'export NHN_TENANT_ID=',
    'export NHN_VIP_SUBNET_ID=',
    '',
  );
  return out.join('\n');
}

/**
 * The connection part of the installer's variables: the first master's public address when it has
 * one, and the master LB's private VIP when the config could not know it (kakaocloud).
 */
export function renderCpClusterVarsConnection(master1Name: string, master1PublicIp: string | null, masterLbVip?: string): string {
  const out = [
    '#!/bin/bash',
    '# Written by `kpaas connect` from `terraform output -json`; synth keeps it. Source it before cp-cluster-vars.sh.',
  ];
  if (master1PublicIp) out.push(`export MASTER1_NODE_PUBLIC_IP=${shellQuote(master1PublicIp)}`);
  else out.push(`# ${master1Name} has no public IP: cp-cluster-vars.sh keeps its private address.`);
  if (masterLbVip) out.push(`export LOADBALANCER_DOMAIN=${shellQuote(masterLbVip)}`);
  return `${out.join('\n')}\n`;
}
