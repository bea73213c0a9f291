import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { parseConfig as parseAnyConfig } from '../../config';
import { CP_CLUSTER_VARS, EXECUTABLE_FILES, INSTALLER_VARS, PLAYBOOKS, renderAnsible } from '../../ansible';
import { portalImagesFacts } from '../../cli/render';
import { removeTree, renderAnsibleAsCli, writeTree, yamlOf } from './support';

/**
 * These tests render for the OpenStack target, where the master LB's VIP is in the config; the
 * default kakaocloud target learns it from `kpaas connect` (connect-kakaocloud.test.ts).
 */
function parseConfig(input: Record<string, unknown>) {
  return parseAnyConfig({ cloud: { provider: 'openstack' }, ...input });
}

const seed = parseConfig({});
const files = renderAnsibleAsCli(seed);

const FIVE_SEVEN = { nodes: { masters: { count: 5, ipRange: '172.16.0.100-172.16.0.120' }, workers: { count: 7, ipRange: '172.16.0.20-172.16.0.40' } } };

/** The hosts of a group in hosts.yaml, in file order. */
function groupHosts(inventory: any, group: string): string[] {
  return Object.keys(inventory.all.children[group].hosts ?? {});
}

/** Runs a script with bash and prints the named variables, one per line. */
function sourceShell(dir: string, script: string, names: string[], env: Record<string, string> = {}): string[] {
  const body = `set -eu; source ${JSON.stringify(script)}; ${names.map((n) => `printf '%s\\n' "$${n}"`).join('; ')}`;
  const r = spawnSync('bash', ['-c', body], { cwd: dir, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', ...env } });
  if (r.status !== 0) throw new Error(`bash failed: ${r.stderr}`);
  return r.stdout.split('\n').slice(0, names.length);
}

describe('renderAnsible, seed config', () => {
  it('matches the snapshot of every rendered file', () => {
    expect(files).toMatchSnapshot();
  });

  it('renders exactly the documented tree, in sorted order', () => {
    const paths = [...files.keys()];
    expect(paths).toEqual([...paths].sort());
    expect(paths).toEqual([
      'README.md',
      'cp-cluster-vars.sh',
      'installer/zz-kpaas.yml',
      'inventory/group_vars/all/all.yml',
      'inventory/group_vars/all/etcd.yml',
      'inventory/group_vars/all/kpaas.yml',
      'inventory/group_vars/k8s_cluster/addons.yml',
      'inventory/group_vars/k8s_cluster/k8s-cluster.yml',
      'inventory/group_vars/k8s_cluster/k8s-net-calico.yml',
      'inventory/hosts.yaml',
      'playbooks/ca-trust.yml',
      'playbooks/etcd-backup.yml',
      'playbooks/etcd-restore.yml',
      'playbooks/metallb.yml',
      'playbooks/nfs.yml',
      'playbooks/node-prep.yml',
      'playbooks/portal-images.yml',
      'playbooks/site.yml',
      'playbooks/templates/hosts.j2',
      'playbooks/templates/kpaas-etcd-backup.service.j2',
      'playbooks/templates/kpaas-etcd-backup.sh.j2',
      'playbooks/templates/kpaas-etcd-backup.timer.j2',
      'playbooks/templates/kpaas-etcd-restore.sh.j2',
      'playbooks/templates/kpaas-nfs.mount.j2',
      'playbooks/templates/kpaas.exports.j2',
      'playbooks/templates/modules-load.conf.j2',
      'playbooks/templates/sysctl.conf.j2',
    ]);
    for (const p of PLAYBOOKS) expect(files.has(p)).toBe(true);
    expect([...EXECUTABLE_FILES]).toEqual([CP_CLUSTER_VARS]);
  });

  it('puts every node in its kubespray groups with its addresses and etcd member name', () => {
    const inv = yamlOf(files, 'inventory/hosts.yaml');
    expect(inv.all.hosts).toEqual({
      'master-1': { ansible_host: '172.16.0.192', ip: '172.16.0.192', access_ip: '172.16.0.192', etcd_member_name: 'etcd1' },
      'master-2': { ansible_host: '172.16.0.157', ip: '172.16.0.157', access_ip: '172.16.0.157', etcd_member_name: 'etcd2' },
      'master-3': { ansible_host: '172.16.0.254', ip: '172.16.0.254', access_ip: '172.16.0.254', etcd_member_name: 'etcd3' },
      'worker-1': { ansible_host: '172.16.0.12', ip: '172.16.0.12', access_ip: '172.16.0.12' },
      'worker-2': { ansible_host: '172.16.0.78', ip: '172.16.0.78', access_ip: '172.16.0.78' },
      'worker-3': { ansible_host: '172.16.0.30', ip: '172.16.0.30', access_ip: '172.16.0.30' },
    });
    expect(groupHosts(inv, 'kube_control_plane')).toEqual(['master-1', 'master-2', 'master-3']);
    expect(groupHosts(inv, 'etcd')).toEqual(['master-1', 'master-2', 'master-3']);
    expect(groupHosts(inv, 'kube_node')).toEqual(['worker-1', 'worker-2', 'worker-3']);
    expect(groupHosts(inv, 'calico_rr')).toEqual([]);
    expect(Object.keys(inv.all.children.k8s_cluster.children)).toEqual(['kube_control_plane', 'kube_node', 'calico_rr']);
    expect(groupHosts(inv, 'kpaas_nfs_server')).toEqual(['master-1']);
    expect(groupHosts(inv, 'kpaas_nfs_clients')).toEqual(['worker-1', 'worker-2', 'worker-3']);
  });

  it('sets the seed cluster settings under kubespray v2.28.1 names', () => {
    const all = yamlOf(files, 'inventory/group_vars/all/all.yml');
    expect(all).toEqual({
      apiserver_loadbalancer_domain_name: 'cluster-endpoint',
      loadbalancer_apiserver: { address: '172.16.0.176', port: 6443 },
      upstream_dns_servers: ['8.8.8.8', '8.8.4.4'],
    });
    expect(yamlOf(files, 'inventory/group_vars/all/etcd.yml')).toMatchObject({ etcd_deployment_type: 'host', etcd_data_dir: '/var/lib/etcd' });
    const k8s = yamlOf(files, 'inventory/group_vars/k8s_cluster/k8s-cluster.yml');
    expect(k8s).toMatchObject({
      kube_version: '1.32.5',
      container_manager: 'crio',
      kube_network_plugin: 'calico',
      kube_service_addresses: '10.233.0.0/18',
      kube_pods_subnet: '10.233.64.0/18',
      kube_apiserver_ip: '10.233.0.1',
      kube_apiserver_port: 6443,
      kube_proxy_mode: 'ipvs',
      kube_proxy_strict_arp: true,
      nodelocaldns_ip: '169.254.25.10',
      searchdomains: ['svc.{{ cluster_name }}', 'default.svc.{{ cluster_name }}'],
      tls_cipher_suites: [
        'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384', 'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256',
        'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384', 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256',
      ],
      kube_encrypt_secret_data: true,
      kubernetes_audit: true,
      enable_nodelocaldns: true,
      skydns_server: '10.233.0.3',
      supplementary_addresses_in_ssl_keys: ['172.16.0.176', '172.16.0.192', '172.16.0.157', '172.16.0.254'],
    });
    expect(files.get('inventory/group_vars/k8s_cluster/k8s-cluster.yml')).toContain('kube_version: "1.32.5"');
    expect(yamlOf(files, 'inventory/group_vars/k8s_cluster/k8s-net-calico.yml')).toEqual({
      calico_network_backend: 'vxlan',
      calico_ipip_mode: 'Never',
      calico_vxlan_mode: 'Always',
      // kubespray v2.28.1 renders the MTU into calico-node only when calico_mtu is defined
      calico_mtu: 1450,
      calico_veth_mtu: 1450,
    });
  });

  it("carries K-PaaS v1.6.2's cluster settings: serving certificates, admission, etcd ciphers", () => {
    const k8s = yamlOf(files, 'inventory/group_vars/k8s_cluster/k8s-cluster.yml');
    expect(k8s).toMatchObject({
      kubelet_rotate_server_certificates: true,
      kubelet_csr_approver_values: {
        providerRegex: '^(master-1|master-2|master-3|worker-1|worker-2|worker-3)$',
        providerIpPrefixes: ['172.16.0.0/24'],
        bypassDnsResolution: true,
      },
      kube_apiserver_enable_admission_plugins: ['NodeRestriction', 'PodSecurity', 'EventRateLimit'],
      kube_apiserver_admission_control_config_file: true,
      kube_apiserver_admission_event_rate_limits: {
        limit_1: { type: 'Namespace', qps: 50, burst: 100, cache_size: 2000 },
        limit_2: { type: 'User', qps: 10, burst: 50 },
      },
      kube_pod_security_use_default: true,
      kube_pod_security_default_enforce: 'privileged',
      kube_pod_security_default_audit: 'restricted',
      kube_pod_security_default_warn: 'restricted',
      kube_encryption_algorithm: 'secretbox',
      crio_registries: [],
    });
    expect(yamlOf(files, 'inventory/group_vars/all/etcd.yml').etcd_tls_cipher_suites).toEqual(k8s.tls_cipher_suites);
  });

  it("keeps kubespray's credentials outside dist, in the secrets folder", () => {
    const k8s = yamlOf(files, 'inventory/group_vars/k8s_cluster/k8s-cluster.yml');
    // inventory_dir is <project>/dist/ansible/inventory
    expect(k8s.credentials_dir).toBe('{{ inventory_dir }}/../../../.kpaas-secrets/kubespray-credentials');
    const nested = yamlOf(renderAnsibleAsCli(parseConfig({ secrets: { dir: 'ops/secrets' } }), { projectPath: '../..' }), 'inventory/group_vars/k8s_cluster/k8s-cluster.yml');
    expect(nested.credentials_dir).toBe('{{ inventory_dir }}/../../../../ops/secrets/kubespray-credentials');
  });

  it('points the API server OIDC flags at the Keycloak realm and client', () => {
    const k8s = yamlOf(files, 'inventory/group_vars/k8s_cluster/k8s-cluster.yml');
    expect(k8s).toMatchObject({
      kube_oidc_auth: true,
      kube_oidc_url: 'https://keycloak.k-paas.io/auth/realms/k-paas',
      kube_oidc_client_id: 'kubernetes',
      kube_oidc_ca_file: '/etc/ssl/certs/ca-certificates.crt',
      kube_oidc_username_claim: 'preferred_username',
      kube_oidc_username_prefix: 'oidc:',
      kube_oidc_groups_claim: 'groups',
      kube_oidc_groups_prefix: 'oidc:',
    });
    const other = yamlOf(renderAnsibleAsCli(parseConfig({ domain: 'paas.example.com', identity: { realm: 'acme' } })), 'inventory/group_vars/k8s_cluster/k8s-cluster.yml');
    expect(other.kube_oidc_url).toBe('https://keycloak.paas.example.com/auth/realms/acme');
  });

  it('resolves the platform names to the ingress IP inside the cluster (CoreDNS and nodelocaldns hosts)', () => {
    const k8s = yamlOf(files, 'inventory/group_vars/k8s_cluster/k8s-cluster.yml');
    expect(k8s.dns_etchosts).toBe('172.16.0.201 k-paas.io keycloak.k-paas.io openbao.k-paas.io harbor.k-paas.io chartmuseum.k-paas.io portal.k-paas.io\n');
    const other = yamlOf(renderAnsibleAsCli(parseConfig({ domain: 'paas.example.com', ingress: { ip: '172.16.0.202' } })), 'inventory/group_vars/k8s_cluster/k8s-cluster.yml');
    expect(other.dns_etchosts).toBe('172.16.0.202 paas.example.com keycloak.paas.example.com openbao.paas.example.com harbor.paas.example.com chartmuseum.paas.example.com portal.paas.example.com\n');
  });

  it('installs MetalLB v0.14.9 from its own manifest, checksummed, after kubespray', () => {
    const kpaas = yamlOf(files, 'inventory/group_vars/all/kpaas.yml');
    expect(kpaas).toMatchObject({
      kpaas_metallb_version: 'v0.14.9',
      kpaas_metallb_manifest_url: 'https://raw.githubusercontent.com/metallb/metallb/v0.14.9/config/manifests/metallb-native.yaml',
      kpaas_metallb_manifest_checksum: 'sha256:951065e85692aa106f1bb5d5a487d9306154923a794ab1d82122881cbaf588e4',
      kpaas_metallb_namespace: 'metallb-system',
      kpaas_kubectl: '/usr/local/bin/kubectl',
      kpaas_kubeconfig: '/etc/kubernetes/admin.conf',
    });
    const play = yamlOf(files, 'playbooks/metallb.yml')[0];
    expect(play.hosts).toBe('kube_control_plane[0]');
    expect(play.tasks[0]['ansible.builtin.get_url']).toMatchObject({ url: '{{ kpaas_metallb_manifest_url }}', checksum: '{{ kpaas_metallb_manifest_checksum }}' });
    // site.yml runs before kubespray; MetalLB needs the cluster, so site.yml does not import it
    expect(files.get('playbooks/site.yml')).not.toContain('metallb');
  });

  it('turns off kubespray\'s MetalLB addon and installs ingress-nginx on the ingress IP and NodePorts', () => {
    const addons = yamlOf(files, 'inventory/group_vars/k8s_cluster/addons.yml');
    expect(addons).toEqual({
      helm_enabled: true,
      metrics_server_enabled: true,
      // kubespray v2.28.1's addon installs only v0.13.9; playbooks/metallb.yml installs the pinned release
      metallb_enabled: false,
      ingress_nginx_enabled: true,
      ingress_nginx_namespace: 'ingress-nginx',
      ingress_nginx_service_type: 'LoadBalancer',
      ingress_nginx_service_annotations: { 'metallb.io/loadBalancerIPs': '172.16.0.201' },
      ingress_nginx_service_nodeport_http: 31080,
      ingress_nginx_service_nodeport_https: 31443,
      ingress_nginx_class: 'nginx',
      ingress_nginx_default: true,
    });
    expect(addons).not.toHaveProperty('metallb_config');
  });

  it('gives our playbooks the NFS export, CA path and backup settings', () => {
    const kpaas = yamlOf(files, 'inventory/group_vars/all/kpaas.yml');
    expect(kpaas).toMatchObject({
      ansible_user: 'ubuntu',
      kpaas_ca_cert_path: '{{ playbook_dir }}/../../../.kpaas-secrets/ca.crt',
      kpaas_harbor_host: 'harbor.k-paas.io',
      kpaas_ingress_ip: '172.16.0.201',
      kpaas_platform_hostnames: ['k-paas.io', 'keycloak.k-paas.io', 'openbao.k-paas.io', 'harbor.k-paas.io', 'chartmuseum.k-paas.io', 'portal.k-paas.io'],
      kpaas_nfs_server_address: "{{ hostvars[groups['kpaas_nfs_server'][0]]['ip'] }}",
      kpaas_nfs_path: '/data',
      kpaas_nfs_mount_point: '/data',
      kpaas_nfs_mount_unit: 'data.mount',
      kpaas_nfs_export_cidr: '172.16.0.0/24',
      kpaas_nfs_export_options: 'rw,sync,no_root_squash,no_subtree_check',
      kpaas_etcd_backup_dir: '/backup/etcd',
      kpaas_etcd_backup_keep: 7,
      kpaas_etcd_backup_on_calendar: '*-*-* 02:00:00',
      // no off-site copy unless backup.objectStorage is set
      kpaas_etcd_backup_objectstorage: {},
    });
    expect(kpaas.kpaas_nfs_mount_options.split(',')).toEqual(expect.arrayContaining(['rsize=1048576', 'wsize=1048576', 'hard']));
    expect(kpaas.kpaas_nfs_export_cidr).not.toBe('*');
    expect(kpaas.kpaas_sysctl['net.netfilter.nf_conntrack_max']).toBe(1048576);
    expect(kpaas.kpaas_kernel_modules).toEqual(expect.arrayContaining(['br_netfilter', 'nf_conntrack', 'ip_vs', 'overlay']));
  });

  it('gives the backup timer the bucket, the <prefix>/<cluster> path and the credentials file, never a key', () => {
    const config = parseConfig({ name: 'prod', backup: { objectStorage: { bucket: 'kpaas-backups', prefix: 'k-paas/etcd', keep: 14 } } });
    const kpaas = yamlOf(renderAnsibleAsCli(config), 'inventory/group_vars/all/kpaas.yml');
    expect(kpaas.kpaas_etcd_backup_objectstorage).toEqual({
      bucket: 'kpaas-backups',
      endpoint: 'https://objectstorage.kr-central-2.kakaocloud.com',
      region: 'kr-central-2',
      path: 'k-paas/etcd/prod',
      keep: 14,
      credentials_file: '/etc/kpaas/objectstorage.env',
    });
    expect(kpaas.kpaas_etcd_backup_rclone_package).toBe('rclone');
  });

  it('looks for the platform CA in the configured secrets folder', () => {
    const kpaas = yamlOf(renderAnsibleAsCli(parseConfig({ secrets: { dir: './ops/secrets/' } })), 'inventory/group_vars/all/kpaas.yml');
    expect(kpaas.kpaas_ca_cert_path).toBe('{{ playbook_dir }}/../../../ops/secrets/ca.crt');
  });

  it('escapes the NFS mount unit name as systemd does', () => {
    const kpaas = yamlOf(renderAnsibleAsCli(parseConfig({ storage: { nfsPath: '/srv/nfs-data' } })), 'inventory/group_vars/all/kpaas.yml');
    expect(kpaas.kpaas_nfs_mount_unit).toBe('srv-nfs\\x2ddata.mount');
    expect(kpaas.kpaas_nfs_path).toBe('/srv/nfs-data');
  });

  it('fills cp-cluster-vars.sh for the K-PaaS installer', () => {
    const dir = writeTree(files);
    try {
      const names = ['KUBE_CONTROL_HOSTS', 'ETCD_TYPE', 'LOADBALANCER_DOMAIN', 'MASTER1_NODE_HOSTNAME', 'MASTER1_NODE_PUBLIC_IP', 'MASTER1_NODE_PRIVATE_IP',
        'MASTER3_NODE_PRIVATE_IP', 'KUBE_WORKER_HOSTS', 'WORKER2_NODE_HOSTNAME', 'WORKER2_NODE_PRIVATE_IP', 'STORAGE_TYPE', 'NFS_SERVER_PRIVATE_IP',
        'METALLB_IP_RANGE', 'INGRESS_NGINX_IP', 'INSTALL_KYVERNO', 'CSP_TYPE'];
      expect(sourceShell(dir, './cp-cluster-vars.sh', names)).toEqual([
        '3', 'stacked', '172.16.0.176', 'master-1', '172.16.0.192', '172.16.0.192',
        '172.16.0.254', '3', 'worker-2', '172.16.0.78', 'nfs', '172.16.0.192',
        '172.16.0.210-172.16.0.250', '172.16.0.201', 'N', '',
      ]);
      // a value exported before (by cp-cluster-vars.connection.sh) wins
      expect(sourceShell(dir, './cp-cluster-vars.sh', ['MASTER1_NODE_PUBLIC_IP'], { MASTER1_NODE_PUBLIC_IP: '203.0.113.10' })).toEqual(['203.0.113.10']);
    } finally {
      removeTree(dir);
    }
    expect(files.get('cp-cluster-vars.sh')).not.toMatch(/MASTER4_|WORKER4_/);
  });

  it('is deterministic and free of absolute paths of this machine, timestamps and secrets', () => {
    const again = renderAnsibleAsCli(parseConfig({}));
    expect([...again.entries()]).toEqual([...files.entries()]);
    const all = [...files.values()].join('\n');
    expect(all).not.toContain(process.cwd());
    expect(all).not.toContain(path.resolve('..'));
    expect(all).not.toMatch(/20\d\d-\d\d-\d\dT/);
    // a password key may only name a variable (portal-images.yml's Harbor login), never hold a value
    expect(all).not.toMatch(/BEGIN [A-Z ]*PRIVATE KEY|password:\s*(?!"\{\{ [a-z_]+ \}\}"$)\S/im);
  });

  it('writes a README with this cluster restore values', () => {
    const readme = files.get('README.md') ?? '';
    expect(readme).toContain('etcd1=https://172.16.0.192:2380,etcd2=https://172.16.0.157:2380,etcd3=https://172.16.0.254:2380');
    expect(readme).toContain('kubespray/cluster.yml');
    expect(readme).toContain('deploy-cp-cluster.sh');
    expect(readme).toContain('inventory/zz-connection.yaml');
  });

  it('applies the platform as README.md step 6 does: namespaces, then the Secrets, then dist/manifests', () => {
    const step6 = /^\| 6\. platform \| `([^`]+)` \|/m.exec(fs.readFileSync(path.join(__dirname, '../../README.md'), 'utf8'));
    expect(step6).not.toBeNull();
    expect(files.get('README.md')).toContain(`8. Apply the platform, the namespaces first, then the Secrets of step 3 they hold, then everything:\n   \`${step6![1]}\``);
  });

  it('matches the documentation in docs/ansible.md on the paths it names', () => {
    const doc = fs.readFileSync(path.join(__dirname, '../../docs/ansible.md'), 'utf8');
    for (const p of ['inventory/hosts.yaml', 'playbooks/site.yml', 'cp-cluster-vars.sh', 'inventory/zz-connection.yaml', 'cp-cluster-vars.connection.sh']) {
      expect(doc).toContain(p);
    }
  });
});

describe('renderAnsible, kakaocloud (the default target): the master LB VIP comes from kpaas connect', () => {
  const files = renderAnsibleAsCli(parseAnyConfig({}));

  it('leaves the API load balancer address and its SAN to the connection files', () => {
    const all = yamlOf(files, 'inventory/group_vars/all/all.yml');
    expect(all).not.toHaveProperty('loadbalancer_apiserver');
    expect(all.apiserver_loadbalancer_domain_name).toBe('cluster-endpoint');
    expect(yamlOf(files, 'inventory/group_vars/k8s_cluster/k8s-cluster.yml').supplementary_addresses_in_ssl_keys).toEqual(['172.16.0.192', '172.16.0.157', '172.16.0.254']);
  });

  it('takes the installer\'s LOADBALANCER_DOMAIN from the connection file', () => {
    const dir = writeTree(files);
    try {
      fs.writeFileSync(path.join(dir, 'cp-cluster-vars.connection.sh'), "export LOADBALANCER_DOMAIN='172.16.0.176'\n");
      const body = 'set -eu; source cp-cluster-vars.connection.sh; source cp-cluster-vars.sh; printf "%s\\n" "$LOADBALANCER_DOMAIN"';
      const r = spawnSync('bash', ['-c', body], { cwd: dir, encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
      expect(r.stdout).toBe('172.16.0.176\n');
    } finally {
      removeTree(dir);
    }
  });
});

describe('renderAnsible, 5 masters and 7 workers', () => {
  const big = renderAnsibleAsCli(parseConfig(FIVE_SEVEN));
  const masters = ['master-1', 'master-2', 'master-3', 'master-4', 'master-5'];
  const workers = ['worker-1', 'worker-2', 'worker-3', 'worker-4', 'worker-5', 'worker-6', 'worker-7'];

  it('renders every node in its groups with addresses from the ranges', () => {
    const inv = yamlOf(big, 'inventory/hosts.yaml');
    expect(groupHosts(inv, 'kube_control_plane')).toEqual(masters);
    expect(groupHosts(inv, 'etcd')).toEqual(masters);
    expect(groupHosts(inv, 'kube_node')).toEqual(workers);
    expect(groupHosts(inv, 'kpaas_nfs_clients')).toEqual(workers);
    masters.forEach((m, i) => {
      expect(inv.all.hosts[m]).toEqual({ ansible_host: `172.16.0.${100 + i}`, ip: `172.16.0.${100 + i}`, access_ip: `172.16.0.${100 + i}`, etcd_member_name: `etcd${i + 1}` });
    });
    workers.forEach((w, i) => {
      expect(inv.all.hosts[w]).toEqual({ ansible_host: `172.16.0.${20 + i}`, ip: `172.16.0.${20 + i}`, access_ip: `172.16.0.${20 + i}` });
    });
    const k8s = yamlOf(big, 'inventory/group_vars/k8s_cluster/k8s-cluster.yml');
    expect(k8s.supplementary_addresses_in_ssl_keys).toEqual(['172.16.0.176', '172.16.0.100', '172.16.0.101', '172.16.0.102', '172.16.0.103', '172.16.0.104']);
  });

  it('numbers every master and worker in cp-cluster-vars.sh', () => {
    const text = big.get('cp-cluster-vars.sh') ?? '';
    expect(text).toContain('export KUBE_CONTROL_HOSTS=5\n');
    expect(text).toContain('export KUBE_WORKER_HOSTS=7\n');
    expect(text).toContain('export MASTER5_NODE_PRIVATE_IP=172.16.0.104\n');
    expect(text).toContain('export WORKER7_NODE_HOSTNAME=worker-7\n');
    expect(text).toContain('export WORKER7_NODE_PRIVATE_IP=172.16.0.26\n');
    expect(text).not.toMatch(/MASTER6_|WORKER8_/);
  });

  it('documents a five-member etcd restore', () => {
    expect(big.get('README.md')).toContain(
      'etcd1=https://172.16.0.100:2380,etcd2=https://172.16.0.101:2380,etcd3=https://172.16.0.102:2380,etcd4=https://172.16.0.103:2380,etcd5=https://172.16.0.104:2380',
    );
  });
});

describe('renderAnsible, other topologies', () => {
  it('leaves the NFS server out of the clients when it is a worker', () => {
    const r = renderAnsibleAsCli(parseConfig({ storage: { nfsServer: 'worker-2' } }));
    const inv = yamlOf(r, 'inventory/hosts.yaml');
    expect(groupHosts(inv, 'kpaas_nfs_server')).toEqual(['worker-2']);
    expect(groupHosts(inv, 'kpaas_nfs_clients')).toEqual(['worker-1', 'worker-3']);
    expect(r.get('cp-cluster-vars.sh')).toContain('export NFS_SERVER_PRIVATE_IP=172.16.0.78\n');
  });

  it('uses a custom SSH user and node names from the config', () => {
    const r = renderAnsibleAsCli(parseConfig({ nodes: { sshUser: 'kakao', masters: { names: ['cp-a', 'cp-b', 'cp-c'] } } }));
    expect(yamlOf(r, 'inventory/group_vars/all/kpaas.yml').ansible_user).toBe('kakao');
    expect(groupHosts(yamlOf(r, 'inventory/hosts.yaml'), 'etcd')).toEqual(['cp-a', 'cp-b', 'cp-c']);
    expect(r.get('cp-cluster-vars.sh')).toContain('export MASTER1_NODE_HOSTNAME=cp-a\n');
  });

  it('notes MetalLB extra ranges the installer cannot take', () => {
    const r = renderAnsibleAsCli(parseConfig({ metallb: { extraRanges: ['172.16.0.170-172.16.0.175'] } }));
    expect(r.get('cp-cluster-vars.sh')).toContain('extra ranges (172.16.0.170-172.16.0.175) come from dist/manifests');
    expect(r.get('cp-cluster-vars.sh')).toContain('export METALLB_IP_RANGE=172.16.0.210-172.16.0.250\n');
  });

  it('resolves exactly the platform names its caller gives, not names of its own', () => {
    const r = renderAnsible(seed, { platformHostnames: ['a.example.org', 'b.example.org'], portalImages: portalImagesFacts() });
    const line = '172.16.0.201 a.example.org b.example.org\n';
    expect(yamlOf(r, 'inventory/group_vars/k8s_cluster/k8s-cluster.yml').dns_etchosts).toBe(line);
    expect(yamlOf(r, INSTALLER_VARS).dns_etchosts).toBe(line);
    expect(yamlOf(r, 'inventory/group_vars/all/kpaas.yml').kpaas_platform_hostnames).toEqual(['a.example.org', 'b.example.org']);
  });
});

describe('renderAnsible with ingress.controller envoy-gateway', () => {
  const files = renderAnsibleAsCli(parseConfig({ versions: { track: 'kpaas-1.7.0' }, ingress: { controller: 'envoy-gateway' } }));

  it('turns kubespray\'s ingress-nginx addon off explicitly and sets none of its other variables', () => {
    const addons = yamlOf(files, 'inventory/group_vars/k8s_cluster/addons.yml');
    expect(Object.entries(addons).filter(([k]) => k.startsWith('ingress_nginx_'))).toEqual([['ingress_nginx_enabled', false]]);
  });

  it('offers no K-PaaS installer route, and says why: the installer always installs its own ingress-nginx', () => {
    expect(files.has('cp-cluster-vars.sh')).toBe(false);
    expect(files.has('installer/zz-kpaas.yml')).toBe(false);
    const readme = files.get('README.md')!;
    expect(readme).toContain('the K-PaaS installer always installs its own ingress-nginx on `INGRESS_NGINX_IP`');
    expect(readme).toContain('&& kubectl apply --server-side -k dist/manifests`');
    expect(readme).toContain('MetalLB and Envoy Gateway (from dist/manifests)');
  });
});
