/**
 * The backup timer's off-site copy at work: the backup script rendered by ansible's template module
 * from the inventory of a config with backup.objectStorage, run with the real rclone against a fake
 * S3 endpoint on loopback (fake-s3.ts) and a fake etcdctl. Also the restore script, with a fake
 * etcdutl and an /etc/etcd.env as kubespray writes it. Skipped visibly without ansible or rclone
 * (.ci/run installs both).
 */
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { parseConfig } from '../../config';
import { ETCD_BACKUP_UPLOAD, ETCD_RESTORE, ETCD_SNAPSHOT, etcdSnapshotName } from '../../ansible/kpaas-vars';
import { FakeS3 } from './fake-s3';
import { installed, itWithTools, LOCAL_COPY_ACTION, removeTree, renderAnsibleAsCli, restoreCheckPlay, restoreVerdicts, run, writeTree } from './support';

const BUCKET = 'kpaas-backups';
const ACCESS_KEY = 'KPAASTESTACCESSKEY';
const SECRET_KEY = 'kpaas-test-secret-value';
const config = parseConfig({ cloud: { provider: 'openstack' }, name: 'prod', backup: { objectStorage: { bucket: BUCKET, keep: 2 } } });
/** A snapshot name other than the synthesized one (kpaas_etcd_snapshot's keys), "." in both parts. */
const RENAMED = { prefix: 'snap.', time_format: '%Y%m%d%H%M%S', time_pattern: '[0-9]{14}', suffix: '.bin' };
/**
 * A name whose prefix and suffix hold ERE metacharacters: as a grep -E pattern, `+(x)` is no longer
 * literal and `|` splits it in two (`^...\.d` or `b$`), so a clean-up by that pattern would keep the
 * member's snapshots and delete other files.
 */
const META = { prefix: 'etcd+(x)', time_format: '%Y%m%dT%H%M%S', time_pattern: '[0-9]{8}T[0-9]{6}', suffix: '.d|b' };
const metaName = (node: string, time: string) => `${META.prefix}${node}-${time}${META.suffix}`;
/** In the bucket folder of master-2 before the META backup runs: its own old snapshots, then names that are not its own. */
const META_OLDS = [1, 2, 3].map((day) => metaName('master-2', `2026010${day}T020000`));
const META_OTHERS = [
  'etcddxmaster-2-20260104T020000.d', // the ERE's first branch: prefix as a pattern, no end anchor
  'notes.b', // its second branch: anything ending in b
  metaName('master-1', '20260105T020000'), // another member's name
  `${metaName('master-2', '20260106T020000')}.gz`,
];

/** Runs a script without blocking the event loop the fake S3 answers on. */
function runScript(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('bash', args, { env: { PATH: process.env.PATH, HOME: '/nonexistent', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

const rcloneMissing = !installed(ETCD_BACKUP_UPLOAD.rclone);
if (rcloneMissing) console.warn(`SKIPPED: ${ETCD_BACKUP_UPLOAD.rclone} not installed (Debian/Ubuntu: apt-get install rclone)`);
const it = rcloneMissing ? test.skip : itWithTools('ansible-playbook');

/** The Jinja expression of etcd-restore.yml's snapshot check (its first task's pattern), as written in the playbook. */
function restorePattern(dir: string): string {
  const plays = parse(fs.readFileSync(path.join(dir, 'playbooks/etcd-restore.yml'), 'utf8')) as Array<{ tasks?: Array<{ vars?: Record<string, string> }> }>;
  const expr = plays.flatMap((p) => p.tasks ?? []).map((t) => t.vars?.kpaas_etcd_restore_snapshot_re).find((v) => v !== undefined);
  if (!expr) throw new Error('etcd-restore.yml has no kpaas_etcd_restore_snapshot_re');
  return expr;
}

describe('etcd snapshots uploaded to object storage', () => {
  const s3 = new FakeS3(BUCKET);
  let dir = '';
  let backups = '';
  let script = '';
  let restore = '';
  let credentials = '';

  beforeAll(async () => {
    if (rcloneMissing || !installed('ansible-playbook')) return;
    const endpoint = await s3.start();
    dir = writeTree(renderAnsibleAsCli(config));
    backups = path.join(dir, 'backups');
    fs.mkdirSync(backups);
    credentials = path.join(dir, 'objectstorage.env');
    // as an operator writes it; CRLF line ends and a comment must not matter
    fs.writeFileSync(credentials, `# Kakao S3 access key\r\n${ETCD_BACKUP_UPLOAD.accessKeyVar}=${ACCESS_KEY}\r\n${ETCD_BACKUP_UPLOAD.secretKeyVar}=${SECRET_KEY}`, { mode: 0o600 });
    fs.writeFileSync(path.join(dir, 'fake-etcdctl'), '#!/bin/sh\n[ "$1" = snapshot ] && [ "$2" = save ] && echo "snapshot of master-2" > "$3"\n', { mode: 0o755 });
    // the settings synth wrote, with the endpoint and credentials file of this test
    const vars = parse(fs.readFileSync(path.join(dir, 'inventory/group_vars/all/kpaas.yml'), 'utf8'));
    const objectStorage = { ...vars.kpaas_etcd_backup_objectstorage, endpoint, credentials_file: credentials };
    const render = (src: string, dest: string, extra: Record<string, unknown>) => ({
      name: `Render ${src}`,
      hosts: 'master-2',
      connection: 'local',
      gather_facts: false,
      tasks: [{ name: `Template ${src}`, 'ansible.builtin.template': { src: `playbooks/templates/${src}`, dest: path.join(dir, dest), mode: '0755' }, vars: extra }],
    });
    fs.writeFileSync(path.join(dir, 'render.yml'), JSON.stringify([
      render('kpaas-etcd-backup.sh.j2', 'backup.sh', { kpaas_etcd_backup_dir: backups, kpaas_etcdctl: path.join(dir, 'fake-etcdctl'), kpaas_etcd_backup_objectstorage: objectStorage }),
      render('kpaas-etcd-restore.sh.j2', 'restore.sh', { kpaas_etcd_env_file: path.join(dir, 'etcd.env'), kpaas_etcdutl: path.join(dir, 'fake-etcdutl') }),
      render('kpaas-etcd-restore.sh.j2', 'restore-renamed.sh', { kpaas_etcd_snapshot: RENAMED }),
      render('kpaas-etcd-backup.service.j2', 'backup.service', {}),
      // the same script with an rclone that only records the remote's key pair it is given
      render('kpaas-etcd-backup.sh.j2', 'backup-fake-rclone.sh', {
        kpaas_etcd_backup_dir: backups,
        kpaas_etcd_backup_rclone: path.join(dir, 'fake-rclone'),
        kpaas_etcd_backup_objectstorage: { ...objectStorage, credentials_file: path.join(dir, 'exported.env') },
      }),
      // the same script with another snapshot name: every place that writes or matches the name reads kpaas_etcd_snapshot
      render('kpaas-etcd-backup.sh.j2', 'backup-renamed.sh', {
        kpaas_etcd_backup_dir: path.join(dir, 'renamed'),
        kpaas_etcd_backup_keep: 2,
        kpaas_etcdctl: path.join(dir, 'fake-etcdctl'),
        kpaas_etcd_backup_objectstorage: { ...objectStorage, path: 'renamed/prod' },
        kpaas_etcd_snapshot: RENAMED,
      }),
      // and with ERE metacharacters in prefix and suffix
      render('kpaas-etcd-backup.sh.j2', 'backup-meta.sh', {
        kpaas_etcd_backup_dir: path.join(dir, 'meta'),
        kpaas_etcd_backup_keep: 2,
        kpaas_etcdctl: path.join(dir, 'fake-etcdctl'),
        kpaas_etcd_backup_objectstorage: { ...objectStorage, path: 'meta/prod' },
        kpaas_etcd_snapshot: META,
      }),
      // the restore playbook's own check on the same names
      restoreCheckPlay(dir, 'master-2', [...META_OLDS, ...META_OTHERS].map((f) => `master-2/${f}`).concat(`master-1/${metaName('master-1', '20260105T020000')}`), path.join(dir, 'restore-meta.txt'), META),
      // the pattern the restore playbook checks its -e kpaas_etcd_restore_snapshot against, as ansible evaluates it
      {
        name: 'The restore playbook\'s snapshot pattern',
        hosts: 'master-2',
        connection: 'local',
        gather_facts: false,
        tasks: [{ name: 'Write it', 'ansible.builtin.copy': { content: '{{ kpaas_etcd_restore_snapshot_re }}', dest: path.join(dir, 'restore-pattern.txt') }, vars: { kpaas_etcd_restore_snapshot_re: restorePattern(dir) } }],
      },
    ]));
    fs.mkdirSync(path.join(dir, 'action_plugins'));
    fs.writeFileSync(path.join(dir, 'action_plugins', 'copy.py'), LOCAL_COPY_ACTION);
    const r = run('ansible-playbook', ['-i', 'inventory', 'render.yml'], dir);
    if (r.status !== 0) throw new Error(`rendering the scripts failed: ${r.stdout}${r.stderr}`);
    script = path.join(dir, 'backup.sh');
    restore = path.join(dir, 'restore.sh');
  });

  afterAll(async () => {
    await s3.stop().catch(() => undefined);
    if (dir) removeTree(dir);
  });

  it('renders scripts bash accepts, and a unit that runs the script once the network is up', () => {
    expect(spawnSync('bash', ['-n', script]).status).toBe(0);
    expect(spawnSync('bash', ['-n', restore]).status).toBe(0);
    const unit = fs.readFileSync(path.join(dir, 'backup.service'), 'utf8');
    expect(unit).toContain('\nWants=network-online.target\nAfter=network-online.target\n');
    // a oneshot: the script's exit status is the unit's result (a failed upload shows as failed)
    expect(unit).toContain('\nType=oneshot\nExecStart=/usr/local/sbin/kpaas-etcd-backup\n');
  });

  it('uploads the snapshot to <prefix>/<cluster>/<node>/ and keeps the newest ones there', async () => {
    const folder = 'etcd-snapshots/prod/master-2';
    for (const day of [1, 2, 3]) s3.put(`${folder}/etcd-master-2-2026010${day}T020000.db`, 'old');
    s3.put('etcd-snapshots/prod/master-1/etcd-master-1-20260101T020000.db', 'other member');
    s3.put(`${folder}/notes.txt`, 'not a snapshot');
    s3.requests.length = 0;

    const r = await runScript([script]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const made = fs.readdirSync(backups).filter((f) => /^etcd-master-2-\d{8}T\d{6}\.db$/.test(f));
    expect(made).toHaveLength(1);
    const key = `${folder}/${made[0]}`;
    // the upload, at the expected key, with the key pair of the credentials file
    const puts = s3.requests.filter((q) => q.method === 'PUT');
    expect(puts.map((q) => q.path)).toEqual([`/${BUCKET}/${key}`]);
    expect(puts[0].credential).toContain(`${ACCESS_KEY}/`);
    expect(s3.objects.get(`${BUCKET}/${key}`)?.body.toString()).toBe('snapshot of master-2\n');
    // keep 2: the new one and the newest old one; other members and other files untouched
    expect(s3.keys()).toEqual([
      'etcd-snapshots/prod/master-1/etcd-master-1-20260101T020000.db',
      `${folder}/etcd-master-2-20260103T020000.db`,
      key,
      `${folder}/notes.txt`,
    ].sort());
    expect(s3.requests.filter((q) => q.method === 'DELETE').map((q) => q.path).sort()).toEqual([
      `/${BUCKET}/${folder}/etcd-master-2-20260101T020000.db`,
      `/${BUCKET}/${folder}/etcd-master-2-20260102T020000.db`,
    ]);
    // never a bucket created or a secret printed
    expect(s3.requests.filter((q) => q.method === 'PUT' && q.path === `/${BUCKET}`)).toEqual([]);
    expect(`${r.stdout}${r.stderr}`).not.toContain(SECRET_KEY);
    expect(r.stdout).toContain(`etcd snapshot uploaded: ${ETCD_BACKUP_UPLOAD.remote}:${BUCKET}/${key}`);
  }, 60_000);

  // after the upload above: the snapshot it made
  it('names a snapshot as the restore playbook asks for one: <node>/<the file the backup wrote>', () => {
    // Python's named group and end of text, as JavaScript spells them (the constructs the two write differently;
    // Python's `$` would also match before a final newline, hence `\Z`)
    const python = fs.readFileSync(path.join(dir, 'restore-pattern.txt'), 'utf8').trim();
    const pattern = new RegExp(python.replace('(?P<node>', '(?<node>').replace('(?P=node)', '\\k<node>').replace(/\\Z$/, '$'));
    expect(pattern.source).not.toContain('?P');
    const made = fs.readdirSync(backups).filter((f) => f.endsWith('.db'));
    expect(made.length).toBeGreaterThan(0);
    for (const f of made) expect(`master-2/${f} ${pattern.test(`master-2/${f}`)}`).toBe(`master-2/${f} true`);
    // without the node, another time form or another suffix: refused
    expect([made[0], 'master-2/etcd-master-2-2026-01-01.db', `master-2/${made[0]}.gz`].filter((n) => pattern.test(n))).toEqual([]);
  });

  it('names, cleans up locally and in the bucket only by kpaas_etcd_snapshot', async () => {
    const local = path.join(dir, 'renamed');
    fs.mkdirSync(local);
    const folder = 'renamed/prod/master-2';
    const olds = [1, 2, 3].map((day) => `snap.master-2-2026010${day}020000.bin`);
    olds.forEach((f, i) => {
      fs.writeFileSync(path.join(local, f), 'old');
      const t = new Date(Date.UTC(2026, 0, i + 1, 2)).getTime() / 1000;
      fs.utimesSync(path.join(local, f), t, t);
      s3.put(`${folder}/${f}`, 'old');
    });
    // the synthesized name is not this script's: neither clean-up touches it
    const foreign = etcdSnapshotName('master-2', '20250101T020000');
    fs.writeFileSync(path.join(local, foreign), 'other name');
    s3.put(`${folder}/${foreign}`, 'other name');

    const r = await runScript([path.join(dir, 'backup-renamed.sh')]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const made = fs.readdirSync(local).filter((f) => /^snap\.master-2-\d{14}\.bin$/.test(f) && !olds.includes(f));
    expect(made).toHaveLength(1);
    // keep 2 locally and in the bucket (objectStorage.keep): the new one and the newest old one
    expect(fs.readdirSync(local).sort()).toEqual([foreign, olds[2], made[0]].sort());
    expect(s3.keys().filter((k) => k.startsWith(`${folder}/`))).toEqual([foreign, olds[2], made[0]].map((f) => `${folder}/${f}`).sort());
  }, 60_000);

  it('cleans up by prefix and suffix as plain strings, whatever characters they hold, and the restore check accepts the same names', async () => {
    const local = path.join(dir, 'meta');
    fs.mkdirSync(local);
    const folder = 'meta/prod/master-2';
    [...META_OLDS, ...META_OTHERS].forEach((f, i) => {
      fs.writeFileSync(path.join(local, f), 'old');
      const t = new Date(Date.UTC(2026, 0, i + 1, 2)).getTime() / 1000;
      fs.utimesSync(path.join(local, f), t, t);
      s3.put(`${folder}/${f}`, 'old');
    });

    const r = await runScript([path.join(dir, 'backup-meta.sh')]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const made = fs.readdirSync(local).filter((f) => f.startsWith(`${META.prefix}master-2-`) && f.endsWith(META.suffix) && !META_OLDS.includes(f));
    expect(made).toHaveLength(1);
    // keep 2 of its own (the new one and the newest old one) locally and in the bucket; the others untouched
    const kept = [...META_OTHERS, META_OLDS[2], made[0]].sort();
    const bucket = s3.keys().filter((k) => k.startsWith(`${folder}/`)).map((k) => k.slice(folder.length + 1));
    expect({ local: fs.readdirSync(local).sort(), bucket: bucket.sort() }).toEqual({ local: kept, bucket: kept });

    // etcd-restore.yml accepts exactly the names the clean-up took for this member's (and another member's in its own folder)
    expect(restoreVerdicts(path.join(dir, 'restore-meta.txt'))).toEqual({
      ...Object.fromEntries(META_OLDS.map((f) => [`master-2/${f}`, 'accepted'])),
      ...Object.fromEntries(META_OTHERS.map((f) => [`master-2/${f}`, 'refused'])),
      [`master-1/${metaName('master-1', '20260105T020000')}`]: 'accepted',
    });
  }, 60_000);

  it('sets the data directory aside with the time format of the snapshot names (kpaas_etcd_snapshot.time_format)', () => {
    expect(fs.readFileSync(restore, 'utf8')).toContain(`.before-restore-$(date +${ETCD_SNAPSHOT.timeFormat})"`);
    const renamed = fs.readFileSync(path.join(dir, 'restore-renamed.sh'), 'utf8');
    expect(renamed).toContain(`.before-restore-$(date +${RENAMED.time_format})"`);
    expect(renamed).not.toContain(ETCD_SNAPSHOT.timeFormat);
  });

  it('shows the snapshot name in the dist README and docs/ansible.md', () => {
    const readme = fs.readFileSync(path.join(dir, 'README.md'), 'utf8');
    expect(readme).toContain(`/backup/etcd/${etcdSnapshotName()}\``);
    expect(readme).toContain(`/<node>/${etcdSnapshotName()}\``);
    const docs = fs.readFileSync(path.join(__dirname, '../../docs/ansible.md'), 'utf8');
    expect(docs.match(/etcd-<node>-<time>\.db/g)).toHaveLength(2);
    expect(etcdSnapshotName()).toBe('etcd-<node>-<time>.db');
  });

  it('lists and fetches snapshots from the bucket', async () => {
    const listed = await runScript([script, 'list']);
    expect(listed.status).toBe(0);
    const names = listed.stdout.trim().split('\n');
    expect(names).toContain('etcd-master-2-20260103T020000.db');
    const other = await runScript([script, 'list'], { NODE: 'master-1' });
    expect(other.stdout).toBe('etcd-master-1-20260101T020000.db\n');
    const dest = path.join(dir, 'fetched.db');
    const fetched = await runScript([script, 'fetch', 'master-1/etcd-master-1-20260101T020000.db', dest]);
    expect(fetched.stderr).toBe('');
    expect(fetched.status).toBe(0);
    expect(fs.readFileSync(dest, 'utf8')).toBe('other member');
  }, 60_000);

  it('reads a key pair with "=" in and at the end of a value, quotes and export prefixes, never on a command line', async () => {
    const env = `RCLONE_CONFIG_${ETCD_BACKUP_UPLOAD.remote}`;
    const seen = path.join(dir, 'fake-rclone-seen');
    fs.writeFileSync(path.join(dir, 'fake-rclone'), `#!/bin/sh\nprintf '%s\\n' "$${env}_ACCESS_KEY_ID" "$${env}_SECRET_ACCESS_KEY" "$*" > ${JSON.stringify(seen)}\n`, { mode: 0o755 });
    const secret = 'abc/DEF+g=h=';
    fs.writeFileSync(path.join(dir, 'exported.env'), `export ${ETCD_BACKUP_UPLOAD.accessKeyVar}="${ACCESS_KEY}"\n${ETCD_BACKUP_UPLOAD.secretKeyVar}=${secret}\n`, { mode: 0o600 });
    const r = await runScript([path.join(dir, 'backup-fake-rclone.sh'), 'list']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const [access, got, args] = fs.readFileSync(seen, 'utf8').split('\n');
    expect(access).toBe(ACCESS_KEY);
    expect(got).toBe(secret);
    expect(args).not.toContain(secret);
    expect(args).not.toContain(ACCESS_KEY);
  });

  it('fails without the credentials file, and keeps the local snapshot', async () => {
    fs.renameSync(credentials, `${credentials}.away`);
    try {
      const before = new Set(fs.readdirSync(backups));
      await new Promise((resolve) => setTimeout(resolve, 1100)); // a new second: a new snapshot name
      const r = await runScript([script]);
      expect(r.status).not.toBe(0);
      expect(r.stderr).toContain(`no credentials file ${credentials}`);
      const made = fs.readdirSync(backups).filter((f) => !before.has(f));
      expect(made).toHaveLength(1);
      expect(r.stderr).toContain(`the local snapshot ${backups}/${made[0]} is kept`);
    } finally {
      fs.renameSync(`${credentials}.away`, credentials);
    }
  }, 60_000);

  it('fails when the endpoint is down, and keeps the local snapshot', async () => {
    await s3.stop();
    const before = new Set(fs.readdirSync(backups));
    await new Promise((resolve) => setTimeout(resolve, 1100));
    // rclone's own global settings from the environment (RCLONE_<FLAG>): one try instead of its
    // default 3 x 10, which take about 5 minutes against a closed port
    const r = await runScript([script], { RCLONE_RETRIES: '1', RCLONE_LOW_LEVEL_RETRIES: '1' });
    expect(r.status).not.toBe(0);
    const made = fs.readdirSync(backups).filter((f) => !before.has(f));
    expect(made).toHaveLength(1);
    expect(r.stderr).toContain(`upload to ${ETCD_BACKUP_UPLOAD.remote}:${BUCKET}/etcd-snapshots/prod/master-2/${made[0]} failed; the local snapshot ${backups}/${made[0]} is kept`);
  }, 60_000);

  it('restores a member with its own name and cluster settings from /etc/etcd.env', async () => {
    const data = path.join(dir, 'etcd-data');
    fs.mkdirSync(data);
    fs.writeFileSync(path.join(data, 'old'), 'before');
    // the keys of kubespray's etcd.env.j2, for master-2 of the seed
    fs.writeFileSync(path.join(dir, 'etcd.env'), [
      '# Environment file for etcd v3.5.16',
      `ETCD_DATA_DIR=${data}`,
      'ETCD_INITIAL_ADVERTISE_PEER_URLS=https://172.16.0.157:2380',
      'ETCD_INITIAL_CLUSTER_STATE=existing',
      'ETCD_INITIAL_CLUSTER_TOKEN=k8s_etcd',
      'ETCD_NAME=etcd2',
      'ETCD_INITIAL_CLUSTER=etcd1=https://172.16.0.192:2380,etcd2=https://172.16.0.157:2380,etcd3=https://172.16.0.254:2380',
      '',
    ].join('\n'));
    const calls = path.join(dir, 'etcdutl-calls');
    fs.writeFileSync(path.join(dir, 'fake-etcdutl'), `#!/bin/sh\necho "$@" >> ${JSON.stringify(calls)}\nif [ "$2" = restore ]; then prev=; for a; do [ "$prev" = --data-dir ] && d=$a; prev=$a; done; mkdir "$d"; fi\n`, { mode: 0o755 });
    const r = await runScript([restore, '/backup/etcd/restore/snapshot.db']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(fs.readFileSync(calls, 'utf8')).toBe(
      'snapshot status /backup/etcd/restore/snapshot.db\n' +
        'snapshot restore /backup/etcd/restore/snapshot.db --name etcd2 ' +
        '--initial-cluster etcd1=https://172.16.0.192:2380,etcd2=https://172.16.0.157:2380,etcd3=https://172.16.0.254:2380 ' +
        `--initial-cluster-token k8s_etcd --initial-advertise-peer-urls https://172.16.0.157:2380 --data-dir ${data} ` +
        `--bump-revision ${ETCD_RESTORE.revisionBump} --mark-compacted\n`,
    );
    // the previous data directory is set aside, not deleted
    const aside = fs.readdirSync(dir).filter((f) => f.startsWith('etcd-data.before-restore-'));
    expect(aside).toHaveLength(1);
    expect(aside[0]).toMatch(new RegExp(`^etcd-data\\.before-restore-${ETCD_SNAPSHOT.timePattern}$`));
    expect(fs.readFileSync(path.join(dir, aside[0], 'old'), 'utf8')).toBe('before');
  });
});

describe('the restore and backup playbooks', () => {
  const playbook = (name: string) => parse(fs.readFileSync(path.join(__dirname, '../../ansible/files/playbooks', name), 'utf8')) as any[];
  const restore = playbook('etcd-restore.yml');
  const index = (name: string) => restore.findIndex((p) => p.name === name);

  it('stops the whole restore at the first failure on any host until the control planes are back', () => {
    const last = index('Start every control plane');
    expect(last).toBeGreaterThan(0);
    for (const play of restore.slice(0, last + 1)) expect([play.name, play.any_errors_fatal]).toEqual([play.name, true]);
  });

  it('checks every member before it stops anything', () => {
    const check = restore[0];
    expect(check.hosts).toBe('etcd');
    expect(index('Stop every control plane')).toBeGreaterThan(0);
    const text = JSON.stringify(check.tasks);
    expect(text).toContain("etcd_deployment_type | default('host') == 'host'");
    expect(text).toContain('{{ kpaas_etcd_env_file }}');
    expect(text).toContain("is version(kpaas_etcdutl_min_version, '>=')");
  });

  it('parks and brings back the API server, controller-manager and scheduler', () => {
    const vars = parse(renderAnsibleAsCli(config).get('inventory/group_vars/all/kpaas.yml')!);
    expect(vars.kpaas_control_plane_manifests).toEqual(['kube-apiserver.yaml', 'kube-controller-manager.yaml', 'kube-scheduler.yaml']);
    for (const [play, verb] of [['Stop every control plane', 'Park'], ['Start every control plane', 'Put']]) {
      const task = restore[index(play)].tasks.find((t: any) => String(t.name).startsWith(verb));
      expect(task.loop).toBe('{{ kpaas_control_plane_manifests }}');
      expect(task['ansible.builtin.command'].argv.join(' ')).toContain('{{ item }}');
    }
  });

  it('skips starting a timer check mode has not installed', () => {
    const tasks = playbook('etcd-backup.yml')[0].tasks as any[];
    const unit = tasks.find((t) => t['ansible.builtin.template']?.dest === '/etc/systemd/system/kpaas-etcd-backup.timer');
    const start = tasks.find((t) => t['ansible.builtin.systemd']?.name === 'kpaas-etcd-backup.timer');
    expect(start.when).toBe(`not (ansible_check_mode and ${unit.register} is changed)`);
  });
});
