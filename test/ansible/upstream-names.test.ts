/**
 * Every variable the renderer writes for kubespray or the K-PaaS installer exists upstream: checked
 * against the pinned reference files (kubespray v2.28.1 sample group_vars and addon defaults,
 * K-PaaS v1.6.2 cp-cluster-vars.sh). Skipped with a visible warning where they are absent.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { parseConfig, type PlatformConfig } from '../../config';
import { TRACK_IDS, TRACKS, type TrackId } from '../../config/tracks';
import { renderAnsibleAsCli } from './support';

const REFERENCE = path.resolve(__dirname, '../../../shared/reference');
/** The whole kubespray v2.28.1 tree: every role's defaults declare the names its templates read. */
const UPSTREAM_KUBESPRAY = path.resolve(__dirname, '../../../shared/upstream/kubespray-v2.28.1');
const KUBESPRAY = path.join(REFERENCE, 'kubespray-v2.28.1');
const KPAAS = path.join(REFERENCE, 'kpaas-cp-deployment-v1.6.2');

/**
 * Names kubespray reads that its sample inventory does not show: kube_version is set in
 * roles/kubespray_defaults (not among the pinned files); v2.28 checks it has no leading "v".
 * dns_etchosts is read by the coredns-config and nodelocaldns-config templates of
 * roles/kubernetes-apps/ansible (the `hosts` plugin) and documented in docs/dns-stack.md.
 */
const NOT_IN_SAMPLES = new Set(['kube_version', 'dns_etchosts']);

/** The files of our inventory that are kubespray's (kpaas.yml is our playbooks' own). */
const KUBESPRAY_FILES = [
  'inventory/group_vars/all/all.yml',
  'inventory/group_vars/all/etcd.yml',
  'inventory/group_vars/k8s_cluster/k8s-cluster.yml',
  'inventory/group_vars/k8s_cluster/k8s-net-calico.yml',
  'inventory/group_vars/k8s_cluster/addons.yml',
  'installer/zz-kpaas.yml',
];

function readAll(dir: string, keep: (file: string) => boolean = () => true): string {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (keep(p)) out.push(fs.readFileSync(p, 'utf8'));
    }
  };
  walk(dir);
  return out.join('\n');
}

/** The pinned reference files, plus every role default of the full upstream tree where it is present. */
function kubesprayDeclarations(): string {
  const parts = [readAll(KUBESPRAY)];
  parts.push(readAll(path.join(UPSTREAM_KUBESPRAY, 'roles'), (f) => /\/defaults\/.*\.ya?ml$/.test(f)));
  return parts.join('\n');
}

const present = fs.existsSync(KUBESPRAY) && fs.existsSync(KPAAS) && fs.existsSync(UPSTREAM_KUBESPRAY);
if (!present) console.warn(`SKIPPED: upstream reference files not found at ${REFERENCE} or ${UPSTREAM_KUBESPRAY}; variable names not checked`);
const itRef = present ? it : it.skip;

describe('variable names against the pinned upstream files', () => {
  const files = renderAnsibleAsCli(parseConfig({}));

  itRef('uses only kubespray v2.28.1 variable names in the kubespray group_vars', () => {
    const reference = kubesprayDeclarations();
    const unknown: string[] = [];
    for (const rel of KUBESPRAY_FILES) {
      for (const key of Object.keys(parse(files.get(rel) ?? '') ?? {})) {
        if (NOT_IN_SAMPLES.has(key)) continue;
        const declared = new RegExp(`^[ \\t]*#*[ \\t]*${key}:`, 'm');
        if (!declared.test(reference)) unknown.push(`${rel}: ${key}`);
      }
    }
    expect(unknown).toEqual([]);
  });

  itRef('uses only the K-PaaS installer variable names in cp-cluster-vars.sh', () => {
    const reference = fs.readFileSync(path.join(KPAAS, 'standalone/cp-cluster-vars.sh'), 'utf8');
    const known = new Set([...reference.matchAll(/^export ([A-Z0-9_]+)=/gm)].map((m) => m[1].replace(/^(MASTER|WORKER|ETCD)\d+_/, '$1N_')));
    const big = renderAnsibleAsCli(parseConfig({ nodes: { masters: { count: 5, ipRange: '172.16.0.100-172.16.0.120' }, workers: { count: 7, ipRange: '172.16.0.20-172.16.0.40' } } }));
    const written = [...(big.get('cp-cluster-vars.sh') ?? '').matchAll(/^export ([A-Z0-9_]+)=/gm)].map((m) => m[1]);
    expect(written.length).toBeGreaterThan(20);
    expect(written.filter((n) => !known.has(n.replace(/^(MASTER|WORKER|ETCD)\d+_/, '$1N_')))).toEqual([]);
  });
});

/**
 * Per release track: every variable the inventory sets for kubespray is one that track's kubespray
 * reads, found as a name on an uncommented line of its roles/ or playbooks/
 * (../shared/upstream/kubespray-<v>/). The upstream track is refused by the loader until its
 * Gateway API ingress exists, so its inventory is rendered from the seed with the track swapped in.
 */
const UPSTREAM_TREES = path.resolve(__dirname, '../../../shared/upstream');

function namesRead(tree: string): Set<string> {
  const names = new Set<string>();
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(ya?ml|j2)$/.test(e.name)) {
        for (const line of fs.readFileSync(p, 'utf8').split('\n')) {
          if (/^\s*#/.test(line)) continue;
          for (const m of line.matchAll(/[a-z_][a-z0-9_]*/g)) names.add(m[0]);
        }
      }
    }
  };
  for (const sub of ['roles', 'playbooks']) walk(path.join(UPSTREAM_TREES, tree, sub));
  return names;
}

function configOn(id: TrackId): PlatformConfig {
  const seed = parseConfig({});
  const track = TRACKS[id];
  return { ...seed, versions: { track: id, kubernetes: track.kubernetes.default, kpaas: track.kpaas ?? seed.versions.kpaas } };
}

/** The kubespray variables a rendered inventory sets, by file. */
function kubesprayKeys(files: ReadonlyMap<string, string>): Array<[string, string]> {
  return KUBESPRAY_FILES.filter((rel) => files.has(rel)).flatMap((rel) => Object.keys(parse(files.get(rel) ?? '') ?? {}).map((k): [string, string] => [rel, k]));
}

const cache = new Map<string, Set<string>>();
const readBy = (tree: string) => {
  if (!cache.has(tree)) cache.set(tree, namesRead(tree));
  return cache.get(tree)!;
};

describe.each(TRACK_IDS.map((id) => [id]))('variable names of release track %s against its kubespray', (id) => {
  const track = TRACKS[id];
  const present = fs.existsSync(path.join(UPSTREAM_TREES, track.kubespray.tree));
  if (!present) console.warn(`SKIPPED: ${track.kubespray.tree} not found in ${UPSTREAM_TREES}; names of track ${id} not checked`);
  const itTree = present ? it : it.skip;

  itTree(`sets only variables kubespray ${track.kubespray.version} reads`, () => {
    const files = renderAnsibleAsCli(configOn(id));
    const keys = kubesprayKeys(files);
    expect(keys.length).toBeGreaterThan(50);
    const known = readBy(track.kubespray.tree);
    expect(keys.filter(([, k]) => !known.has(k)).map(([rel, k]) => `${rel}: ${k}`)).toEqual([]);
  });

  itTree('writes the ingress-nginx addon exactly when the track declares it', () => {
    const files = renderAnsibleAsCli(configOn(id));
    const ingress = kubesprayKeys(files).filter(([, k]) => k.startsWith('ingress_nginx_'));
    if (track.kubesprayNames.ingressNginxPrefix) expect(ingress.length).toBeGreaterThan(5);
    else expect(ingress).toEqual([]);
  });
});

describe('the per-track name check', () => {
  const present = fs.existsSync(path.join(UPSTREAM_TREES, TRACKS.upstream.kubespray.tree));
  (present ? it : it.skip)("catches a name the track's kubespray does not read: kpaas-1.7.0's addon variables against kubespray v2.31.0", () => {
    const known = readBy(TRACKS.upstream.kubespray.tree);
    const unknown = kubesprayKeys(renderAnsibleAsCli(configOn('kpaas-1.7.0'))).filter(([, k]) => !known.has(k)).map(([, k]) => k);
    expect(unknown).toEqual(expect.arrayContaining(['ingress_nginx_enabled', 'ingress_nginx_service_annotations']));
    expect(unknown.every((k) => k.startsWith('ingress_nginx_'))).toBe(true);
  });
});
