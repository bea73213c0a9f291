/**
 * Evaluates, offline, the container images kubespray pulls for a release track: one
 * ansible-playbook process (the track's ansible-core from ../shared/upstream) over the
 * dist/ansible inventory this project writes for the track's default configuration, with
 * kubespray's own `kubespray_defaults` role. kubespray computes every image from variables in
 * `roles/kubespray_defaults/defaults/main/download.yml` (`downloads`, each entry with `enabled`,
 * `container`, `repo`, `tag`, `groups`); the play prints them through `ansible.builtin.debug`, so
 * kubespray's Jinja is evaluated by ansible, never by this project.
 *
 * Used by scripts/kubespray-images.mjs, which writes the result to
 * config/catalog/kubespray-images-<track>.json (what synth reads), and by
 * test/cli/images.test.ts, which runs it again and compares.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseConfig } from '../config';
import { offlineAnsibleCore, releaseTrack, TRACK_IDS, type TrackId } from '../config/tracks';
import { renderAnsible } from '../ansible';
import { PLATFORM_SERVICES, platformHostnames } from '../platform';
import { portalImagesFacts } from './render';
import type { ClusterImage, ClusterImageCatalog, NotListedDownload } from './kubespray-images';

/** The script that writes the catalog, as the catalog names it. */
export const GENERATED_BY = 'scripts/kubespray-images.mjs';

/** Debian's interpreter (it has the libraries Debian's ansible-core package pulls in), else the one on PATH. */
const PYTHON = fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

/** Where the upstream trees of a track are, under `upstream` (../shared/upstream). */
export function trackTrees(track: TrackId, upstream: string): { kubespray: string; ansibleCore: string; collections: string } {
  const t = releaseTrack(track);
  return {
    kubespray: path.join(upstream, t.kubespray.tree),
    ansibleCore: path.join(upstream, `ansible-core-${offlineAnsibleCore(t)}`),
    collections: upstream,
  };
}

/** Why the evaluation cannot run here for a track, or undefined when it can. */
export function evaluationUnavailable(track: TrackId, upstream: string): string | undefined {
  const trees = trackTrees(track, upstream);
  for (const p of [trees.kubespray, trees.ansibleCore, path.join(upstream, 'ansible_collections', 'ansible', 'posix')]) {
    if (!fs.existsSync(p)) return `${p} not found`;
  }
  const r = spawnSync(PYTHON, ['-c', 'import jinja2, yaml, netaddr'], { encoding: 'utf8' });
  if (r.status !== 0) return `${PYTHON} lacks jinja2, PyYAML or netaddr (Debian: apt-get install --no-install-recommends ansible-core python3-netaddr)`;
  return undefined;
}

/**
 * The one task of the play: every container download kubespray knows with its evaluated
 * `enabled`, repo, tag and groups; the facts kubeadm's own image list is made of (kubespray asks
 * `kubeadm config images list` on the first control-plane node at run time, a binary not run here);
 * the groups that have hosts; and the CSR approver, a Helm release outside `downloads`.
 */
const EVALUATE_TASK = `---
- name: Print the container downloads kubespray would pull for this inventory
  ansible.builtin.debug:
    msg:
      containers: >-
        {% set out = [] %}{% for name, d in downloads.items() %}{% if d.container | default(false) | bool %}{%
        set _ = out.append({'name': name, 'enabled': d.enabled | default(false) | bool, 'repo': d.repo, 'tag': d.tag | string, 'groups': d.groups}) %}{%
        endif %}{% endfor %}{{ out }}
      download_container: "{{ download_container | bool }}"
      skip_downloads: "{{ skip_downloads | default(false) | bool }}"
      kube_image_repo: "{{ kube_image_repo }}"
      kube_version: "{{ kube_version }}"
      etcd_deployment_type: "{{ etcd_deployment_type }}"
      container_manager: "{{ container_manager }}"
      kube_network_plugin: "{{ kube_network_plugin }}"
      # the addon's templates pull these two images outside kubespray's downloads when they are on
      # (kubespray v2.31 has no such addon: then nothing is defined and nothing is pulled)
      ingress_nginx_extra_images: "{{ (ingress_nginx_enabled | default(false) | bool) and ((ingress_nginx_webhook_enabled | bool) or (ingress_nginx_opentelemetry_enabled | bool)) }}"
      groups_with_hosts: "{{ groups | dict2items | selectattr('value') | map(attribute='key') | list }}"
      csr_approver:
        enabled: "{{ kubelet_csr_approver_enabled | bool }}"
        chart: "{{ kubelet_csr_approver_chart_ref }}"
        version: "{{ kubelet_csr_approver_chart_version }}"
        repository: "{{ kubelet_csr_approver_repository_url }}"
`;

/** The play: the first control-plane host is in every group whose variables the downloads read. */
const PLAYBOOK = `---
- name: Evaluate kubespray's downloads for this inventory
  hosts: kube_control_plane[0]
  connection: local
  gather_facts: false
  vars:
    # the facts kubespray's defaults read, as the seed's Ubuntu 24.04 nodes on x86_64 report them
    ansible_os_family: Debian
    ansible_distribution: Ubuntu
    ansible_distribution_version: "24.04"
    ansible_distribution_major_version: "24"
    ansible_distribution_release: noble
    ansible_architecture: x86_64
    ansible_system: Linux
    ansible_default_ipv4: {}
    ansible_default_ipv6: {}
  roles:
    - kubespray_defaults
    - kpaas_images
`;

/** What the play printed, as the JSON callback reports the debug task. */
interface Evaluated {
  readonly containers: ReadonlyArray<{ name: string; enabled: boolean; repo: string; tag: string; groups: string[] }>;
  readonly download_container: boolean;
  readonly skip_downloads: boolean;
  readonly kube_image_repo: string;
  readonly kube_version: string;
  readonly etcd_deployment_type: string;
  readonly container_manager: string;
  readonly kube_network_plugin: string;
  readonly groups_with_hosts: string[];
  readonly ingress_nginx_extra_images: boolean;
  readonly csr_approver: { enabled: boolean; chart: string; version: string; repository: string };
}

/**
 * The images kubeadm lists for a ClusterConfiguration with `imageRepository` and
 * `kubernetesVersion` (kubespray's kubeadm-images.yaml.j2), less the ones kubespray drops
 * (coredns, pause) and etcd, which kubeadm lists only for a local etcd (etcd_deployment_type
 * kubeadm; then it is also the `etcd` download). kubespray names each entry `kubeadm_<image>`.
 */
const KUBEADM_IMAGES = ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kube-proxy'] as const;

/** The catalog from what the play printed (exported for the tests' seeded defects). */
export function catalogFrom(track: TrackId, e: Evaluated): ClusterImageCatalog {
  const t = releaseTrack(track);
  if (e.skip_downloads || !e.download_container) throw new Error(`track ${track}: the inventory turns kubespray's container downloads off (skip_downloads or download_container)`);
  if (e.ingress_nginx_extra_images) throw new Error(`track ${track}: the inventory turns on ingress-nginx's admission webhook or OpenTelemetry, whose images are not in kubespray's downloads; list them here before relying on the catalog`);
  const present = new Set(e.groups_with_hosts);
  const pulled = e.containers.filter((c) => c.enabled && c.groups.some((g) => present.has(g)));
  const images: ClusterImage[] = pulled.map((c) => ({ download: c.name, image: `${c.repo}:${c.tag}`, groups: [...c.groups] }));
  const kubeadm: ClusterImage[] = KUBEADM_IMAGES.map((name) => ({ download: `kubeadm_${name}`, image: `${e.kube_image_repo}/${name}:v${e.kube_version}`, groups: ['k8s_cluster'], kubeadm: true as const }));
  if (e.etcd_deployment_type === 'kubeadm' && !images.some((i) => i.download === 'etcd')) throw new Error(`track ${track}: etcd_deployment_type kubeadm but no etcd container download`);
  const notListed: NotListedDownload[] = e.csr_approver.enabled
    ? [{
      what: 'kubelet-csr-approver',
      why: 'a Helm release kubespray installs from its chart repository (kubelet_csr_approver_enabled follows kubelet_rotate_server_certificates); its image is the chart\'s, not one of kubespray\'s downloads',
      chart: `${e.csr_approver.chart} ${e.csr_approver.version}`,
      repository: e.csr_approver.repository,
    }]
    : [];
  return {
    generatedBy: GENERATED_BY,
    track,
    source: `kubernetes-sigs/kubespray@${t.kubespray.version}:roles/kubespray_defaults/defaults/main/download.yml`,
    evaluatedWith: `ansible-core ${offlineAnsibleCore(t)}${t.ansibleCore.tested ? '' : ` (kubespray ${t.kubespray.version} accepts >= ${t.ansibleCore.min}, < ${t.ansibleCore.below}; its version gate is not run)`} over the dist/ansible inventory of the default configuration with versions.track ${track}`,
    settings: {
      container_manager: e.container_manager,
      kube_network_plugin: e.kube_network_plugin,
      etcd_deployment_type: e.etcd_deployment_type,
      kube_image_repo: e.kube_image_repo,
      kube_version: e.kube_version,
    },
    images: [...kubeadm, ...images].sort((a, b) => (a.download < b.download ? -1 : a.download > b.download ? 1 : 0)),
    notListed,
  };
}

/** The catalog as the committed file holds it: two-space JSON and a final newline. */
export function catalogText(catalog: ClusterImageCatalog): string {
  return `${JSON.stringify(catalog, null, 2)}\n`;
}

/**
 * Runs the evaluation for a track (one ansible-playbook process) and returns its catalog.
 * Throws with ansible's output when the play fails.
 */
export function evaluateKubesprayImages(track: TrackId, upstream: string): ClusterImageCatalog {
  const unavailable = evaluationUnavailable(track, upstream);
  if (unavailable) throw new Error(`cannot evaluate kubespray's images for ${track}: ${unavailable}`);
  const trees = trackTrees(track, upstream);
  const config = parseConfig({ versions: { track } });
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kpaas-kubespray-images-'));
  try {
    const ansible = renderAnsible(config, { projectPath: '..', platformHostnames: platformHostnames(PLATFORM_SERVICES, config), portalImages: portalImagesFacts() });
    for (const [rel, content] of ansible) {
      const file = path.join(root, 'dist', 'ansible', rel);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, content);
    }
    const role = path.join(root, 'play', 'roles', 'kpaas_images');
    fs.mkdirSync(path.join(role, 'tasks'), { recursive: true });
    // the role defaults of the CSR approver and of the ingress-nginx addon, at role-default
    // precedence as in a real run
    fs.mkdirSync(path.join(role, 'defaults', 'main'), { recursive: true });
    fs.symlinkSync(path.join(trees.kubespray, 'roles/kubernetes-apps/kubelet-csr-approver/defaults/main.yml'), path.join(role, 'defaults', 'main', '01-csr-approver.yml'));
    if (releaseTrack(track).kubesprayNames.ingressNginxPrefix) {
      fs.symlinkSync(path.join(trees.kubespray, 'roles/kubernetes-apps/ingress_controller/ingress_nginx/defaults/main.yml'), path.join(role, 'defaults', 'main', '02-ingress-nginx.yml'));
    }
    fs.writeFileSync(path.join(role, 'tasks', 'main.yml'), EVALUATE_TASK);
    const playbook = path.join(root, 'play', 'images.yml');
    fs.writeFileSync(playbook, PLAYBOOK);
    const home = path.join(root, '.ansible');
    const r = spawnSync(PYTHON, [path.join(trees.ansibleCore, 'lib/ansible/cli/playbook.py'), '-i', 'dist/ansible/inventory', playbook, '-e', `ansible_python_interpreter=${PYTHON}`], {
      cwd: root,
      encoding: 'utf8',
      timeout: 120_000,
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: root,
        PYTHONPATH: path.join(trees.ansibleCore, 'lib'),
        // kubespray's own configuration: its roles and inventory rules
        ANSIBLE_CONFIG: path.join(trees.kubespray, 'ansible.cfg'),
        ANSIBLE_COLLECTIONS_PATH: trees.collections,
        ANSIBLE_HOME: home,
        ANSIBLE_LOCAL_TEMP: path.join(home, 'tmp'),
        ANSIBLE_REMOTE_TEMP: path.join(home, 'tmp'),
        ANSIBLE_CACHE_PLUGIN: 'memory',
        // kubespray's configuration enables callbacks not installed here
        ANSIBLE_CALLBACKS_ENABLED: '',
        ANSIBLE_STDOUT_CALLBACK: 'ansible.posix.json',
        ANSIBLE_NOCOLOR: '1',
      },
    });
    const log = `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}`;
    let result: any;
    try {
      result = JSON.parse(r.stdout);
    } catch {
      throw new Error(`ansible-playbook printed no JSON (exit ${r.status}):\n${log}`);
    }
    const tasks = result.plays?.[0]?.tasks ?? [];
    const hosts = tasks[tasks.length - 1]?.hosts ?? {};
    const [host] = Object.keys(hosts);
    const msg = host ? hosts[host].msg : undefined;
    if (r.status !== 0 || !msg || typeof msg !== 'object') throw new Error(`ansible-playbook failed (exit ${r.status}): ${typeof msg === 'string' ? msg : log}`);
    return catalogFrom(track, msg as Evaluated);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

/** The tracks with a committed catalog: every one. */
export const CATALOG_TRACKS: readonly TrackId[] = TRACK_IDS;
