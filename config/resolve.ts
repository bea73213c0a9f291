/**
 * Cross-field checks and resolution of a parsed configuration into the immutable PlatformConfig.
 * Every rule reports the field path, the value and what is allowed; all problems are collected
 * and reported together.
 */
import { ConfigIssue, show } from './errors';
import type { ClusterNode, GitopsSettings, LbListener, NodeGroup, NodeRole, ObjectStorageBackup, PlatformConfig } from './model';
import { Cidr, contains, intToIp, IpRange, ipToInt, overlaps, parseCidr, parseRange, rangeSize } from './net';
import { BACKUP_CREDENTIALS_FILE, COMMIT_SHA, KpaasConfigParsed, OPENSTACK_DEFAULTS, SEED_NODE_IPS } from './schema';
import { ARGOCD_CONTRACT } from './contracts/gitops';
import { argoReadsAsSemverConstraint } from './gitops-revision';
import { KAKAOCLOUD_NAMES, KAKAOCLOUD_REGIONS, kakaoNameProblem, NamedResource } from './kakaocloud-rules';
import { OBJECT_STORAGE_ENDPOINT, PLATFORM, platformUrl } from './platform';
import { type IngressController, TRACK_IDS, TRACKS } from './tracks';
import { VERSIONS } from './versions';

/** Ports the master LB knows a health check for; other ports get a TCP check. */
const API_PORT = PLATFORM.apiServerPort;
const ETCD_CLIENT_PORT = 2379;
/** Keycloak's host label: its host name is also the issuer of every token, so it is built once here. */
const KEYCLOAK_HOST_LABEL = 'keycloak';
/** Top-level directories an NFS export must not be (it would share the system). */
const SYSTEM_DIRS = ['bin', 'boot', 'dev', 'etc', 'lib', 'lib64', 'proc', 'root', 'run', 'sbin', 'sys', 'usr', 'var'];

/** `/data/` → `/data`; refuses the root, `..` and system directories. */
function normalizeNfsPath(p: string, fail: (path: string, message: string) => void): string | undefined {
  const segments = p.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.length === 0 || segments.includes('..')) {
    fail('storage.nfsPath', `${show(p)} would export the root file system or leave it through ".."; name a dedicated directory such as "/data"`);
    return undefined;
  }
  if (segments.length === 1 && SYSTEM_DIRS.includes(segments[0])) {
    fail('storage.nfsPath', `${show(p)} is a system directory; export a dedicated directory such as "/data"`);
    return undefined;
  }
  return `/${segments.join('/')}`;
}

type GroupInput = KpaasConfigParsed['nodes']['masters'];

/** An address or range that must not collide with another, with the field it came from. */
interface Claim {
  readonly path: string;
  readonly text: string;
  readonly first: number;
  readonly last: number;
}

export function resolveConfig(c: KpaasConfigParsed): { config?: PlatformConfig; issues: ConfigIssue[] } {
  const issues: ConfigIssue[] = [];
  const fail = (path: string, message: string) => issues.push({ path, message });

  // --- CIDRs -------------------------------------------------------------------------------
  const vpc = parseCidr(c.network.vpc.cidr) as Cidr;
  const subnet = parseCidr(c.network.subnet.cidr) as Cidr;
  const serviceCidr = parseCidr(c.network.serviceCidr) as Cidr;
  const podCidr = parseCidr(c.network.podCidr) as Cidr;
  if (!contains(vpc, subnet)) {
    fail('network.subnet.cidr', `${show(subnet.text)} is not inside the VPC ${show(vpc.text)} (network.vpc.cidr)`);
  }
  const blocks: Array<[string, Cidr]> = [
    ['network.vpc.cidr', vpc],
    ['network.serviceCidr', serviceCidr],
    ['network.podCidr', podCidr],
  ];
  for (let i = 0; i < blocks.length; i++) {
    for (let j = i + 1; j < blocks.length; j++) {
      const [pa, a] = blocks[i];
      const [pb, b] = blocks[j];
      if (overlaps(a, b)) fail(pb, `${show(b.text)} overlaps ${pa} ${show(a.text)}; the VPC, service and pod CIDRs must be disjoint`);
    }
  }
  if (serviceCidr.prefix > 28) {
    fail('network.serviceCidr', `${show(serviceCidr.text)} is too small; use a /28 or larger (the API and DNS Services take fixed addresses in it)`);
  }

  const versions = resolveVersions(c.versions, fail);
  const controller = resolveIngressController(c, fail);

  // --- nodes -------------------------------------------------------------------------------
  const masters = resolveGroup('master', 'nodes.masters', c.nodes.masters, fail);
  const workers = resolveGroup('worker', 'nodes.workers', c.nodes.workers, fail);
  if (masters.count !== undefined) {
    if (masters.count === 0) fail('nodes.masters.count', '0 masters: a cluster needs 1, 3, 5 or another odd number of masters');
    else if (masters.count % 2 === 0) {
      fail('nodes.masters.count', `${masters.count} is even; etcd runs on the masters and needs an odd number of members (1, 3, 5, ...) to keep quorum`);
    }
  }
  if (workers.count === 0) fail('nodes.workers.count', '0 workers: the platform services and the ingress run on workers; at least 1 is required');

  const nfsServerName = c.storage.nfsServer ?? masters.names[0];

  const nodesOf = (role: NodeRole, g: ResolvedGroup): ClusterNode[] =>
    g.ips.map((ip, i) => {
      const input = role === 'master' ? c.nodes.masters : c.nodes.workers;
      return {
        name: g.names[i],
        role,
        index: i + 1,
        privateIp: ip,
        flavor: input.flavor,
        volumeSize: input.volumeSize,
        ...(input.volumeType ? { volumeType: input.volumeType } : {}),
        publicIp: input.publicIp,
        nfsServer: g.names[i] === nfsServerName,
      };
    });
  const masterNodes = nodesOf('master', masters);
  const workerNodes = nodesOf('worker', workers);
  const all = [...masterNodes, ...workerNodes];

  // names unique across roles
  const seenNames = new Map<string, string>();
  all.forEach((n) => {
    const path = `${n.role === 'master' ? 'nodes.masters' : 'nodes.workers'}.names[${n.index - 1}]`;
    const prev = seenNames.get(n.name);
    if (prev) fail(path, `${show(n.name)} is used twice (also ${prev}); node names must be unique`);
    else seenNames.set(n.name, path);
  });
  if (c.storage.nfsServer !== undefined && !seenNames.has(c.storage.nfsServer)) {
    fail('storage.nfsServer', `${show(c.storage.nfsServer)} is not a node name; allowed: ${[...seenNames.keys()].join(', ')}`);
  }

  // --- addresses inside the subnet, no collisions --------------------------------------------
  const claims: Claim[] = [];
  const ipClaim = (path: string, ip: string): Claim => ({ path, text: ip, first: ipToInt(ip), last: ipToInt(ip) });
  masters.ips.forEach((ip, i) => claims.push(ipClaim(masters.ipPath(i), ip)));
  workers.ips.forEach((ip, i) => claims.push(ipClaim(workers.ipPath(i), ip)));
  const target = targetSettings(c, all, fail);
  if (target.masterVip) claims.push(ipClaim('loadBalancers.master.vip', target.masterVip));
  if (target.workerVip) claims.push(ipClaim('loadBalancers.worker.vip', target.workerVip));
  claims.push(ipClaim('ingress.ip', c.ingress.ip));
  const poolRanges: Claim[] = [
    { path: 'metallb.pool', ...(parseRange(c.metallb.pool) as IpRange) },
    ...c.metallb.extraRanges.map((r, i) => ({ path: `metallb.extraRanges[${i}]`, ...(parseRange(r) as IpRange) })),
  ];

  const usable = { first: subnet.first + 1, last: subnet.last - 1 }; // not the network or broadcast address
  for (const claim of [...claims, ...poolRanges]) {
    if (!contains(usable, claim)) {
      const what = claim.first === claim.last ? 'address' : 'range';
      fail(claim.path, `${show(claim.text)} is outside the subnet ${show(subnet.text)} (usable ${intToIp(usable.first)}-${intToIp(usable.last)}); every node, LB VIP, ingress and MetalLB ${what} must be in it`);
    }
  }
  const allClaims = [...claims, ...poolRanges];
  for (let i = 0; i < allClaims.length; i++) {
    for (let j = i + 1; j < allClaims.length; j++) {
      const a = allClaims[i];
      const b = allClaims[j];
      if (!overlaps(a, b)) continue;
      if (a.first === a.last && b.first === b.last) {
        fail(b.path, `${show(b.text)} is already used by ${a.path}; every node, LB VIP and the ingress IP need their own address`);
      } else {
        fail(b.path, `${show(b.text)} overlaps ${a.path} ${show(a.text)}; MetalLB ranges must not contain node, LB or ingress addresses or each other`);
      }
    }
  }

  // --- ports ---------------------------------------------------------------------------------
  const masterPorts = c.loadBalancers.master.ports;
  masterPorts.forEach((p, i) => {
    if (masterPorts.indexOf(p) !== i) fail(`loadBalancers.master.ports[${i}]`, `${p} is listed twice; each listener port must be unique`);
  });
  if (c.loadBalancers.worker.httpPort === c.loadBalancers.worker.httpsPort) {
    fail('loadBalancers.worker.httpsPort', `${c.loadBalancers.worker.httpsPort} equals loadBalancers.worker.httpPort; the two listeners need different ports`);
  }
  if (!masterPorts.includes(API_PORT)) {
    fail('loadBalancers.master.ports', `${show(masterPorts)} has no ${API_PORT}; the master LB is the cluster's API endpoint (kubespray's external load balancer) and must forward ${API_PORT}`);
  }
  const nfsPath = normalizeNfsPath(c.storage.nfsPath, fail);
  const gitops = c.gitops ? resolveGitops(c.gitops, fail) : undefined;
  if (c.ingress.httpNodePort === c.ingress.httpsNodePort) {
    fail('ingress.httpsNodePort', `${c.ingress.httpsNodePort} equals ingress.httpNodePort; the two NodePorts must differ`);
  }

  const objectStorage = resolveObjectStorage(c, fail);
  if (issues.length > 0) return { issues };

  const masterListeners: LbListener[] = masterPorts.map((p) => ({
    name: p === API_PORT ? 'api' : p === ETCD_CLIENT_PORT ? 'etcd' : String(p),
    port: p,
    targetPort: p,
    // the API answers /healthz anonymously over TLS; other ports only get a TCP check
    monitor: p === API_PORT ? { type: 'HTTPS', urlPath: '/healthz', expectedCodes: '200' } : { type: 'TCP' },
  }));
  const workerListeners: LbListener[] = [
    { name: 'http', port: c.loadBalancers.worker.httpPort, targetPort: c.ingress.httpNodePort, monitor: { type: 'TCP' } },
    { name: 'https', port: c.loadBalancers.worker.httpsPort, targetPort: c.ingress.httpsNodePort, monitor: { type: 'TCP' } },
  ];
  const group = (role: NodeRole, nodes: ClusterNode[]): NodeGroup => ({
    role,
    nodes,
    serverGroupPolicy: role === 'master' ? target.masterPolicy : target.workerPolicy,
  });

  const hosts = {
    apex: c.domain,
    portal: `portal.${c.domain}`,
    harbor: `harbor.${c.domain}`,
    keycloak: `${KEYCLOAK_HOST_LABEL}.${c.domain}`,
    openbao: `openbao.${c.domain}`,
    chartmuseum: `chartmuseum.${c.domain}`,
  };
  const config: PlatformConfig = {
    name: c.name,
    domain: c.domain,
    cloud: { ...c.cloud },
    versions: versions as PlatformConfig['versions'],
    network: {
      mode: c.network.mode,
      vpc: { ...c.network.vpc, cidr: vpc.text },
      subnet: { ...c.network.subnet, cidr: subnet.text },
      ...(c.network.externalNetwork ? { externalNetwork: c.network.externalNetwork } : {}),
      serviceCidr: serviceCidr.text,
      podCidr: podCidr.text,
      kubernetesServiceIp: intToIp(serviceCidr.first + 1),
      clusterDnsIp: intToIp(serviceCidr.first + 3),
      upstreamDns: c.network.upstreamDns,
    },
    nodes: {
      image: { ...c.nodes.image },
      sshUser: c.nodes.sshUser,
      masters: group('master', masterNodes),
      workers: group('worker', workerNodes),
      all,
    },
    access: {
      sshSourceCidrs: c.access.sshSourceCidrs,
      apiSourceCidrs: c.access.apiSourceCidrs,
      httpSourceCidrs: c.access.httpSourceCidrs,
      keyPair: { ...c.access.keyPair },
    },
    loadBalancers: {
      ...(c.loadBalancers.flavorId ? { flavorId: c.loadBalancers.flavorId } : {}),
      flavorName: c.loadBalancers.flavorName,
      securityGroups: c.loadBalancers.securityGroups,
      master: { role: 'master', ...(target.masterVip ? { vip: target.masterVip } : {}), listeners: masterListeners, members: masterNodes, publicIp: c.loadBalancers.master.publicIp },
      worker: { role: 'worker', ...(target.workerVip ? { vip: target.workerVip } : {}), listeners: workerListeners, members: workerNodes, publicIp: c.loadBalancers.worker.publicIp },
    },
    ingress: { ...c.ingress, controller: controller as IngressController },
    metallb: { pool: poolRanges[0].text, extraRanges: poolRanges.slice(1).map((r) => r.text) },
    storage: { nfsServer: all.find((n) => n.nfsServer) as ClusterNode, nfsPath: nfsPath as string },
    hosts,
    identity: {
      realm: c.identity.realm,
      issuerUrl: platformUrl(hosts.keycloak, `${PLATFORM.keycloak.relativePath}/realms/${c.identity.realm}`),
      kubernetesClientId: 'kubernetes',
      portalClientId: 'portal',
      harborClientId: 'harbor',
      usernameClaim: 'preferred_username',
      usernamePrefix: 'oidc:',
      groupsClaim: 'groups',
      groupsPrefix: 'oidc:',
      groups: { admins: 'admins', developers: 'developers', operators: 'operators' },
      keycloakReplicas: c.identity.keycloakReplicas,
    },
    openbao: { replicas: c.openbao.replicas },
    portal: { registry: c.portal.registry ?? `${hosts.harbor}/${PLATFORM.portal.imageProject}` },
    images: { mirrors: { ...c.images.mirrors } },
    secrets: { dir: c.secrets.dir },
    terraform: { backend: { ...c.terraform.backend } },
    ...(gitops ? { gitops } : {}),
    backup: objectStorage ? { objectStorage } : {},
  };
  return { config: deepFreeze(config), issues };
}

/**
 * The release track and the versions it allows: the track must be buildable, the Kubernetes version
 * one its kubespray has checksums for, the K-PaaS release the track's own.
 */
function resolveVersions(v: KpaasConfigParsed['versions'], fail: (path: string, message: string) => void): PlatformConfig['versions'] | undefined {
  const track = TRACKS[v.track];
  if (track.unavailable) {
    fail('versions.track', `${show(v.track)} is not available yet: ${track.unavailable}`);
    return undefined;
  }
  const kubernetes = v.kubernetes ?? track.kubernetes.default;
  const allowed = track.kubernetes.patches.map((p) => `v${p}`);
  let ok = true;
  if (!allowed.includes(kubernetes)) {
    fail('versions.kubernetes', `${show(kubernetes)} is not a version track ${show(track.id)} can install (kubespray ${track.kubespray.version} has checksums for these ${track.kubernetes.minor} patches); allowed: ${allowed.join(', ')}; for another minor choose another versions.track`);
    ok = false;
  }
  // a track without a K-PaaS cluster layer (upstream) still runs K-PaaS's platform services: their release
  const allowedKpaas = track.kpaas ?? VERSIONS.kpaasPortal;
  const kpaas = v.kpaas ?? allowedKpaas;
  if (kpaas !== allowedKpaas) {
    fail('versions.kpaas', `${show(v.kpaas)} is not the K-PaaS release of track ${show(track.id)}; allowed: ${show(allowedKpaas)}${track.kpaas ? '' : " (the platform services' release: the track has no K-PaaS cluster layer)"} (choose another release with versions.track)`);
    ok = false;
  }
  return ok ? { track: track.id, kubernetes, kpaas } : undefined;
}

const REPO_URL_ALLOWED = 'allowed: https://host/path or ssh://user@host/path';

/**
 * `gitops`: the repository URL the tool clones, dist's folder in it and the revision it follows.
 * Flux's GitRepository accepts only `http(s)://` and `ssh://` URLs (its CRD's url pattern); http is
 * refused here as unencrypted, credentials because dist is committed to Git.
 */
function resolveGitops(g: NonNullable<KpaasConfigParsed['gitops']>, fail: (path: string, message: string) => void): GitopsSettings | undefined {
  // a commit in capitals is a commit to Argo CD and would be a branch to Flux: written as git prints it
  const revision = ARGOCD_CONTRACT.commitSha.value.test(g.revision) ? g.revision.toLowerCase() : g.revision;
  const errors = { url: repoUrlProblem(g.repoURL), path: gitPathProblem(g.path), revision: revisionProblem(revision, g.tool) };
  if (errors.url) fail('gitops.repoURL', errors.url);
  if (errors.path) fail('gitops.path', errors.path);
  if (errors.revision) fail('gitops.revision', errors.revision);
  if (errors.url || errors.path || errors.revision) return undefined;
  const segments = g.path.split('/').filter((x) => x !== '' && x !== '.');
  return { tool: g.tool, repoURL: g.repoURL, path: segments.length > 0 ? segments.join('/') : '.', revision };
}

function repoUrlProblem(url: string): string | undefined {
  if (url === '') return `"" is empty; ${REPO_URL_ALLOWED}`;
  const scp = /^([^\s/@:]+)@([^\s/:]+):(?!\/\/)(.+)$/.exec(url);
  if (scp && !url.includes('://')) {
    return `${show(url)} is an scp-style address, which Flux's GitRepository refuses; write it as ${show(`ssh://${scp[1]}@${scp[2]}/${scp[3]}`)} (${REPO_URL_ALLOWED})`;
  }
  let u: URL;
  try {
    if (/\s/.test(url)) throw new Error('blank');
    u = new URL(url);
  } catch {
    return `${show(url)} is not a URL; ${REPO_URL_ALLOWED}`;
  }
  // never echo a URL that holds a password or token: dist and error logs are shared
  if (u.password !== '' || (u.protocol === 'https:' && u.username !== '')) {
    return `holds credentials (not shown); dist is committed to Git and must carry no secret: give the URL without them and register the credentials with the tool (docs/gitops.md); ${REPO_URL_ALLOWED}`;
  }
  if (u.protocol !== 'https:' && u.protocol !== 'ssh:') return `${show(url)} uses ${show(u.protocol.replace(/:$/, ''))}; ${REPO_URL_ALLOWED}`;
  if (u.hostname === '') return `${show(url)} names no host; ${REPO_URL_ALLOWED}`;
  if (u.search !== '' || u.hash !== '') return `${show(url)} has a query or fragment, which Git does not use; ${REPO_URL_ALLOWED}`;
  if (u.pathname.replace(/\//g, '') === '') return `${show(url)} names no repository (nothing after the host); ${REPO_URL_ALLOWED}`;
  return undefined;
}

function gitPathProblem(p: string): string | undefined {
  const allowed = 'allowed: dist\'s folder relative to the repository\'s root, e.g. "dist" or "clusters/prod/dist" ("." for the root)';
  if (p === '') return `"" is empty; ${allowed}`;
  if (/[\u0000-\u001f\u007f]/.test(p)) return `${show(p)} contains a control character; ${allowed}`;
  if (p.includes('\\')) return `${show(p)} contains "\\"; separate folders with "/"; ${allowed}`;
  if (p.startsWith('/')) return `${show(p)} is absolute; ${allowed}`;
  if (p.split('/').includes('..')) return `${show(p)} leaves the repository through ".."; ${allowed}`;
  return undefined;
}

/**
 * A revision both tools can resolve: a commit, or a reference name git-check-ref-format(1) accepts
 * (one-level names allowed, as branches are given), not starting with "-" (it would read as an option),
 * and read alike by both: not hex digits Argo CD may take as a commit, not a semver constraint.
 */
function revisionProblem(rev: string, tool: GitopsSettings['tool']): string | undefined {
  const allowed = 'allowed: a branch (e.g. "main"), a full reference (e.g. "refs/tags/v1.0.0") or a 40-character commit';
  if (rev === '') return `"" is empty; ${allowed}`;
  if (COMMIT_SHA.test(rev)) return undefined;
  const bad = /[\u0000-\u0020\u007f~^:?*[\\]/.exec(rev);
  if (bad) return `${show(rev)} contains ${show(bad[0])}, which Git does not allow in a reference name (git check-ref-format); ${allowed}`;
  const rule = [
    [rev.includes('..'), '".."'],
    [rev.includes('@{'), '"@{"'],
    [rev === '@', 'only "@"'],
    [rev.startsWith('/') || rev.endsWith('/') || rev.includes('//'), 'an empty folder ("/" at the start or end, or "//")'],
    [rev.endsWith('.'), 'a trailing "."'],
    [rev.split('/').some((x) => x.startsWith('.') || x.endsWith('.lock')), 'a part starting with "." or ending with ".lock"'],
  ].find(([hit]) => hit);
  if (rule) return `${show(rev)} has ${String(rule[1])}, which Git does not allow in a reference name (git check-ref-format); ${allowed}`;
  if (rev.startsWith('-')) return `${show(rev)} starts with "-", which git commands would read as an option; ${allowed}`;
  // names Argo CD reads as something else than the branch Flux follows (config/contracts/gitops.ts)
  const asBranch = `write the branch as ${show(`refs/heads/${rev}`)}`;
  if (ARGOCD_CONTRACT.truncatedSha.value.test(rev)) return `${show(rev)} is 7 or more hex digits, which Argo CD takes as an abbreviated commit when no reference has that name (Flux: the branch only); write the full 40-character commit, or ${asBranch}; ${allowed}`;
  if (argoReadsAsSemverConstraint(rev)) return `${show(rev)} is a semver constraint to Argo CD, which follows the highest tag satisfying it (Flux: the branch); ${asBranch}, or a tag as "refs/tags/<tag>"; ${allowed}`;
  if (rev === 'HEAD' && tool === 'flux') return `"HEAD" is Argo CD's name for the default branch; Flux's GitRepository needs the branch's name; ${allowed}`;
  return undefined;
}

/** The ingress controller: the one named, if the track allows it, else the track's default. */
function resolveIngressController(c: KpaasConfigParsed, fail: (path: string, message: string) => void): IngressController | undefined {
  const allowed = TRACKS[c.versions.track].ingress;
  const controller = c.ingress.controller ?? allowed.default;
  if (!allowed.controllers.includes(controller)) {
    const elsewhere = TRACK_IDS.filter((id) => TRACKS[id].ingress.controllers.includes(controller));
    const move = elsewhere.length > 0 ? ` (or versions.track ${elsewhere.map((id) => show(id)).join(', ')} for ${show(controller)})` : '';
    fail('ingress.controller', `${show(controller)} is not available on track ${show(c.versions.track)}; allowed: ${allowed.controllers.map((x) => show(x)).join(', ')}${move}`);
    return undefined;
  }
  return controller;
}

/** What differs between the two Terraform targets, with the checks only one of them needs. */
interface TargetSettings {
  readonly masterVip?: string;
  readonly workerVip?: string;
  readonly masterPolicy: NodeGroup['serverGroupPolicy'];
  readonly workerPolicy: NodeGroup['serverGroupPolicy'];
}

function targetSettings(c: KpaasConfigParsed, nodes: readonly ClusterNode[], fail: (path: string, message: string) => void): TargetSettings {
  if (c.cloud.provider === 'openstack') {
    return {
      masterVip: c.loadBalancers.master.vip ?? OPENSTACK_DEFAULTS.masterVip,
      workerVip: c.loadBalancers.worker.vip ?? OPENSTACK_DEFAULTS.workerVip,
      masterPolicy: c.nodes.masters.serverGroupPolicy ?? OPENSTACK_DEFAULTS.serverGroupPolicy,
      workerPolicy: c.nodes.workers.serverGroupPolicy ?? OPENSTACK_DEFAULTS.serverGroupPolicy,
    };
  }
  // kakaocloud: settings its provider cannot express are refused, one line each
  const only = 'only with cloud.provider "openstack"';
  for (const role of ['masters', 'workers'] as const) {
    const policy = c.nodes[role].serverGroupPolicy;
    if (policy !== undefined) {
      fail(`nodes.${role}.serverGroupPolicy`, `${show(policy)} is not allowed with cloud.provider "kakaocloud": Kakao's provider has no server groups or anti-affinity; remove the setting (allowed ${only})`);
    }
  }
  for (const role of ['master', 'worker'] as const) {
    const vip = c.loadBalancers[role].vip;
    if (vip !== undefined) {
      fail(`loadBalancers.${role}.vip`, `${show(vip)} is not allowed with cloud.provider "kakaocloud": Kakao's NLB takes no VIP and reports it after terraform apply (kpaas connect reads it); remove the setting (allowed ${only})`);
    }
  }
  if (!(KAKAOCLOUD_REGIONS.values as readonly string[]).includes(c.cloud.region)) {
    fail('cloud.region', `${show(c.cloud.region)} is not a region of Kakao's provider; allowed: ${KAKAOCLOUD_REGIONS.values.map((r) => show(r)).join(', ')}`);
  }
  // the names the stack will give its resources must pass the provider's name rule
  const reported = new Set<string>();
  const check = (path: string, name: string, type: NamedResource, what: string) => {
    const problem = kakaoNameProblem(name, type);
    if (!problem || reported.has(path)) return;
    reported.add(path);
    fail(path, `gives the ${what} ${show(name)}, which Kakao's provider refuses: it ${problem}`);
  };
  for (const n of nodes) {
    const group = n.role === 'master' ? 'masters' : 'workers';
    const path = c.nodes[group].names ? `nodes.${group}.names[${n.index - 1}]` : `nodes.${group}.namePrefix`;
    check(path, KAKAOCLOUD_NAMES.instance(n.name), 'instance', 'instance name');
    check(path, KAKAOCLOUD_NAMES.networkInterface(n.name), 'network_interface', 'network interface name');
  }
  for (const group of ['common', 'master', 'worker', 'nfs']) check('name', KAKAOCLOUD_NAMES.securityGroup(c.name, group), 'security_group', 'security group name');
  for (const role of ['master', 'worker']) check('name', KAKAOCLOUD_NAMES.loadBalancer(c.name, role), 'load_balancer', 'load balancer name');
  check('access.keyPair.name', c.access.keyPair.name, 'instance_key_name', 'key pair name');
  if (c.network.externalNetwork !== undefined) {
    fail('network.externalNetwork', `${show(c.network.externalNetwork)} is not allowed with cloud.provider "kakaocloud": Kakao's public IPs need no external network; remove the setting (allowed ${only})`);
  }
  if (c.network.subnet.dnsServers.length > 0) {
    fail('network.subnet.dnsServers', `${show(c.network.subnet.dnsServers)} is not allowed with cloud.provider "kakaocloud": kakaocloud_subnet takes no DNS servers; remove the setting (allowed ${only})`);
  }
  if (c.network.mode === 'create') {
    check('network.vpc.name', c.network.vpc.name, 'vpc', 'VPC name');
    check('network.subnet.name', c.network.subnet.name, 'subnet', 'subnet name');
  }
  return { masterPolicy: 'none', workerPolicy: 'none' };
}

/** S3's bucket-name rule (AWS's general-purpose buckets; Kakao's S3 API takes the same names). */
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
/** Key prefix segments: letters, digits, ".", "_" and "-" (no spaces or characters that need escaping in keys). */
const KEY_SEGMENT = /^[A-Za-z0-9._-]+$/;
/** Paths written into the backup script: plain characters only. */
const NODE_PATH = /^(\/[A-Za-z0-9._-]+)+$/;

/** backup.objectStorage with its defaults (endpoint and region from cloud.region), each field checked. */
function resolveObjectStorage(c: KpaasConfigParsed, fail: (path: string, message: string) => void): ObjectStorageBackup | undefined {
  const o = c.backup.objectStorage;
  if (!o) return undefined;
  const at = 'backup.objectStorage';
  let ok = true;
  const bad = (field: string, message: string) => {
    fail(`${at}.${field}`, message);
    ok = false;
  };
  if (!BUCKET_NAME.test(o.bucket) || o.bucket.includes('..')) {
    bad('bucket', `${show(o.bucket)} is not a bucket name; allowed: 3-63 lower-case letters, digits, "." and "-", starting and ending with a letter or digit`);
  }
  const region = o.region ?? c.cloud.region;
  const regionOk = /^[a-z0-9]+(-[a-z0-9]+)*$/.test(region);
  if (!regionOk) {
    bad('region', `${show(region)} is not a region name; allowed: lower-case letters and digits separated by "-" (e.g. "kr-central-2")`);
  } else if (c.cloud.provider === 'kakaocloud' && o.region !== undefined && o.endpoint === undefined
    && !(KAKAOCLOUD_REGIONS.values as readonly string[]).includes(region)) {
    // Kakao's endpoint is derived from it; the cluster's region (the default) is checked as cloud.region
    bad('region', `${show(region)} is not a Kakao Cloud region; allowed with cloud.provider "kakaocloud": ${KAKAOCLOUD_REGIONS.values.map((r) => show(r)).join(', ')} (or set backup.objectStorage.endpoint for another S3 store)`);
  }
  const endpoint = o.endpoint ?? OBJECT_STORAGE_ENDPOINT(region);
  let url: URL | undefined;
  try {
    url = new URL(endpoint);
  } catch {
    url = undefined;
  }
  // an endpoint derived from a bad region is not reported again
  const plainHttps = url !== undefined && url.protocol === 'https:' && url.pathname === '/' && url.search === '' && url.hash === ''
    && url.username === '' && url.password === '' && !endpoint.endsWith('/');
  if ((regionOk || o.endpoint !== undefined) && !plainHttps) {
    bad('endpoint', `${show(endpoint)} is not an https URL without a path; allowed: "https://<host>[:port]" (Kakao: "${OBJECT_STORAGE_ENDPOINT('<region>')}")`);
  }
  const segments = o.prefix.split('/');
  if (o.prefix === '' || !segments.every((s) => KEY_SEGMENT.test(s) && s !== '.' && s !== '..')) {
    bad('prefix', `${show(o.prefix)} is not a key prefix; allowed: one or more "/"-separated segments of letters, digits, ".", "_" and "-", without leading, trailing or double "/" (e.g. "etcd-snapshots")`);
  }
  if (!NODE_PATH.test(o.credentialsFile) || o.credentialsFile.split('/').includes('..')) {
    bad('credentialsFile', `${show(o.credentialsFile)} is not an absolute path on the masters; allowed: "/"-separated letters, digits, ".", "_" and "-" (e.g. "${BACKUP_CREDENTIALS_FILE}")`);
  }
  return ok ? { bucket: o.bucket, endpoint, region, prefix: o.prefix, keep: o.keep, credentialsFile: o.credentialsFile } : undefined;
}

interface ResolvedGroup {
  /** The count that was asked for or implied; undefined when the group's input was invalid. */
  readonly count?: number;
  readonly ips: string[];
  readonly names: string[];
  /** Config path of the i-th node's IP, for messages. */
  readonly ipPath: (i: number) => string;
}

/** Works out a role's node IPs and names from `count`, `ips`, `ipRange`, `names` and `namePrefix`. */
function resolveGroup(role: NodeRole, path: string, g: GroupInput, fail: (path: string, message: string) => void): ResolvedGroup {
  const invalid: ResolvedGroup = { ips: [], names: [], ipPath: (i) => `${path}.ips[${i}]` };
  if (g.ips && g.ipRange) {
    fail(`${path}.ipRange`, `${show(g.ipRange)} is set together with ${path}.ips; give either explicit ips or a range to take them from, not both`);
    return invalid;
  }
  let ips: string[];
  let ipPath: (i: number) => string;
  if (g.ipRange) {
    const r = parseRange(g.ipRange) as IpRange;
    if (g.count === undefined) {
      fail(`${path}.count`, `is required with ${path}.ipRange (how many IPs to take from ${show(g.ipRange)})`);
      return invalid;
    }
    if (g.count > rangeSize(r)) {
      fail(`${path}.ipRange`, `${show(g.ipRange)} holds ${rangeSize(r)} addresses but ${path}.count is ${g.count}`);
      return invalid;
    }
    ips = Array.from({ length: g.count }, (_, i) => intToIp(r.first + i));
    ipPath = (i) => `${path}.ipRange (node ${i + 1}, ${ips[i]})`;
  } else {
    ips = g.ips ?? [...SEED_NODE_IPS[role]];
    ipPath = (i) => `${path}.ips[${i}]`;
    if (g.count !== undefined && g.count !== ips.length) {
      const source = g.ips ? `${path}.ips` : `the default ${path}.ips`;
      fail(`${path}.count`, `${g.count} does not match the ${ips.length} IPs of ${source} (${ips.join(', ')}); list ${g.count} IPs in ${path}.ips, or set ${path}.ipRange to take them from a range`);
      return invalid;
    }
  }
  const count = ips.length;
  let names: string[];
  if (g.names) {
    if (g.names.length !== count) {
      fail(`${path}.names`, `has ${g.names.length} names for ${count} ${role}s; give one name per node`);
      return invalid;
    }
    names = g.names;
  } else {
    names = Array.from({ length: count }, (_, i) => `${g.namePrefix}-${i + 1}`);
  }
  // duplicate IPs within the role are reported with the other collisions by the caller
  return { count, ips, names, ipPath };
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o as object)) deepFreeze(v);
  }
  return o;
}
