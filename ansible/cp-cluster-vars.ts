/**
 * `cp-cluster-vars.sh` for the K-PaaS installer's `deploy-cp-cluster.sh`: the same cluster, for
 * users who prefer the official installer. Variable names and format are those of the installer
 * of the configuration's release track (its entry's `installer`, config/tracks.ts): K-PaaS v1.6.x
 * exports every variable (cp-deployment/standalone, the file is sourced into the shell that sources
 * the installer); v1.7.x writes plain assignments the installer reads itself, line by line and not
 * as a shell script (cp-deployment/single), and adds the first master's SSH user and more cloud
 * load-balancer types. Tracks the installer does not support get no file.
 *
 * What only `terraform apply` tells (the first master's public address; the master LB's VIP where
 * the config cannot know it) is in `cp-cluster-vars.connection.sh`, which `kpaas connect` writes:
 * sourced first where the installer sources the file (the values it exports win over the defaults
 * here), joined after this file where the installer reads lines (this file then leaves them out).
 */
import type { PlatformConfig } from '../config';
import { type InstallerFormat, releaseTrack } from '../config/tracks';
import { GENERATED_BY, shellQuote } from './yaml-file';

/** The synthesized file of the official installer's variables, named as the installer's own (in `InstallerFormat.folder`). */
export const CP_CLUSTER_VARS = 'cp-cluster-vars.sh';

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
  const line = assign(format);
  const sourced = format.reads.how === 'source';
  /**
   * A value only `kpaas connect` knows: where the file is sourced, `NAME="${NAME:-default}"` (a value
   * exported before wins); where it is read as lines, nothing here (the connection file has the line).
   */
  const later = (name: string, value: string, why: string): string[] => sourced
    ? [`# ${why}`, `${assignPrefix(format)}${name}="\${${name}:-${value}}"`]
    : [`# ${name}: known after terraform apply, in ${CP_CLUSTER_VARS_CONNECTION} (kpaas connect), joined after this file.`];
  const out: string[] = [
    '#!/bin/bash',
    `# ${GENERATED_BY}`,
    `# Variables of K-PaaS ${format.kpaas} deploy-cp-cluster.sh (cp-deployment/${format.folder}) for this cluster.`,
    ...(sourced
      ? [`# Source ${CP_CLUSTER_VARS_CONNECTION} (written by kpaas connect) first: values exported`,
        '# before this file is sourced win over the defaults below.']
      : ['# The installer reads this file line by line, not as a shell script: NAME=value, the value as',
        `# written. Its cp-cluster-vars.sh is this file with ${CP_CLUSTER_VARS_CONNECTION} (kpaas connect) after it.`]),
    '',
    line('KUBE_CONTROL_HOSTS', String(masters.length)),
    // etcd runs on the masters, as in kubespray's inventory
    line('ETCD_TYPE', 'stacked'),
    ...(config.loadBalancers.master.vip
      ? [line('LOADBALANCER_DOMAIN', config.loadBalancers.master.vip)]
      : later('LOADBALANCER_DOMAIN', '', "The master LB's private VIP is known after terraform apply.")),
    '',
  ];
  masters.forEach((n, i) => {
    out.push(line(`MASTER${i + 1}_NODE_HOSTNAME`, n.name));
    if (i === 0) {
      if (format.names.includes('MASTERN_NODE_USER')) out.push(line('MASTER1_NODE_USER', config.nodes.sshUser));
      out.push(...later('MASTER1_NODE_PUBLIC_IP', first.privateIp, 'Known after terraform apply; the private address keeps the certificate valid inside the VPC until then.'));
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
    ...format.cspVariables.map((name) => `${assignPrefix(format)}${name}=`),
    '',
  );
  return out.join('\n');
}

const assignPrefix = (format: InstallerFormat): string => (format.assignment === 'export' ? 'export ' : '');

/**
 * One assignment as the installer reads it: shell-quoted where the file is sourced; where it is
 * read as lines, the value as written (the installer puts it between double quotes in YAML, so a
 * quote, backslash or line break would break that; the config's names and addresses have none).
 */
function assign(format: InstallerFormat): (name: string, value: string) => string {
  if (format.reads.how === 'source') return (name, value) => `${assignPrefix(format)}${name}=${shellQuote(value)}`;
  return (name, value) => {
    if (/["\\\n\r]/.test(value)) throw new Error(`cp-cluster-vars.sh: ${name} ${JSON.stringify(value)} cannot be written for the K-PaaS ${format.kpaas} installer, which reads the value as written between double quotes`);
    return `${assignPrefix(format)}${name}=${value}`;
  };
}

/**
 * The connection part of the installer's variables: the first master's public address when it has
 * one, and the master LB's private VIP when the config could not know it (kakaocloud).
 */
export function renderCpClusterVarsConnection(format: InstallerFormat, master1: { readonly name: string; readonly privateIp: string }, master1PublicIp: string | null, masterLbVip?: string): string {
  const line = assign(format);
  if (format.reads.how === 'source') {
    const out = [
      '#!/bin/bash',
      '# Written by `kpaas connect` from `terraform output -json`; synth keeps it. Source it before cp-cluster-vars.sh.',
    ];
    if (master1PublicIp) out.push(line('MASTER1_NODE_PUBLIC_IP', master1PublicIp));
    else out.push(`# ${master1.name} has no public IP: cp-cluster-vars.sh keeps its private address.`);
    if (masterLbVip) out.push(line('LOADBALANCER_DOMAIN', masterLbVip));
    return `${out.join('\n')}\n`;
  }
  // read as lines, joined after cp-cluster-vars.sh, which leaves these out
  const out = [
    '# Written by `kpaas connect` from `terraform output -json`; synth keeps it. Joined after cp-cluster-vars.sh.',
    ...(master1PublicIp ? [] : [`# ${master1.name} has no public IP: its private address keeps the certificate valid inside the VPC.`]),
    line('MASTER1_NODE_PUBLIC_IP', master1PublicIp ?? master1.privateIp),
  ];
  if (masterLbVip) out.push(line('LOADBALANCER_DOMAIN', masterLbVip));
  return `${out.join('\n')}\n`;
}
