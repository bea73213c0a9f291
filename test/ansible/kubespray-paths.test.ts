/**
 * Paths on the nodes that our playbooks read where kubespray puts things: the etcd client
 * certificates and etcdctl (the backup timer), kubectl and the admin kubeconfig. Each is held to
 * the defaults of every track's kubespray tree in ../shared/upstream, where they are decided.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { ETCD_BACKUP, KUBESPRAY_PATHS } from '../../ansible/kpaas-vars';
import { TRACK_IDS, TRACKS } from '../../config/tracks';

const UPSTREAM = path.resolve(__dirname, '../../../shared/upstream');

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

  it2('finds kubectl and the admin kubeconfig where kubespray puts them', () => {
    const d = kubesprayDefaults(tree);
    expect(KUBESPRAY_PATHS.kubectl).toBe(`${d.bin_dir}/kubectl`);
    expect(KUBESPRAY_PATHS.adminConf).toBe(`${d.kube_config_dir}/admin.conf`);
  });
});
