/**
 * Runs a release track's kubespray itself over a rendered dist/ansible, offline and without hosts:
 * one ansible-playbook process (the track's ansible-core from ../shared/upstream: 2.16.12 for
 * kubespray v2.28.1, 2.17.5 for v2.29.0; for v2.31.0, which wants 2.18, 2.17.5 too, as the track's
 * `ansibleCore.outside` says: the probe runs kubespray's roles, never its version gate) that
 *   1. on every host runs kubespray's `kubespray_defaults`, `validate_inventory` and
 *      `network_facts` roles with `connection: local` and no fact gathering, and
 *   2. on the first control-plane host renders the kubespray templates that carry our settings,
 *      each with its own role's defaults (lowest precedence, as in a real run), into a folder the
 *      test reads back.
 * The upstream trees in ../shared/upstream are read-only: the probe roles written here are our own
 * task files beside symbolic links to kubespray's role defaults, vars and templates.
 *
 * Two things make a probe cheaper and change nothing it renders or checks (the rendered files are
 * byte for byte those of the stock copy module): the `copy` that ansible's template action calls to
 * put its result in place is, beside the playbook, one that writes the file from the controller
 * (the probe runs with `connection: local`, so it is the same machine) instead of starting the
 * stat and copy modules, two Python processes per file; and ansible-playbook runs through
 * run-playbook.py, which loads the Jinja filter and test plugins once before the first worker is
 * forked instead of in every worker (one per host and task).
 */
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse, stringify } from 'yaml';
import { DEFAULT_TRACK, offlineAnsibleCore, TRACKS, type TrackId } from '../../config/tracks';
import { LOCAL_COPY_ACTION } from './support';

export const UPSTREAM = path.resolve(__dirname, '../../../shared/upstream');

/** The kubespray tree and the ansible-core a probe runs. */
export interface ProbeTarget {
  readonly track: TrackId;
  readonly kubespray: string;
  readonly ansibleCore: string;
}

/** The kubespray of a release track and the ansible-core the offline checks run it with (config/tracks.ts). */
export function probeTarget(id: TrackId): ProbeTarget {
  const track = TRACKS[id];
  return { track: id, kubespray: path.join(UPSTREAM, track.kubespray.tree), ansibleCore: path.join(UPSTREAM, `ansible-core-${offlineAnsibleCore(track)}`) };
}

/** The seed's: kubespray v2.28.1 with ansible-core 2.16.12. */
const SEED_TARGET = probeTarget(DEFAULT_TRACK);
export const KUBESPRAY = SEED_TARGET.kubespray;

/** Debian's interpreter (it has the libraries of Debian's ansible-core package), else the one on PATH. */
const PYTHON = fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

/** Why the probe cannot run here, or undefined when it can. */
export function probeUnavailable(target: ProbeTarget = SEED_TARGET): string | undefined {
  for (const p of [target.kubespray, target.ansibleCore, path.join(UPSTREAM, 'ansible_collections')]) {
    if (!fs.existsSync(p)) return `${p} not found`;
  }
  const r = spawnSync(PYTHON, ['-c', 'import jinja2, yaml, cryptography, netaddr'], { encoding: 'utf8' });
  if (r.status !== 0) return `${PYTHON} lacks jinja2, PyYAML, cryptography or netaddr (Debian: apt-get install --no-install-recommends ansible-core python3-netaddr)`;
  return undefined;
}

/** A template to render: kubespray role, template file, name of the rendered file. */
interface Render {
  /** The template, or the upstream task whose template it is (its name varies between releases). */
  readonly src: string | { readonly file: string; readonly name: string };
  readonly dest: string;
  /** The upstream task whose task-level `vars` the template is rendered with (kubespray renders it there). */
  readonly varsOf?: { readonly file: string; readonly name: string };
  /** Results of kubespray's earlier tasks the template reads (registered variables), for a first install. */
  readonly registered?: Readonly<Record<string, unknown>>;
}

const APPS_TASKS = 'kubernetes-apps/ansible/tasks/main.yml';

/**
 * Probe roles: the kubespray roles whose defaults (in this order, later files win as in kubespray's
 * role dependencies) and templates are needed, and what to render.
 */
const PROBES: ReadonlyArray<{
  name: string;
  defaults: string[];
  vars?: string;
  templates: string;
  /** kubespray's own tasks (by file and name) that compute facts the templates read, run before them. */
  upstreamTasks?: { file: string; names: string[] };
  renders: Render[];
}> = [
  {
    name: 'control_plane',
    // roles/kubernetes/control-plane/meta/main.yml depends on kubeadm_common and calico_defaults
    defaults: ['kubernetes/kubeadm_common', 'network_plugin/calico_defaults', 'kubernetes/control-plane'],
    vars: 'kubernetes/control-plane',
    templates: 'kubernetes/control-plane',
    // the certificate's SANs are a fact this task computes from the inventory
    upstreamTasks: { file: 'kubernetes/control-plane/tasks/kubeadm-setup.yml', names: ['Kubeadm | aggregate all SANs'] },
    renders: [
      { src: { file: 'kubernetes/control-plane/tasks/kubeadm-setup.yml', name: 'Kubeadm | Create kubeadm config' }, dest: 'kubeadm-config.yaml' },
      { src: 'secrets_encryption.yaml.j2', dest: 'secrets_encryption.yaml' },
      { src: 'admission-controls.yaml.j2', dest: 'admission-controls.yaml' },
      { src: 'eventratelimit.yaml.j2', dest: 'eventratelimit.yaml' },
      { src: 'podsecurity.yaml.j2', dest: 'podsecurity.yaml' },
    ],
  },
  {
    name: 'calico',
    // roles/network_plugin/calico/meta/main.yml depends on calico_defaults; calico has no defaults of its own
    defaults: ['network_plugin/calico_defaults'],
    templates: 'network_plugin/calico',
    renders: [
      { src: 'calico-node.yml.j2', dest: 'calico-node.yml' },
      { src: 'calico-config.yml.j2', dest: 'calico-config.yml' },
    ],
  },
  {
    name: 'dns',
    defaults: ['kubernetes-apps/ansible'],
    templates: 'kubernetes-apps/ansible',
    renders: [
      { src: 'coredns-config.yml.j2', dest: 'coredns-config.yml', varsOf: { file: APPS_TASKS, name: 'Kubernetes Apps | CoreDNS' } },
      { src: 'nodelocaldns-config.yml.j2', dest: 'nodelocaldns-config.yml', varsOf: { file: APPS_TASKS, name: 'Kubernetes Apps | nodelocalDNS' } },
    ],
  },
  {
    name: 'crio',
    defaults: ['container-engine/cri-o'],
    templates: 'container-engine/cri-o',
    renders: [{ src: 'unqualified.conf.j2', dest: 'crio-unqualified.conf' }],
  },
  {
    name: 'etcd',
    // from v2.29 on, roles/etcd/meta/main.yml depends on etcd_defaults, which holds them (absent before)
    defaults: ['etcd_defaults', 'etcd'],
    vars: 'etcd',
    templates: 'etcd',
    // roles/etcd/tasks/configure.yml registers the health check of an existing cluster: none yet
    renders: [{ src: 'etcd.env.j2', dest: 'etcd.env', registered: { etcd_cluster_is_healthy: { rc: 1 } } }],
  },
  {
    name: 'node',
    defaults: ['kubernetes/node'],
    templates: 'kubernetes/node',
    renders: [{ src: 'kubelet-config.v1beta1.yaml.j2', dest: 'kubelet-config.yaml' }],
  },
  {
    name: 'metallb',
    defaults: ['kubernetes-apps/metallb'],
    templates: 'kubernetes-apps/metallb',
    renders: [
      { src: 'pools.yaml.j2', dest: 'metallb-pools.yaml' },
      { src: 'layer2.yaml.j2', dest: 'metallb-layer2.yaml' },
    ],
  },
  {
    name: 'ingress',
    defaults: ['kubernetes-apps/ingress_controller/ingress_nginx'],
    templates: 'kubernetes-apps/ingress_controller/ingress_nginx',
    renders: [{ src: 'svc-ingress-nginx.yml.j2', dest: 'svc-ingress-nginx.yml' }],
  },
];

/** Role defaults files of a kubespray role: defaults/main.yml or every file of defaults/main/. */
function defaultsFiles(kubespray: string, role: string): string[] {
  const dir = path.join(kubespray, 'roles', role, 'defaults');
  if (!fs.existsSync(dir)) return [];
  const main = path.join(dir, 'main');
  if (fs.existsSync(main) && fs.statSync(main).isDirectory()) {
    return fs.readdirSync(main).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => path.join(main, f));
  }
  return ['main.yml', 'main.yaml'].map((f) => path.join(dir, f)).filter((f) => fs.existsSync(f));
}

/** A task of a kubespray tasks file, by name, read from the upstream tree at test time. */
function upstreamTask(kubespray: string, file: string, name: string): Record<string, unknown> {
  const all = parse(fs.readFileSync(path.join(kubespray, 'roles', file), 'utf8')) as Array<Record<string, unknown>>;
  const task = all.find((t) => t.name === name);
  if (!task) throw new Error(`kubespray ${file} has no task named ${JSON.stringify(name)}`);
  return task;
}

function upstreamTasks(kubespray: string, file: string, names: readonly string[]): string {
  return stringify(names.map((n) => upstreamTask(kubespray, file, n)));
}

/** Our template task for one render, with the upstream task's vars where kubespray renders it with some. */
function renderTask(kubespray: string, r: Render): string {
  const task: Record<string, unknown> = {
    name: `Render ${r.dest}`,
    'ansible.builtin.template': { src: typeof r.src === 'string' ? r.src : (upstreamTask(kubespray, r.src.file, r.src.name).template as { src: string }).src, dest: `{{ kpaas_probe_out }}/${r.dest}`, mode: '0600' },
  };
  const vars = { ...(r.varsOf ? (upstreamTask(kubespray, r.varsOf.file, r.varsOf.name).vars as object) : {}), ...(r.registered ?? {}) };
  if (Object.keys(vars).length > 0) task.vars = vars;
  return stringify([task]);
}

/** Names of the probes, for choosing some. */
export type ProbeName = 'control_plane' | 'calico' | 'dns' | 'crio' | 'etcd' | 'node' | 'metallb' | 'ingress';

/** What kubespray installs from dist/ansible (kubespray's MetalLB addon is off there). */
export const KUBESPRAY_ROUTE: readonly ProbeName[] = ['control_plane', 'calico', 'dns', 'crio', 'etcd', 'node', 'ingress'];

/** The same for a track: its kubespray's ingress-nginx addon only where it has one (config/tracks.ts). */
export function kubesprayRoute(id: TrackId): readonly ProbeName[] {
  return TRACKS[id].kubesprayNames.ingressNginxPrefix ? KUBESPRAY_ROUTE : KUBESPRAY_ROUTE.filter((p) => p !== 'ingress');
}

/** ansible-playbook (argv[1], then its arguments) with the Jinja plugins loaded before the first fork. */
const RUN_PLAYBOOK = `import runpy
import sys

from ansible.executor.process.worker import WorkerProcess
from ansible.plugins import loader

_start = WorkerProcess.start
_loaded = []


def start(self):
    if not _loaded:
        _loaded.append(True)
        for plugins in (loader.filter_loader, loader.test_loader):
            plugins.get_with_context('ansible.builtin.__kpaas_probe_preload__')
    return _start(self)


WorkerProcess.start = start
sys.argv = sys.argv[1:]
runpy.run_path(sys.argv[0], run_name='__main__')
`;

function writeProbe(dir: string, names: readonly ProbeName[], kubespray: string): string {
  const roles = path.join(dir, 'roles');
  const tasks: string[] = [];
  for (const probe of PROBES.filter((p) => names.includes(p.name as ProbeName))) {
    const role = path.join(roles, `kpaas_probe_${probe.name}`);
    fs.mkdirSync(path.join(role, 'defaults', 'main'), { recursive: true });
    fs.mkdirSync(path.join(role, 'tasks'), { recursive: true });
    let n = 0;
    for (const upstream of probe.defaults) {
      for (const file of defaultsFiles(kubespray, upstream)) {
        n += 1;
        fs.symlinkSync(file, path.join(role, 'defaults', 'main', `${String(n).padStart(2, '0')}-${path.basename(file)}`));
      }
    }
    // roles/etcd/vars exists up to v2.28 only
    const vars = probe.vars && path.join(kubespray, 'roles', probe.vars, 'vars');
    if (vars && fs.existsSync(vars)) fs.symlinkSync(vars, path.join(role, 'vars'));
    fs.symlinkSync(path.join(kubespray, 'roles', probe.templates, 'templates'), path.join(role, 'templates'));
    const upstream = probe.upstreamTasks ? upstreamTasks(kubespray, probe.upstreamTasks.file, probe.upstreamTasks.names) : '';
    fs.writeFileSync(
      path.join(role, 'tasks', 'main.yml'),
      upstream + probe.renders.map((r) => renderTask(kubespray, r)).join(''),
    );
    tasks.push(`    - name: Render with ${probe.name}\n      ansible.builtin.include_role:\n        name: kpaas_probe_${probe.name}\n`);
  }
  // the CSR approver is a Helm release: what matters is whether it is enabled and with which values
  const csr = path.join(roles, 'kpaas_probe_csr_approver');
  fs.mkdirSync(path.join(csr, 'tasks'), { recursive: true });
  fs.symlinkSync(path.join(kubespray, 'roles/kubernetes-apps/kubelet-csr-approver/defaults'), path.join(csr, 'defaults'));
  fs.writeFileSync(
    path.join(csr, 'tasks', 'main.yml'),
    '- name: Write what the approver role would install\n  copy:\n' +
      '    content: "{{ {\'enabled\': kubelet_csr_approver_enabled | bool, \'values\': kubelet_csr_approver_values} | to_json }}"\n' +
      '    dest: "{{ kpaas_probe_out }}/kubelet-csr-approver.json"\n    mode: "0600"\n',
  );
  tasks.push('    - name: Evaluate the CSR approver\n      ansible.builtin.include_role:\n        name: kpaas_probe_csr_approver\n');

  fs.mkdirSync(path.join(dir, 'action_plugins'));
  fs.writeFileSync(path.join(dir, 'action_plugins', 'copy.py'), LOCAL_COPY_ACTION);
  fs.writeFileSync(path.join(dir, 'run-playbook.py'), RUN_PLAYBOOK);

  const playbook = path.join(dir, 'contract.yml');
  fs.writeFileSync(
    playbook,
    `---
- name: Validate the inventory as kubespray does
  hosts: k8s_cluster:etcd:calico_rr
  connection: local
  gather_facts: false
  vars:
    # network_facts gathers these only when they are missing: nothing is read from this machine
    ansible_default_ipv4: {}
    ansible_default_ipv6: {}
  roles:
    - kubespray_defaults
    - validate_inventory
    - network_facts

- name: Render the templates that carry our settings
  hosts: kube_control_plane[0]
  connection: local
  gather_facts: false
  vars:
    # the facts kubespray's templates read, as the seed's Ubuntu 24.04 nodes report them
    ansible_os_family: Debian
    ansible_distribution: Ubuntu
    ansible_distribution_version: "24.04"
    ansible_distribution_major_version: "24"
    ansible_distribution_release: noble
    ansible_architecture: x86_64
    ansible_hostname: "{{ inventory_hostname }}"
    ansible_default_ipv4: {}
    ansible_default_ipv6: {}
  roles:
    - kubespray_defaults
  tasks:
${tasks.join('')}`,
  );
  return playbook;
}

export interface ProbeResult {
  readonly status: number | null;
  /** ansible-playbook's output. */
  readonly log: string;
  /** Rendered files by name. */
  readonly rendered: ReadonlyMap<string, string>;
  /** The project folder the dist was written into (dist/ansible below it). */
  readonly project: string;
}

/** The probe's folders and its ansible-playbook command, written and ready to run. */
interface PreparedProbe {
  readonly root: string;
  readonly project: string;
  readonly out: string;
  readonly args: string[];
  readonly options: { cwd: string; env: NodeJS.ProcessEnv };
}

function prepareProbe(files: ReadonlyMap<string, string>, probes: readonly ProbeName[], target: ProbeTarget): PreparedProbe {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kpaas-kubespray-'));
  const project = path.join(root, 'project');
  for (const [rel, content] of files) {
    const file = path.join(project, 'dist', 'ansible', rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  }
  const probeDir = path.join(root, 'probe');
  fs.mkdirSync(probeDir);
  const playbook = writeProbe(probeDir, probes, target.kubespray);
  // the host names every node would report as facts: kubespray v2.31 puts each master's in the API
  // certificate (hostvars of the other masters, which play variables do not reach)
  const facts = path.join(probeDir, 'facts.yml');
  fs.writeFileSync(facts, stringify({ all: { vars: { ansible_hostname: '{{ inventory_hostname }}', ansible_fqdn: '{{ inventory_hostname }}' } } }));
  const out = path.join(root, 'rendered');
  fs.mkdirSync(out);
  return {
    root,
    project,
    out,
    args: [path.join(probeDir, 'run-playbook.py'), path.join(target.ansibleCore, 'lib/ansible/cli/playbook.py'), '-i', 'dist/ansible/inventory', '-i', facts, playbook, '-e', `kpaas_probe_out=${out}`, '-e', `ansible_python_interpreter=${PYTHON}`],
    options: {
      cwd: project,
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: root,
        PYTHONPATH: path.join(target.ansibleCore, 'lib'),
        // kubespray's own configuration: its roles, library and inventory rules
        ANSIBLE_CONFIG: path.join(target.kubespray, 'ansible.cfg'),
        ANSIBLE_COLLECTIONS_PATH: UPSTREAM,
        ANSIBLE_HOME: path.join(root, '.ansible'),
        ANSIBLE_LOCAL_TEMP: path.join(root, '.ansible', 'tmp'),
        ANSIBLE_REMOTE_TEMP: path.join(root, '.ansible', 'tmp'),
        // kubespray's configuration caches facts in /tmp and enables callbacks not installed here
        ANSIBLE_CACHE_PLUGIN: 'memory',
        ANSIBLE_CALLBACKS_ENABLED: '',
        ANSIBLE_NOCOLOR: '1',
        ANSIBLE_FORCE_COLOR: '0',
      },
    },
  };
}

function probeResult(p: PreparedProbe, status: number | null, log: string): ProbeResult {
  const rendered = new Map<string, string>();
  for (const f of fs.readdirSync(p.out).sort()) rendered.set(f, fs.readFileSync(path.join(p.out, f), 'utf8'));
  return { status, log, rendered, project: p.project };
}

/**
 * Writes `files` as `<project>/dist/ansible`, runs the probe once and returns what it rendered.
 * The caller removes `result.project`'s parent with removeProbe.
 */
export function runProbe(files: ReadonlyMap<string, string>, probes: readonly ProbeName[] = KUBESPRAY_ROUTE, target: ProbeTarget = SEED_TARGET): ProbeResult {
  const p = prepareProbe(files, probes, target);
  const r = spawnSync(PYTHON, p.args, { ...p.options, encoding: 'utf8', timeout: 180_000 });
  return probeResult(p, r.status, `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}`);
}

/** runProbe without blocking: several probes (one ansible-playbook process each) run at once. */
export function startProbe(files: ReadonlyMap<string, string>, probes: readonly ProbeName[] = KUBESPRAY_ROUTE, target: ProbeTarget = SEED_TARGET): Promise<ProbeResult> {
  const p = prepareProbe(files, probes, target);
  return new Promise((resolve) => {
    const child = spawn(PYTHON, p.args, { ...p.options, timeout: 180_000 });
    let log = '';
    child.stdout.on('data', (d) => { log += d; });
    child.stderr.on('data', (d) => { log += d; });
    child.on('error', (e) => { log += String(e); });
    child.on('close', (code) => resolve(probeResult(p, code, log)));
  });
}

export function removeProbe(result: ProbeResult): void {
  fs.rmSync(path.dirname(result.project), { recursive: true, force: true });
}
