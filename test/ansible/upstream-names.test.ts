/**
 * Every variable the renderer writes for kubespray or the K-PaaS installer exists upstream: checked
 * against the pinned reference files (kubespray v2.28.1 sample group_vars and addon defaults,
 * K-PaaS v1.6.2 cp-cluster-vars.sh). Skipped with a visible warning where they are absent.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parse, stringify } from 'yaml';
import { parseConfig } from '../../config';
import { offlineAnsibleCore, TRACK_IDS, TRACKS, type TrackId } from '../../config/tracks';
import { connectFromTerraformOutputs, INSTALLER_VARS } from '../../ansible';
import { kakaoOutputs, renderAnsibleAsCli } from './support';

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
 * Per release track, the whole inventory of its dist/ansible (every file under inventory/, with the
 * file kpaas connect adds, and installer/zz-kpaas.yml where the track has an installer): every
 * group and every variable kubespray would see is one that track's kubespray reads, found as a name
 * on an uncommented line of its roles/ or playbooks/ (../shared/upstream/kubespray-<v>/); the
 * `ansible_*` connection variables are ones the track's ansible-core reads; `kpaas_*` names are our
 * playbooks' own (kubespray ignores them).
 */
const UPSTREAM_TREES = path.resolve(__dirname, '../../../shared/upstream');

/** Every identifier on an uncommented line of the files below `dirs` whose names match `file`. */
function identifiers(dirs: readonly string[], file: RegExp, comment: RegExp): Set<string> {
  const names = new Set<string>();
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (file.test(e.name)) {
        for (const line of fs.readFileSync(p, 'utf8').split('\n')) {
          if (comment.test(line)) continue;
          for (const m of line.matchAll(/[a-z_][a-z0-9_]*/g)) names.add(m[0]);
        }
      }
    }
  };
  for (const d of dirs) walk(d);
  return names;
}

function namesRead(tree: string): Set<string> {
  return identifiers(['roles', 'playbooks'].map((sub) => path.join(UPSTREAM_TREES, tree, sub)), /\.(ya?ml|j2)$/, /^\s*#/);
}

/** A group or variable the inventory gives kubespray, with the file that gives it. */
interface InventoryName {
  readonly file: string;
  readonly name: string;
  readonly kind: 'group' | 'variable';
}

/** The names an inventory source declares: its groups and the variables of its hosts and groups. */
function inventorySourceNames(file: string, source: any): InventoryName[] {
  const out: InventoryName[] = [];
  const group = (name: string, g: any) => {
    if (name !== 'all') out.push({ file, name, kind: 'group' });
    for (const vars of Object.values(g?.hosts ?? {})) for (const v of Object.keys(vars ?? {})) out.push({ file, name: v, kind: 'variable' });
    for (const v of Object.keys(g?.vars ?? {})) out.push({ file, name: v, kind: 'variable' });
    for (const [child, c] of Object.entries(g?.children ?? {})) group(child, c);
  };
  for (const [name, g] of Object.entries(source ?? {})) group(name, g);
  return out;
}

/** Every group and variable of a rendered dist/ansible's inventory (and the installer's group_vars). */
function inventoryNames(files: ReadonlyMap<string, string>): InventoryName[] {
  const out: InventoryName[] = [];
  for (const [rel, text] of files) {
    const groupVars = rel.startsWith('inventory/group_vars/') || rel === INSTALLER_VARS;
    if (groupVars) {
      for (const name of Object.keys(parse(text) ?? {})) out.push({ file: rel, name, kind: 'variable' });
    } else if (rel.startsWith('inventory/')) {
      out.push(...inventorySourceNames(rel, parse(text)));
    }
  }
  return out;
}

/** The variables an ansible-core release reads: every identifier of its Python sources (connection options among them). */
function ansibleNames(tree: string): Set<string> {
  return identifiers([path.join(UPSTREAM_TREES, tree, 'lib/ansible')], /\.py$/, /^\s*#/);
}

const cache = new Map<string, Set<string>>();
const readBy = (tree: string) => {
  if (!cache.has(tree)) cache.set(tree, tree.startsWith('ansible-core-') ? ansibleNames(tree) : namesRead(tree));
  return cache.get(tree)!;
};

/** The dist/ansible of the seed config on a track, with kpaas connect's files (a kakaocloud apply's outputs). */
function distOn(id: TrackId, input: Record<string, unknown> = {}): Map<string, string> {
  const config = parseConfig({ ...input, versions: { track: id } });
  return new Map([...renderAnsibleAsCli(config), ...connectFromTerraformOutputs(kakaoOutputs(config), config)]);
}

/** The names of an inventory that the track's kubespray (or ansible-core) does not read. */
function unread(id: TrackId, names: readonly InventoryName[]): string[] {
  const track = TRACKS[id];
  const kubespray = readBy(track.kubespray.tree);
  const ansible = readBy(`ansible-core-${offlineAnsibleCore(track)}`);
  return names
    .filter((n) => !n.name.startsWith('kpaas_'))
    .filter((n) => !(n.name.startsWith('ansible_') ? ansible : kubespray).has(n.name))
    .map((n) => `${n.file}: ${n.kind} ${n.name}`);
}

describe.each(TRACK_IDS.map((id) => [id]))('the inventory of release track %s against its kubespray', (id) => {
  const track = TRACKS[id];
  const trees = [track.kubespray.tree, `ansible-core-${offlineAnsibleCore(track)}`];
  const present = trees.every((t) => fs.existsSync(path.join(UPSTREAM_TREES, t)));
  if (!present) console.warn(`SKIPPED: ${trees.join(' or ')} not found in ${UPSTREAM_TREES}; names of track ${id} not checked`);
  const itTree = present ? it : it.skip;

  itTree(`sets only groups and variables kubespray ${track.kubespray.version} reads, in every file of the inventory`, () => {
    const files = distOn(id);
    const names = inventoryNames(files);
    // every source of the inventory is read: hosts, connection, the group_vars files (and the installer's)
    expect(new Set(names.map((n) => n.file))).toEqual(new Set([...files.keys()].filter((f) => f.startsWith('inventory/') || f === INSTALLER_VARS)));
    expect(names.filter((n) => n.kind === 'variable' && !n.name.startsWith('kpaas_')).length).toBeGreaterThan(60);
    expect(names.filter((n) => n.kind === 'group').map((n) => n.name)).toEqual(expect.arrayContaining(['kube_control_plane', 'etcd', 'kube_node', 'calico_rr', 'k8s_cluster']));
    expect(unread(id, names)).toEqual([]);
  });

  itTree('writes the ingress-nginx addon exactly when the track declares it', () => {
    const ingress = inventoryNames(distOn(id)).filter((n) => n.name.startsWith('ingress_nginx_'));
    if (track.kubesprayNames.ingressNginxPrefix) expect(ingress.length).toBeGreaterThan(5);
    else expect(ingress).toEqual([]);
  });
});

describe('the per-track name check', () => {
  const present = fs.existsSync(path.join(UPSTREAM_TREES, TRACKS.upstream.kubespray.tree));
  (present ? it : it.skip)("catches a name the track's kubespray does not read: kpaas-1.7.0's addon variables against kubespray v2.31.0", () => {
    const unknown = unread('upstream', inventoryNames(distOn('kpaas-1.7.0'))).map((n) => n.replace(/^.*: variable /, ''));
    expect(unknown).toEqual(expect.arrayContaining(['ingress_nginx_enabled', 'ingress_nginx_service_annotations']));
    expect(unknown.every((k) => k.startsWith('ingress_nginx_'))).toBe(true);
  });

  (present ? it : it.skip)('catches a host variable or group the track\'s kubespray does not read', () => {
    const files = distOn('upstream');
    const hosts = parse(files.get('inventory/hosts.yaml') ?? '');
    hosts.all.hosts['master-1'].etcd_member_nam = 'etcd1';
    hosts.all.children.kube_masters = { hosts: { 'master-1': {} } };
    files.set('inventory/hosts.yaml', stringify(hosts));
    expect(unread('upstream', inventoryNames(files))).toEqual(['inventory/hosts.yaml: variable etcd_member_nam', 'inventory/hosts.yaml: group kube_masters']);
  });
});
