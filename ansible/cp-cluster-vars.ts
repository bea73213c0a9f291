/**
 * `cp-cluster-vars.sh` for the K-PaaS installer's `deploy-cp-cluster.sh`: the same cluster, for
 * users who prefer the official installer. Variable names and format are those of the installer
 * of the configuration's release track (its entry's `installer`, config/tracks.ts): K-PaaS v1.6.x
 * exports every variable (cp-deployment/standalone, the file is sourced into the shell that sources
 * the installer); v1.7.x writes plain assignments the installer reads itself (cp-deployment/single)
 * and adds the first master's SSH user and more cloud load-balancer types. Tracks the installer does
 * not support get no file.
 */
import type { PlatformConfig } from '../config';
import { type InstallerFormat, releaseTrack } from '../config/tracks';
import { GENERATED_BY, shellQuote } from './yaml-file';

/** The file `kpaas connect` writes beside it, with what is known only after `terraform apply`. */
export const CP_CLUSTER_VARS_CONNECTION = 'cp-cluster-vars.connection.sh';

/**
 * The installer format of the configuration's track, or undefined when the installer does not
 * support the configuration: tracks without an installer, and `ingress.controller: envoy-gateway`.
 * The installer always installs its own ingress-nginx on INGRESS_NGINX_IP (it has no switch for
 * it), and that controller would compete with Envoy Gateway's proxy Service for the ingress IP
 * and the worker LB's NodePorts; so with Envoy Gateway the cluster is built with kubespray
 * directly (installerUnsupported says why).
 */
export function installerFormat(config: PlatformConfig): InstallerFormat | undefined {
  return installerUnsupported(config) ? undefined : releaseTrack(config.versions.track).installer;
}

/** Why the K-PaaS installer route is not offered for this configuration, or undefined when it is. */
export function installerUnsupported(config: PlatformConfig): string | undefined {
  const track = releaseTrack(config.versions.track);
  if (!track.installer) return `The K-PaaS installer does not support release track \`${track.id}\`.`;
  if (config.ingress.controller !== 'ingress-nginx') {
    return `The K-PaaS installer always installs its own ingress-nginx on \`INGRESS_NGINX_IP\`, which would compete with Envoy Gateway (\`ingress.controller: ${config.ingress.controller}\`) for the ingress IP and NodePorts: use kubespray.`;
  }
  return undefined;
}

export function renderCpClusterVars(config: PlatformConfig): string | undefined {
  const format = installerFormat(config);
  if (!format) return undefined;
  const masters = config.nodes.masters.nodes;
  const workers = config.nodes.workers.nodes;
  const first = masters[0];
  const set = format.assignment === 'export' ? 'export ' : '';
  const line = (name: string, value: string) => `${set}${name}=${shellQuote(value)}`;
  /** `NAME="${NAME:-default}"`: a value exported before the file is read wins. */
  const keep = (name: string, value: string) => `${set}${name}="\${${name}:-${value}}"`;
  const out: string[] = [
    '#!/bin/bash',
    `# ${GENERATED_BY}`,
    `# Variables of K-PaaS ${format.kpaas} deploy-cp-cluster.sh (cp-deployment/${format.folder}) for this cluster.`,
    `# Source ${CP_CLUSTER_VARS_CONNECTION} (written by kpaas connect) first: values exported`,
    '# before this file is sourced win over the defaults below.',
    '',
    line('KUBE_CONTROL_HOSTS', String(masters.length)),
    // etcd runs on the masters, as in kubespray's inventory
    line('ETCD_TYPE', 'stacked'),
    ...(config.loadBalancers.master.vip
      ? [line('LOADBALANCER_DOMAIN', config.loadBalancers.master.vip)]
      : [`# The master LB's private VIP is known after terraform apply: ${CP_CLUSTER_VARS_CONNECTION} (kpaas connect) sets it.`,
        keep('LOADBALANCER_DOMAIN', '')]),
    '',
  ];
  masters.forEach((n, i) => {
    out.push(line(`MASTER${i + 1}_NODE_HOSTNAME`, n.name));
    if (i === 0) {
      if (format.names.includes('MASTERN_NODE_USER')) out.push(line('MASTER1_NODE_USER', config.nodes.sshUser));
      out.push('# Known after terraform apply; the private address keeps the certificate valid inside the VPC until then.');
      out.push(keep('MASTER1_NODE_PUBLIC_IP', first.privateIp));
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
    format.cspTypes.length === 1
      ? `# Kakao Cloud is not ${format.cspTypes[0]} Cloud: the ${format.cspTypes[0]} settings stay empty.`
      : `# Kakao Cloud is none of the installer's CSP types (${format.cspTypes.join(', ')}): CSP_TYPE and their settings stay empty.`,
    ...format.cspVariables.map((name) => `${set}${name}=`),
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
