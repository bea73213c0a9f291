/**
 * The commands README.md, docs/ansible.md and dist/ansible/README.md print for building the
 * cluster: the same text everywhere, and each one run as far as it goes without hosts. The kubespray
 * command runs against kubespray v2.28.1 with ansible-core 2.16.12 (../shared/upstream) and
 * --syntax-check, and on every release track its dist/ansible README's command, with cluster.yml and
 * the upgrade-cluster.yml of docs/upgrades.md, against that track's kubespray and the ansible-core
 * the offline checks run it with (upstream: 2.17.5, below the 2.18 kubespray v2.31.0 wants);
 * skipped with a visible SKIPPED line where those are absent.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseConfig } from '../../config';
import { ETCD_RESTORE_COMMAND, INSTALLER_CLEANUP, INSTALLER_COMMAND, KUBESPRAY_COMMANDS, kubesprayCommands, METALLB_COMMAND } from '../../ansible/readme';
import { DEFAULT_TRACK, TRACK_IDS, TRACKS, type TrackId } from '../../config/tracks';
import { KUBESPRAY, probeTarget, probeUnavailable, UPSTREAM } from './kubespray-probe';
import { renderAnsibleAsCli } from './support';

const ROOT = path.resolve(__dirname, '../..');
const DOCS: Record<string, string> = {
  'README.md': fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8'),
  'docs/ansible.md': fs.readFileSync(path.join(ROOT, 'docs/ansible.md'), 'utf8'),
  'dist/ansible/README.md': renderAnsibleAsCli(parseConfig({})).get('README.md') ?? '',
};
const CLUSTER_COMMAND = KUBESPRAY_COMMANDS[KUBESPRAY_COMMANDS.length - 1];

describe('the documented cluster commands', () => {
  it.each(Object.keys(DOCS))('%s prints the kubespray and MetalLB commands as tested here', (doc) => {
    expect(DOCS[doc]).toContain(CLUSTER_COMMAND);
    expect(DOCS[doc]).toContain(METALLB_COMMAND);
  });

  it.each(Object.keys(DOCS))('%s prints the etcd restore command as tested here', (doc) => {
    expect(DOCS[doc]).toContain(ETCD_RESTORE_COMMAND);
  });

  it.each(['docs/ansible.md', 'dist/ansible/README.md'])('%s runs the K-PaaS installer as its guide says, with our group_vars file', (doc) => {
    // deploy-cp-cluster.sh is mode 644 in cp-deployment v1.6.2 and stops with `return`
    expect(DOCS[doc]).toContain(INSTALLER_COMMAND);
    expect(DOCS[doc]).toContain(INSTALLER_CLEANUP);
    expect(DOCS[doc]).toContain('inventory/mycluster/group_vars/k8s_cluster/zz-kpaas.yml');
  });

  it.each(Object.keys(DOCS))('%s never runs deploy-cp-cluster.sh as a program or kubespray without its configuration', (doc) => {
    expect(DOCS[doc]).not.toMatch(/\.\/deploy-cp-cluster\.sh/);
    for (const line of DOCS[doc].split('\n').filter((l) => l.includes('kubespray/cluster.yml') && l.includes('ansible-playbook'))) {
      expect(line).toContain('ANSIBLE_CONFIG=');
    }
  });
});

const unavailable = probeUnavailable();
if (unavailable) console.warn(`SKIPPED: documented kubespray commands not run: ${unavailable}`);
const describeRun = unavailable ? describe.skip : describe;

describeRun('the documented commands, run without hosts', () => {
  let dir = '';
  let env: NodeJS.ProcessEnv = {};
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kpaas-commands-'));
    for (const [rel, content] of renderAnsibleAsCli(parseConfig({}))) {
      const file = path.join(dir, 'dist', 'ansible', rel);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, content);
    }
    // the checkout the first commands make (read-only here: a link to the pinned tree)
    fs.symlinkSync(KUBESPRAY, path.join(dir, 'kubespray'));
    // the ansible-playbook that kubespray's requirements.txt installs: ansible-core 2.16
    const bin = path.join(dir, 'bin');
    fs.mkdirSync(bin);
    const python = fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
    fs.writeFileSync(path.join(bin, 'ansible-playbook'), `#!/bin/sh\nexec ${python} ${path.join(UPSTREAM, 'ansible-core-v2.16.12/lib/ansible/cli/playbook.py')} "$@"\n`, { mode: 0o755 });
    env = {
      PATH: `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}`,
      HOME: dir,
      PYTHONPATH: path.join(UPSTREAM, 'ansible-core-v2.16.12/lib'),
      ANSIBLE_COLLECTIONS_PATH: UPSTREAM,
      ANSIBLE_HOME: path.join(dir, '.ansible'),
      ANSIBLE_LOCAL_TEMP: path.join(dir, '.ansible', 'tmp'),
      ANSIBLE_NOCOLOR: '1',
    };
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  function sh(command: string) {
    const r = spawnSync('bash', ['-c', command], { cwd: dir, env, encoding: 'utf8', timeout: 120_000 });
    return { status: r.status, out: `${r.stdout ?? ''}${r.stderr ?? ''}` };
  }

  it("kubespray's cluster.yml, as documented, is the default track's command, which passes --syntax-check with kubespray v2.28.1 below", () => {
    // one run of it, there, with the default track's dist/ansible (the seed's, byte for byte)
    expect(DEFAULT_TRACK).toBe('kpaas-1.6.2');
    expect(TRACKS[DEFAULT_TRACK].kubespray.version).toBe('v2.28.1');
    expect(kubesprayCommands(TRACKS[DEFAULT_TRACK].kubespray.version).at(-1)).toBe(CLUSTER_COMMAND);
    expect(renderAnsibleAsCli(parseConfig({ versions: { track: DEFAULT_TRACK } }))).toEqual(renderAnsibleAsCli(parseConfig({})));
  });

  it('fails as the issue reported without ANSIBLE_CONFIG (kubespray reads its ansible.cfg only from its folder)', () => {
    const r = sh(`${CLUSTER_COMMAND.replace(/^ANSIBLE_CONFIG=\S+ /, '')} --syntax-check`);
    expect(r.out).toMatch(/the role 'validate_inventory' was not found/);
    expect(r.status).not.toBe(0);
  }, 120_000);

  it('the etcd restore playbook, as documented, passes --syntax-check', () => {
    const r = sh(`${ETCD_RESTORE_COMMAND} --syntax-check`);
    expect(r.out).not.toMatch(/ERROR!/);
    expect(r.out).toContain('playbook: dist/ansible/playbooks/etcd-restore.yml');
    expect(r.status).toBe(0);
  }, 120_000);

  it('the MetalLB playbook, as documented, passes --syntax-check', () => {
    const r = sh(`${METALLB_COMMAND} --syntax-check`);
    expect(r.out).not.toMatch(/ERROR!/);
    expect(r.status).toBe(0);
  }, 120_000);
});

/** A project folder with a track's dist/ansible, a `kubespray` link to its tree and the ansible-playbook of the offline checks on PATH. */
function trackProject(id: TrackId): { dir: string; env: NodeJS.ProcessEnv } {
  const target = probeTarget(id);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kpaas-commands-'));
  for (const [rel, content] of renderAnsibleAsCli(parseConfig({ versions: { track: id } }))) {
    const file = path.join(dir, 'dist', 'ansible', rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  }
  fs.symlinkSync(target.kubespray, path.join(dir, 'kubespray'));
  const bin = path.join(dir, 'bin');
  fs.mkdirSync(bin);
  const python = fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
  fs.writeFileSync(path.join(bin, 'ansible-playbook'), `#!/bin/sh\nexec ${python} ${path.join(target.ansibleCore, 'lib/ansible/cli/playbook.py')} "$@"\n`, { mode: 0o755 });
  return {
    dir,
    env: {
      PATH: `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}`,
      HOME: dir,
      PYTHONPATH: path.join(target.ansibleCore, 'lib'),
      ANSIBLE_COLLECTIONS_PATH: UPSTREAM,
      ANSIBLE_HOME: path.join(dir, '.ansible'),
      ANSIBLE_LOCAL_TEMP: path.join(dir, '.ansible', 'tmp'),
      ANSIBLE_NOCOLOR: '1',
    },
  };
}

describe.each(TRACK_IDS.map((id) => [id]))('the kubespray command of release track %s, run without hosts', (id) => {
  const track = TRACKS[id];
  const missing = probeUnavailable(probeTarget(id));
  if (missing) console.warn(`SKIPPED: kubespray command of track ${id} not run: ${missing}`);
  const command = kubesprayCommands(track.kubespray.version).at(-1)!;

  it("is the one its dist/ansible README prints", () => {
    expect(renderAnsibleAsCli(parseConfig({ versions: { track: id } })).get('README.md')).toContain(command);
  });

  (missing ? it.skip : it)(`passes --syntax-check with cluster.yml and upgrade-cluster.yml of kubespray ${track.kubespray.version}`, () => {
    const { dir, env } = trackProject(id);
    try {
      const playbooks = ['cluster.yml', 'upgrade-cluster.yml'];
      const run = command.replace('kubespray/cluster.yml', playbooks.map((p) => `kubespray/${p}`).join(' '));
      const r = spawnSync('bash', ['-c', `${run} --syntax-check`], { cwd: dir, env, encoding: 'utf8', timeout: 180_000 });
      const out = `${r.stdout ?? ''}${r.stderr ?? ''}`;
      expect(out).not.toMatch(/ERROR!/);
      for (const p of playbooks) expect(out).toContain(`playbook: kubespray/${p}`);
      expect(r.status).toBe(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
