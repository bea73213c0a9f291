/**
 * Paths on the nodes that our playbooks read where kubespray puts things: the etcd client
 * certificates and etcdctl (the backup timer), etcd's unit, settings, data and etcdutl (the restore
 * playbook), kubectl and the admin kubeconfig. Each is held to the defaults and the etcd role of
 * every track's kubespray tree in ../shared/upstream, where they are decided.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { ETCD_BACKUP, ETCD_RESTORE, KUBESPRAY_PATHS } from '../../ansible/kpaas-vars';
import { etcdVars } from '../../ansible/kubespray-vars';
import { PLATFORM } from '../../config';
import { TRACK_IDS, TRACKS } from '../../config/tracks';
import { UPSTREAM } from './kubespray-probe';


/** The plain-string defaults of kubespray_defaults' main.yml, with `{{ var }}` of those expanded. */
function kubesprayDefaults(tree: string): Record<string, string> {
  const raw = parse(fs.readFileSync(path.join(tree, 'roles/kubespray_defaults/defaults/main/main.yml'), 'utf8')) as Record<string, unknown>;
  const plain = Object.fromEntries(Object.entries(raw).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
  const expand = (v: string): string => v.replace(/\{\{\s*(\w+)\s*\}\}/g, (m, name: string) => (plain[name] !== undefined ? expand(plain[name]) : m));
  return Object.fromEntries(Object.entries(plain).map(([k, v]) => [k, expand(v)]));
}

describe.each(TRACK_IDS.map((id) => [id, TRACKS[id].kubespray] as const))('node paths against kubespray of track %s', (_id, kubespray) => {
  const tree = path.join(UPSTREAM, kubespray.tree);
  const present = fs.existsSync(tree);
  if (!present) console.warn(`SKIPPED: ${tree} not found; the node paths are not checked against kubespray ${kubespray.version}`);
  const it2 = present ? it : it.skip;

  it2('finds etcd\'s client certificates and etcdctl where kubespray puts them', () => {
    const d = kubesprayDefaults(tree);
    expect(ETCD_BACKUP.certDir).toBe(d.etcd_cert_dir);
    expect(ETCD_BACKUP.etcdctl).toBe(`${d.bin_dir}/etcdctl`);
    // the backup uses the node's admin pair and the CA, as kubespray's etcd role names them
    const checkCerts = fs.readFileSync(path.join(tree, 'roles/etcd/tasks/check_certs.yml'), 'utf8');
    expect(checkCerts).toContain('admin-{{ inventory_hostname }}.pem');
    expect(checkCerts).toContain('admin-{{ inventory_hostname }}-key.pem');
    expect(checkCerts).toMatch(/^\s+- ca\.pem$/m);
  });

  it2('calls etcd on the loopback client URL kubespray has it listen on, with a certificate valid there', () => {
    const read = (rel: string) => fs.readFileSync(path.join(tree, rel), 'utf8');
    const url = new URL(ETCD_BACKUP.clientUrl);
    const env = read('roles/etcd/templates/etcd.env.j2');
    // etcd.env.j2 writes the loopback URL itself (no variable of kubespray's holds it)
    expect(env.match(/^ETCD_LISTEN_CLIENT_URLS=(.*)$/m)?.[1].split(',')).toContain(ETCD_BACKUP.clientUrl);
    expect(env).toMatch(new RegExp(`^ETCDCTL_ENDPOINTS=${ETCD_BACKUP.clientUrl.replace(/[.]/g, '[.]')}$`, 'm'));
    // the port is the one of kubespray's own client URLs
    const d = kubesprayDefaults(tree);
    expect(d.etcd_client_url).toMatch(new RegExp(`^https://.*:${url.port}$`));
    // the member certificate names the loopback address
    expect(read('roles/etcd/templates/openssl.conf.j2')).toMatch(new RegExp(`^IP[.].* = ${url.hostname.replace(/[.]/g, '[.]')}\\{`, 'm'));
  });

  it2('restores etcd where kubespray runs it on the host', () => {
    const d = kubesprayDefaults(tree);
    const read = (rel: string) => fs.readFileSync(path.join(tree, rel), 'utf8');
    // our group_vars choose the host deployment, kubespray's default too
    expect(etcdVars().etcd_deployment_type).toBe('host');
    expect(d.etcd_deployment_type).toBe('host');
    // the unit: etcd-<type>.service.j2 installed as etcd.service, reading /etc/etcd.env
    expect(read('roles/etcd/tasks/configure.yml')).toMatch(new RegExp(`src: "etcd-\\{\\{ etcd_deployment_type \\}\\}\\.service\\.j2"\\n\\s+dest: /etc/systemd/system/${ETCD_RESTORE.unit}\\.service\\n`));
    expect(read('roles/etcd/templates/etcd-host.service.j2')).toContain(`EnvironmentFile=${ETCD_RESTORE.envFile}\n`);
    expect(read('roles/etcd/tasks/refresh_config.yml')).toMatch(new RegExp(`src: etcd\\.env\\.j2\\n\\s+dest: ${ETCD_RESTORE.envFile}\\n`));
    // the member's own settings the restore script reads, one per line
    const env = read('roles/etcd/templates/etcd.env.j2');
    for (const key of ETCD_RESTORE.envKeys) expect(env).toMatch(new RegExp(`^${key}=\\S`, 'm'));
    expect(env).toMatch(/^ETCD_DATA_DIR=\{\{ etcd_data_dir \}\}$/m);
    expect(ETCD_RESTORE.dataDir).toBe(d.etcd_data_dir);
    expect(etcdVars().etcd_data_dir).toBe(ETCD_RESTORE.dataDir);
    // etcdutl beside etcdctl in bin_dir, where the container manager is CRI-O (ours) or containerd
    const tools = read('roles/etcdctl_etcdutl/tasks/main.yml');
    expect(tools).toMatch(/dest: "\{\{ bin_dir \}\}\/\{\{ item \}\}"[\s\S]*?- etcdutl\n\s+when: container_manager in \['crio', 'containerd'\]/);
    expect(ETCD_RESTORE.etcdutl).toBe(`${d.bin_dir}/etcdutl`);
    // etcd runs as root: the restored data directory (root's, 0700) needs no chown
    expect(read('roles/etcd/templates/etcd-host.service.j2')).toMatch(/^User=root$/m);
    // the control plane's static Pods: the API server first, then the two kubespray restarts by Pod name
    expect(ETCD_RESTORE.manifestDir).toBe(d.kube_manifest_dir);
    expect(ETCD_RESTORE.controlPlaneManifests[0]).toBe('kube-apiserver.yaml');
    const handlers = read('roles/kubernetes/control-plane/handlers/main.yml');
    for (const m of ETCD_RESTORE.controlPlaneManifests.slice(1)) expect(handlers).toContain(`crictl pods --name '${m.replace(/\.yaml$/, '')}*'`);
    expect([...ETCD_RESTORE.controlPlaneManifests].sort()).toEqual(['kube-apiserver.yaml', 'kube-controller-manager.yaml', 'kube-scheduler.yaml']);
    expect(ETCD_RESTORE.parkedDir.startsWith(`${d.kube_manifest_dir}/`)).toBe(false);
    expect(ETCD_RESTORE.parkedDir).not.toBe(d.kube_manifest_dir);
    expect(String(parse(read('roles/kubespray_defaults/defaults/main/main.yml')).kube_apiserver_port)).toBe(String(PLATFORM.apiServerPort));
  });

  it2('installs an etcdutl that restores with --bump-revision and --mark-compacted', () => {
    // etcd_supported_versions: per Kubernetes minor, the newest amd64 etcd below a cap
    const files = ['roles/kubespray_defaults/vars/main/main.yml', 'roles/kubespray_defaults/defaults/main/download.yml'];
    const supported = files
      .map((f) => parse(fs.readFileSync(path.join(tree, f), 'utf8')) as Record<string, unknown>)
      .map((y) => y.etcd_supported_versions as Record<string, string> | undefined)
      .find((v) => v !== undefined);
    expect(supported).toBeDefined();
    const checksums = parse(fs.readFileSync(path.join(tree, 'roles/kubespray_defaults/vars/main/checksums.yml'), 'utf8')) as Record<string, Record<string, Record<string, string>>>;
    const available = Object.keys(checksums.etcd_binary_checksums.amd64);
    const num = (v: string) => v.split('.').map(Number);
    const cmp = (a: string, b: string) => { const [x, y] = [num(a), num(b)]; for (let i = 0; i < 3; i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0); return 0; };
    for (const expr of Object.values(supported!)) {
      const cap = /select\('version', '([0-9.]+)', '<'\)\)\[0\]/.exec(expr)?.[1];
      expect(cap).toBeDefined();
      const chosen = available.find((v) => cmp(v, cap!) < 0);
      expect(chosen).toBeDefined();
      expect(cmp(chosen!, ETCD_RESTORE.minEtcdutl)).toBeGreaterThanOrEqual(0);
    }
  });

  it2('finds kubectl and the admin kubeconfig where kubespray puts them', () => {
    const d = kubesprayDefaults(tree);
    expect(KUBESPRAY_PATHS.kubectl).toBe(`${d.bin_dir}/kubectl`);
    expect(KUBESPRAY_PATHS.adminConf).toBe(`${d.kube_config_dir}/admin.conf`);
  });
});
