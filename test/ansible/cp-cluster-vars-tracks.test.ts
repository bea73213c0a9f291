/**
 * cp-cluster-vars.sh of each K-PaaS release track in that installer's format (config/tracks.ts
 * `installer`, read from the installer's own file, referenced there):
 *  - K-PaaS v1.6.2 (K-PaaS/cp-deployment@v1.6.2:standalone/cp-cluster-vars.sh, also in
 *    ../shared/reference/kpaas-cp-deployment-v1.6.2): `export NAME=value`;
 *  - K-PaaS v1.7.0 (K-PaaS/cp-deployment@branch_v1.7.x:single/cp-cluster-vars.sh): plain
 *    `NAME=value`, `MASTER1_NODE_USER`, the NHN and NAVER settings;
 *  - upstream: no file (the installer does not support the track).
 * Each file is also read the way its installer reads it (v1.6.2: sourced by bash; v1.7.0: line by
 * line, as standalone/convert-env-to-yaml.sh turns it into YAML: config/tracks.ts `installer.reads`),
 * together with the connection file `kpaas connect` writes, and the values compared with the
 * configuration and the terraform outputs.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseConfig, type PlatformConfig } from '../../config';
import { KPAAS_SETTINGS, TRACKS, type TrackId } from '../../config/tracks';
import { parse } from 'yaml';
import { connectFromTerraformOutputs, CP_CLUSTER_VARS, INSTALLER_VARS } from '../../ansible';
import { CP_CLUSTER_VARS_CONNECTION } from '../../ansible/cp-cluster-vars';
import { varNotes } from '../../ansible/kubespray-vars';
import { KAKAO_APPLIED, kakaoOutputs, renderAnsibleAsCli } from './support';

const KPAAS_162 = path.resolve(__dirname, '../../../shared/reference/kpaas-cp-deployment-v1.6.2/standalone/cp-cluster-vars.sh');
const SCALED = { nodes: { masters: { count: 5, ipRange: '172.16.0.100-172.16.0.120' }, workers: { count: 7, ipRange: '172.16.0.20-172.16.0.40' } } };

function on(id: TrackId, input: Record<string, unknown> = {}): PlatformConfig {
  const c = parseConfig(input);
  const track = TRACKS[id];
  return { ...c, versions: { track: id, kubernetes: track.kubernetes.default, kpaas: track.kpaas ?? c.versions.kpaas } };
}

/** Assignment lines of a shell file: name, whether exported. */
function assignments(text: string): Array<{ name: string; exported: boolean }> {
  return [...text.matchAll(/^(export )?([A-Z0-9_]+)=/gm)].map((m) => ({ name: m[2], exported: m[1] !== undefined }));
}

const generic = (name: string) => name.replace(/^(MASTER|WORKER|ETCD)\d+_/, '$1N_');

/**
 * The YAML K-PaaS v1.7's installer makes of the file (K-PaaS/cp-deployment@f8c4b3f0:standalone/convert-env-to-yaml.sh,
 * config/tracks.ts `installer.reads`): comment and blank lines skipped; `NAME=value` becomes
 * `name: "value"`, the value as written. Parsed back, as ansible loads the group_vars file.
 */
function readAsLines(text: string): Record<string, unknown> {
  const yaml = text.split('\n')
    .filter((l) => !/^[ \t]*#/.test(l) && l !== '')
    .map((l) => l.match(/^([A-Za-z0-9_]+)=(.*)$/))
    .filter((m): m is RegExpMatchArray => m !== null)
    .map(([, name, value]) => `${name.toLowerCase()}: "${value}"`)
    .join('\n');
  return parse(yaml, { uniqueKeys: true }) as Record<string, unknown>;
}

/** What bash has after sourcing the file in a child shell, as the 1.6.2 guide does (`source cp-cluster-vars.sh`, then the installer). */
function sourced(text: string, env: Record<string, string> = {}): Record<string, string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kpaas-cpvars-'));
  const file = path.join(dir, 'cp-cluster-vars.sh');
  fs.writeFileSync(file, text);
  const r = spawnSync('bash', ['--norc', '--noprofile', '-c', 'source "$1" && set', 'bash', file], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env }, encoding: 'utf8' });
  fs.rmSync(dir, { recursive: true, force: true });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return Object.fromEntries(r.stdout.split('\n').filter((l) => /^[A-Z0-9_]+=/.test(l)).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1).replace(/^'(.*)'$/, '$1')]));
}

describe.each([['kpaas-1.6.2' as TrackId], ['kpaas-1.7.0' as TrackId]])('cp-cluster-vars.sh of track %s', (id) => {
  const format = TRACKS[id].installer!;
  const config = on(id, SCALED);
  const text = renderAnsibleAsCli(config).get(CP_CLUSTER_VARS) ?? '';
  /** kpaas connect's file, from outputs with a public address for the first master and the master LB's VIP. */
  const connection = connectFromTerraformOutputs(kakaoOutputs(config), config).get(CP_CLUSTER_VARS_CONNECTION) ?? '';
  /** What the installer gets: the file, or (read as lines) the file with the connection file after it. */
  const read = format.reads.how === 'source' ? text : `${text}${connection}`;

  it(`assigns every variable the ${format.assignment === 'export' ? 'exported' : 'plain'} way the K-PaaS ${format.kpaas} installer's file does`, () => {
    const lines = assignments(text);
    expect(lines.length).toBeGreaterThan(30);
    expect(lines.filter((l) => l.exported !== (format.assignment === 'export'))).toEqual([]);
  });

  it("uses only the installer's names, and every name of its file but the external-etcd ones", () => {
    const written = new Set(assignments(read).map((l) => generic(l.name)));
    const known = new Set(format.names);
    expect([...written].filter((n) => !known.has(n))).toEqual([]);
    expect(format.names.filter((n) => !written.has(n) && !n.startsWith('ETCDN_'))).toEqual([]);
  });

  // K-PaaS v1.7's single/cp-cluster-vars.sh added MASTER1_NODE_USER; v1.6.2's standalone one has none
  const readsUser = id === 'kpaas-1.7.0';

  it('names the first master\'s SSH user exactly where the installer reads one', () => {
    const user = assignments(text).some((l) => l.name === 'MASTER1_NODE_USER');
    expect(user).toBe(readsUser);
  });

  const bySource = () => {
    const vars = sourced(text);
    expect(vars.KUBE_CONTROL_HOSTS).toBe('5');
    expect(vars.KUBE_WORKER_HOSTS).toBe('7');
    expect(vars.MASTER5_NODE_PRIVATE_IP).toBe(config.nodes.masters.nodes[4].privateIp);
    expect(vars.WORKER7_NODE_HOSTNAME).toBe('worker-7');
    expect(vars.MASTER1_NODE_PUBLIC_IP).toBe(config.nodes.masters.nodes[0].privateIp);
    expect(vars.CSP_TYPE ?? '').toBe('');
    expect(sourced(text, { MASTER1_NODE_PUBLIC_IP: '203.0.113.10', LOADBALANCER_DOMAIN: '172.16.0.9' })).toMatchObject({ MASTER1_NODE_PUBLIC_IP: '203.0.113.10', LOADBALANCER_DOMAIN: '172.16.0.9' });
    expect(vars.MASTER1_NODE_USER).toBe(readsUser ? config.nodes.sshUser : undefined);
  };

  const byLines = () => {
    const vars = readAsLines(read);
    expect(vars).toMatchObject({
      kube_control_hosts: '5',
      kube_worker_hosts: '7',
      master5_node_private_ip: config.nodes.masters.nodes[4].privateIp,
      worker7_node_hostname: 'worker-7',
      master1_node_user: config.nodes.sshUser,
      // from the outputs (support.ts kakaoOutputs): the first node's public address, the LB's VIP
      master1_node_public_ip: '203.0.113.10',
      loadbalancer_domain: KAKAO_APPLIED.masterLb.vip,
      csp_type: '',
    });
    // nothing a shell would have expanded or unquoted
    expect(Object.entries(vars).filter(([, v]) => typeof v !== 'string' || /[$'"`]/.test(v))).toEqual([]);
    // the file alone leaves out what only the connection file knows
    expect(readAsLines(text)).not.toHaveProperty('master1_node_public_ip');
    expect(readAsLines(text)).not.toHaveProperty('loadbalancer_domain');
    // where the config knows the VIP (openstack): this file has it and kpaas connect's file leaves it out
    const os = on(id, { ...SCALED, cloud: { provider: 'openstack' } });
    const vip = os.loadBalancers.master.vip;
    const outputs = kakaoOutputs(os) as { ansible: { value: Record<string, { vip: string }> } };
    for (const role of ['master', 'worker'] as const) outputs.ansible.value[`${role}_lb`].vip = os.loadBalancers[role].vip ?? '';
    const osText = renderAnsibleAsCli(os).get(CP_CLUSTER_VARS) ?? '';
    const osRead = readAsLines(`${osText}${connectFromTerraformOutputs(outputs, os).get(CP_CLUSTER_VARS_CONNECTION) ?? ''}`);
    expect(vip).toBeDefined();
    expect(osRead).toMatchObject({ loadbalancer_domain: vip, master1_node_public_ip: '203.0.113.10' });
    expect(format.names.filter((n) => !n.startsWith('ETCDN_')).filter((n) => !Object.keys(osRead).some((k) => generic(k.toUpperCase()) === n))).toEqual([]);
  };

  it(format.reads.how === 'source'
    ? "defines the cluster when sourced by bash, and lets the connection file's values win"
    : 'defines the cluster when read as lines, the connection file joined after it, as valid YAML with each name once', format.reads.how === 'source' ? bySource : byLines);

  it('says which installer folder it is for', () => {
    expect(text).toContain(`K-PaaS ${format.kpaas} deploy-cp-cluster.sh (cp-deployment/${format.folder})`);
  });

  it(`tells to copy ${INSTALLER_VARS} into group_vars/k8s_cluster of the inventory the installer's kubespray runs`, () => {
    const readme = renderAnsibleAsCli(config).get('README.md') ?? '';
    expect(readme).toContain(`\`dist/ansible/${INSTALLER_VARS}\` to\n     \`${ZZ_KPAAS_TARGET[id]}\``);
    expect(readme).not.toMatch(/cp-deployment\/single\/inventory/);
  });

  it(`notes the settings K-PaaS sets as K-PaaS ${format.kpaas}'s`, () => {
    const notes = varNotes(TRACKS[id]);
    expect(KPAAS_SETTINGS.filter((n) => !new RegExp(`^As K-PaaS ${format.kpaas.replace(/\./g, '\\.')}[.:]`).test(notes[n] ?? ''))).toEqual([]);
    const k8s = renderAnsibleAsCli(config).get('inventory/group_vars/k8s_cluster/k8s-cluster.yml') ?? '';
    expect([...new Set(k8s.match(/As K-PaaS v\d+(\.\d+)*/g))]).toEqual([`As K-PaaS ${format.kpaas}`]);
  });
});

/**
 * Where installer/zz-kpaas.yml goes, read from each installer: v1.6.2's standalone/deploy-cp-cluster.sh
 * runs `-i inventory/mycluster/inventory.ini` in standalone; v1.7.0's single/deploy-cp-cluster.sh
 * changes to ../standalone, whose deploy-cp-cluster.sh does the same (config/tracks.ts
 * `installer.kubespray.source`; test/ansible/kpaas-installer-source.test.ts reads them from the mirror).
 */
const ZZ_KPAAS_TARGET: Partial<Record<TrackId, string>> = {
  'kpaas-1.6.2': 'cp-deployment/standalone/inventory/mycluster/group_vars/k8s_cluster/zz-kpaas.yml',
  'kpaas-1.7.0': 'cp-deployment/standalone/inventory/mycluster/group_vars/k8s_cluster/zz-kpaas.yml',
};

describe('the installer formats in the catalog', () => {
  const present = fs.existsSync(KPAAS_162);
  if (!present) console.warn(`SKIPPED: ${KPAAS_162} not found; the 1.6.2 format not compared with the installer's file`);
  (present ? it : it.skip)("K-PaaS v1.6.2's names and `export` form are those of its own cp-cluster-vars.sh", () => {
    const lines = assignments(fs.readFileSync(KPAAS_162, 'utf8'));
    expect(lines.every((l) => l.exported)).toBe(true);
    expect([...new Set(lines.map((l) => generic(l.name)))].sort()).toEqual([...TRACKS['kpaas-1.6.2'].installer!.names].sort());
  });

  it('K-PaaS v1.7.0 adds MASTER1_NODE_USER and the NHN and NAVER settings to v1.6.2\'s names and writes no `export`', () => {
    const [old, next] = [TRACKS['kpaas-1.6.2'].installer!, TRACKS['kpaas-1.7.0'].installer!];
    expect(next.names.filter((n) => !old.names.includes(n)).sort()).toEqual(
      ['MASTERN_NODE_USER', 'NHN_API_BASE_URL', 'NAVER_CLOUD_API_KEY', 'NAVER_CLOUD_API_SECRET', 'NAVER_CLOUD_REGION', 'NAVER_CLOUD_VPC_NO', 'NAVER_CLOUD_SUBNET_NO'].sort(),
    );
    expect(old.names.filter((n) => !next.names.includes(n))).toEqual([]);
    expect([next.assignment, next.folder, next.cspTypes]).toEqual(['plain', 'single', ['NHN', 'NAVER']]);
  });

  it('the upstream track gets no installer files', () => {
    const files = renderAnsibleAsCli(on('upstream'));
    expect(files.has(CP_CLUSTER_VARS)).toBe(false);
    expect(files.has('installer/zz-kpaas.yml')).toBe(false);
  });
});
