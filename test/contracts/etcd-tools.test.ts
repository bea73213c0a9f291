/**
 * The etcd backup and restore against what etcd's tools accept and print
 * (config/contracts/etcd-tools.ts): the backup and restore scripts, rendered by ansible for each
 * track and run with an etcdctl and etcdutl that record their arguments, and the restore playbook's
 * own etcdutl and etcdctl calls, and the commands the dist README shows, pass only commands and
 * flags the contract records, each present in the track's etcd; the playbook's etcdutl pre-check reads the version from the line etcdutl prints.
 * Where a fetched copy of etcd-io/etcd is at hand (../.mirror), the contract's facts are also found
 * in its tags; SKIPPED otherwise.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { parseConfig } from '../../config';
import {
  compareEtcdVersions, ETCD_COMMANDS, ETCD_REPO, ETCDCTL_API_ENV, ETCDUTL_VERSION_OUTPUT, etcdutlRestoreMinVersion,
  type EtcdCommand, type EtcdFlag,
} from '../../config/contracts/etcd-tools';
import { TRACK_IDS, TRACKS, type ReleaseTrack, type TrackId } from '../../config/tracks';
import { ETCD_RESTORE } from '../../ansible/kpaas-vars';
import { itWithTools, LOCAL_COPY_ACTION, removeTree, renderAnsibleAsCli, run, writeTree } from '../ansible/support';
import { hasMirror, showAt } from '../support/mirror';
import { UPSTREAM } from '../ansible/kubespray-probe';

const COMMANDS: ReadonlyArray<EtcdCommand> = Object.values(ETCD_COMMANDS);

/** The etcd releases a track may run: its kubespray's, and the K-PaaS fork's where it has one. */
const trackEtcds = (track: ReleaseTrack): string[] => [track.etcd.version, ...(track.etcd.kpaasFork ? [track.etcd.kpaasFork] : [])];
/** The oldest etcd a track may run: its kubespray's, or the K-PaaS fork's when older. */
const oldestEtcd = (track: ReleaseTrack): string => trackEtcds(track).sort(compareEtcdVersions)[0];
/** Every etcd release some track may run, once each. */
const ALL_TRACK_ETCDS = [...new Set(TRACK_IDS.flatMap((id) => trackEtcds(TRACKS[id])))];

/**
 * What is wrong with one call of an etcd tool (its arguments after the binary) for an etcd
 * release: a command the contract does not record, a flag that is not one of the command's or the
 * tool's own, or either newer than the release.
 */
export function callProblems(tool: 'etcdutl' | 'etcdctl', args: readonly string[], etcd: string): string[] {
  const global = COMMANDS.find((c) => c.tool === tool && c.words.length === 0)!;
  const problems: string[] = [];
  const positional: string[] = [];
  const flags: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (!args[i].startsWith('--')) { positional.push(args[i]); continue; }
    const [name, value] = [args[i].slice(2).split('=')[0], args[i].includes('=')];
    flags.push(name);
    const known = COMMANDS.flatMap((c) => (c.tool === tool ? c.flags : [])).find((f) => f.name === name);
    if (known && !known.bool && !value) i++; // its value is the next argument
  }
  const command = COMMANDS.filter((c) => c.tool === tool && c.words.length > 0 && c.words.every((w, i) => positional[i] === w))
    .sort((a, b) => b.words.length - a.words.length)[0];
  const call = `${tool} ${args.join(' ')}`;
  if (!command) return [`${call}: no command the contract records`];
  if (compareEtcdVersions(command.since, etcd) > 0) problems.push(`${call}: ${command.words.join(' ')} needs etcd ${command.since}, the track runs ${etcd}`);
  for (const name of flags) {
    const flag: EtcdFlag | undefined = [...command.flags, ...global.flags].find((f) => f.name === name);
    if (!flag) problems.push(`${call}: --${name} is not a flag of ${tool} ${command.words.join(' ')} the contract records`);
    else if (compareEtcdVersions(flag.since, etcd) > 0) problems.push(`${call}: --${name} needs etcd ${flag.since}, the track runs ${etcd}`);
  }
  return problems;
}

/** The flags of a call, without their values: `--cacert=/x` is `--cacert`. */
const flagNames = (args: readonly string[]): string[] => args.filter((a) => a.startsWith('--')).map((a) => a.split('=')[0]);

/** ETCDCTL_<X> variables that are not one of etcdctl's global flags (which etcdctl 3.6 reports as unrecognized). */
export function envProblems(names: readonly string[]): string[] {
  const flags = ETCD_COMMANDS.etcdctl.flags.map((f) => `ETCDCTL_${f.name.toUpperCase().replace(/-/g, '_')}`);
  return names.filter((n) => n.startsWith('ETCDCTL_') && !flags.includes(n)).map((n) => `${n} is not an etcdctl flag (etcdctl ${ETCDCTL_API_ENV.warned.ref} warns "unrecognized environment variable")`);
}

/** A jinja value of the playbook with the group_vars it reads filled in (other expressions as `X`). */
function resolve(text: string, vars: Record<string, any>): string {
  return text.replace(/\{\{\s*([a-z_.]+)\s*\}\}/g, (_, expr: string) => {
    const value = expr.split('.').reduce<any>((v, k) => v?.[k], vars);
    return typeof value === 'string' ? value : 'X';
  });
}

/** Every etcdutl and etcdctl call of the restore playbook (argv tasks), resolved, with the task's ETCDCTL_ variables. */
function playbookCalls(playbook: any[], vars: Record<string, any>): Array<{ tool: 'etcdutl' | 'etcdctl'; args: string[]; env: string[] }> {
  const tools: Record<string, 'etcdutl' | 'etcdctl'> = { '{{ kpaas_etcdutl }}': 'etcdutl', '{{ kpaas_etcdctl }}': 'etcdctl' };
  return playbook.flatMap((play) => (play.tasks ?? []) as any[]).flatMap((task) => {
    const argv: string[] | undefined = task['ansible.builtin.command']?.argv;
    const tool = argv && tools[argv[0]];
    return tool ? [{ tool, args: argv.slice(1).map((a) => resolve(a, vars)), env: Object.keys(task.environment ?? {}) }] : [];
  });
}

/** The words of a shell command line, double-quoted ones unquoted (enough for the READMEs' commands). */
const shellWords = (line: string): string[] => (line.match(/"[^"]*"|\S+/g) ?? []).map((w) => w.replace(/^"(.*)"$/, '$1'));

/**
 * Every etcdctl and etcdutl command a README shows: the lines of its code blocks (continuations
 * joined) and its inline code outside them, where they start with the tool and a subcommand.
 */
export function readmeCalls(readme: string): Array<{ tool: 'etcdutl' | 'etcdctl'; args: string[] }> {
  const lines = readme.split(/^[ \t]*```.*$/m).flatMap((part, i) => (i % 2 === 1
    ? part.replace(/\\\n/g, ' ').split('\n')
    : [...part.matchAll(/`([^`]+)`/g)].map((m) => m[1])));
  return lines.map((l) => l.trim()).filter((l) => /^(etcdctl|etcdutl) \S/.test(l)).map((l) => {
    const [tool, ...args] = shellWords(l);
    return { tool: tool as 'etcdutl' | 'etcdctl', args };
  });
}

const RESTORE_PLAYBOOK = parse(fs.readFileSync(path.join(__dirname, '../../ansible/files/playbooks/etcd-restore.yml'), 'utf8')) as any[];
const renderTrack = (track: TrackId) => renderAnsibleAsCli(parseConfig({ cloud: { provider: 'openstack' }, versions: { track } }));
const groupVars = (track: TrackId) => parse(renderTrack(track).get('inventory/group_vars/all/kpaas.yml')!);

describe.each(TRACK_IDS)('the etcd backup and restore on track %s against etcd\'s tools', (trackId) => {
  const track = TRACKS[trackId];
  const etcd = oldestEtcd(track);
  const vars = groupVars(trackId);

  it('runs an etcd with every restore flag (the playbook\'s minimum etcdutl), and requires that minimum', () => {
    expect(compareEtcdVersions(etcd, etcdutlRestoreMinVersion())).toBeGreaterThanOrEqual(0);
    expect(vars.kpaas_etcdutl_min_version).toBe(etcdutlRestoreMinVersion());
    expect(vars.kpaas_etcdutl_version_line).toBe(ETCDUTL_VERSION_OUTPUT.line);
  });

  it('calls etcdutl and etcdctl in the restore playbook with recorded commands and flags only, and no ETCDCTL_ variable that is not a flag', () => {
    const calls = playbookCalls(RESTORE_PLAYBOOK, vars);
    expect(calls.map((c) => `${c.tool} ${c.args.filter((a) => !a.startsWith('--')).slice(0, 2).join(' ')}`)).toEqual(['etcdutl version', 'etcdutl snapshot status', 'etcdctl endpoint health']);
    // written out here, not read from the contract the group_vars are made from, so a misspelt flag there fails without ../.mirror
    expect(calls.map((c) => flagNames(c.args))).toEqual([[], ['--write-out'], ['--endpoints', '--cacert', '--cert', '--key', '--cluster']]);
    expect(calls.flatMap((c) => [...callProblems(c.tool, c.args, etcd), ...envProblems(c.env)])).toEqual([]);
  });

  it('shows in the dist README only etcdutl and etcdctl commands and flags the contract records, on etcd\'s loopback client URL', () => {
    const readme = renderTrack(trackId).get('README.md')!;
    const calls = readmeCalls(readme);
    expect(calls.map((c) => `${c.tool} ${c.args.filter((a) => !a.startsWith('--')).slice(0, 2).join(' ')}`)).toEqual([
      'etcdctl snapshot save', 'etcdutl snapshot status', 'etcdctl endpoint health', 'etcdutl snapshot status', 'etcdutl snapshot restore', 'etcdctl endpoint health',
    ]);
    // written out here, not read from the contract readme.ts takes them from
    expect(calls.map((c) => flagNames(c.args))).toEqual([
      [], [], ['--cluster'], [],
      ['--name', '--initial-cluster', '--initial-cluster-token', '--initial-advertise-peer-urls', '--data-dir', '--bump-revision', '--mark-compacted'],
      ['--endpoints', '--cacert', '--cert', '--key', '--cluster'],
    ]);
    expect(calls.flatMap((c) => callProblems(c.tool, c.args, etcd))).toEqual([]);
    expect(calls[5].args[0]).toBe('--endpoints=https://127.0.0.1:2379');
    // the restore script's flags, as the text names them
    expect(readme).toContain(`\`--bump-revision ${ETCD_RESTORE.revisionBump} --mark-compacted\``);
  });
});

describe('the rendered backup and restore scripts against etcd\'s tools', () => {
  const it = itWithTools('ansible-playbook');
  const dirs: string[] = [];
  afterAll(() => dirs.forEach(removeTree));

  /** Renders both scripts for a track with a recording etcdctl and etcdutl, runs them and returns each call. */
  function calls(trackId: TrackId): Array<{ tool: 'etcdutl' | 'etcdctl'; args: string[]; env: string[] }> {
    const dir = writeTree(renderAnsibleAsCli(parseConfig({ cloud: { provider: 'openstack' }, versions: { track: trackId } })));
    dirs.push(dir);
    const log = path.join(dir, 'calls');
    // one line per call: the tool, its ETCDCTL_ variables and its arguments, separated by tabs
    const fake = (tool: string) => `#!/bin/bash\n{ printf '%s' ${tool}; printf '\\t%s' "$(env | grep -o '^ETCDCTL_[A-Z_]*' | tr '\\n' ' ')" "$@"; echo; } >> ${JSON.stringify(log)}\n` +
      `if [ "$1 $2" = 'snapshot restore' ]; then p=; for a; do [ "$p" = --data-dir ] && mkdir -p "$a"; p=$a; done; fi\n` +
      `if [ "$1 $2" = 'snapshot save' ]; then : > "$3"; fi\n`;
    for (const tool of ['etcdutl', 'etcdctl']) fs.writeFileSync(path.join(dir, `fake-${tool}`), fake(tool), { mode: 0o755 });
    fs.writeFileSync(path.join(dir, 'etcd.env'), ['ETCD_DATA_DIR=' + path.join(dir, 'data'), 'ETCD_INITIAL_ADVERTISE_PEER_URLS=https://172.16.0.157:2380', 'ETCD_INITIAL_CLUSTER_TOKEN=k8s_etcd',
      'ETCD_NAME=etcd2', 'ETCD_INITIAL_CLUSTER=etcd2=https://172.16.0.157:2380', ''].join('\n'));
    fs.mkdirSync(path.join(dir, 'backups'));
    const render = (src: string, dest: string, extra: Record<string, unknown>) => ({
      name: `Render ${src}`, hosts: 'master-2', connection: 'local', gather_facts: false,
      tasks: [{ name: `Template ${src}`, 'ansible.builtin.template': { src: `playbooks/templates/${src}`, dest: path.join(dir, dest), mode: '0755' }, vars: extra }],
    });
    fs.writeFileSync(path.join(dir, 'render.yml'), JSON.stringify([
      render('kpaas-etcd-backup.sh.j2', 'backup.sh', { kpaas_etcd_backup_dir: path.join(dir, 'backups'), kpaas_etcdctl: path.join(dir, 'fake-etcdctl') }),
      render('kpaas-etcd-restore.sh.j2', 'restore.sh', { kpaas_etcd_env_file: path.join(dir, 'etcd.env'), kpaas_etcdutl: path.join(dir, 'fake-etcdutl') }),
    ]));
    fs.mkdirSync(path.join(dir, 'action_plugins'));
    fs.writeFileSync(path.join(dir, 'action_plugins', 'copy.py'), LOCAL_COPY_ACTION);
    const r = run('ansible-playbook', ['-i', 'inventory', 'render.yml'], dir);
    if (r.status !== 0) throw new Error(`rendering the scripts failed: ${r.stdout}${r.stderr}`);
    for (const script of ['backup.sh', 'restore.sh']) {
      const s = spawnSync('bash', [path.join(dir, script), ...(script === 'restore.sh' ? [path.join(dir, 'snapshot.db')] : [])], { env: { PATH: process.env.PATH }, encoding: 'utf8' });
      if (s.status !== 0) throw new Error(`${script} failed: ${s.stderr}`);
    }
    return fs.readFileSync(log, 'utf8').trimEnd().split('\n').map((line) => {
      const [tool, env, ...args] = line.split('\t');
      return { tool: tool as 'etcdutl' | 'etcdctl', args, env: env.split(' ').filter(Boolean) };
    });
  }

  it.each(TRACK_IDS)('pass only recorded commands and flags, each in the etcd of track %s, and no ETCDCTL_ variable that is not a flag', (trackId) => {
    const made = calls(trackId);
    expect(made.map((c) => `${c.tool} ${c.args.slice(0, 2).join(' ')}`)).toEqual(['etcdctl snapshot save', 'etcdutl snapshot status', 'etcdutl snapshot restore']);
    const restore = made[2].args;
    // the flags as etcd's restore guide writes them, not read from the contract the templates take them from
    expect(made.map((c) => flagNames(c.args))).toEqual([
      ['--endpoints', '--cacert', '--cert', '--key'],
      [],
      ['--name', '--initial-cluster', '--initial-cluster-token', '--initial-advertise-peer-urls', '--data-dir', '--bump-revision', '--mark-compacted'],
    ]);
    expect(restore[restore.indexOf('--bump-revision') + 1]).toBe(String(ETCD_RESTORE.revisionBump));
    expect(made.flatMap((c) => [...callProblems(c.tool, c.args, oldestEtcd(TRACKS[trackId])), ...envProblems(c.env)])).toEqual([]);
  }, 60_000);

  it('reads the version in the restore playbook\'s pre-check from the line etcdutl prints, and refuses one older than the minimum', () => {
    const check = RESTORE_PLAYBOOK[0].tasks.find((t: any) => t['ansible.builtin.assert'] && JSON.stringify(t).includes('kpaas_etcdutl_version_line'));
    const dir = writeTree(renderAnsibleAsCli(parseConfig({ cloud: { provider: 'openstack' } })));
    dirs.push(dir);
    /** etcdutl's output as version_command.go prints it. */
    const output = (v: string) => [`etcdutl version: ${v}`, `API version: ${v.split('.').slice(0, 2).join('.')}`];
    const verdict = (lines: string[]) => {
      fs.writeFileSync(path.join(dir, 'check.yml'), JSON.stringify([{
        name: 'The pre-check', hosts: 'master-2', connection: 'local', gather_facts: false,
        vars: { kpaas_etcdutl_version: { stdout_lines: lines } }, tasks: [check],
      }]));
      return run('ansible-playbook', ['-i', 'inventory', 'check.yml'], dir).status === 0 ? 'accepted' : 'refused';
    };
    const tracks = TRACK_IDS.map((id) => oldestEtcd(TRACKS[id]));
    expect(tracks.map((v) => [v, verdict(output(v))])).toEqual(tracks.map((v) => [v, 'accepted']));
    expect(verdict(output('3.5.9'))).toBe('refused');
    expect(verdict(['3.6.10'])).toBe('refused');
  }, 120_000);
});

describe('the etcd tools contract', () => {
  it('fails on seeded calls: an unknown flag, a flag newer than the etcd, an unknown command, ETCDCTL_API', () => {
    expect(callProblems('etcdutl', ['snapshot', 'restore', 's.db', '--bump-revision', '5', '--mark-compacted', '--skip-hash-check'], '3.5.9')).toEqual([
      'etcdutl snapshot restore s.db --bump-revision 5 --mark-compacted --skip-hash-check: --bump-revision needs etcd v3.5.10, the track runs 3.5.9',
      'etcdutl snapshot restore s.db --bump-revision 5 --mark-compacted --skip-hash-check: --mark-compacted needs etcd v3.5.10, the track runs 3.5.9',
      'etcdutl snapshot restore s.db --bump-revision 5 --mark-compacted --skip-hash-check: --skip-hash-check is not a flag of etcdutl snapshot restore the contract records',
    ]);
    expect(callProblems('etcdctl', ['snapshot', 'restore', 's.db'], '3.6.10')).toEqual(['etcdctl snapshot restore s.db: no command the contract records']);
    expect(envProblems(['ETCDCTL_API', 'ETCDCTL_CACERT'])).toEqual(['ETCDCTL_API is not an etcdctl flag (etcdctl v3.6.10 warns "unrecognized environment variable")']);
  });

  it('matches etcdutl\'s version line only as a whole line, the version in its group', () => {
    const line = new RegExp(ETCDUTL_VERSION_OUTPUT.line);
    expect('etcdutl version: 3.6.10'.match(line)?.[1]).toBe('3.6.10');
    for (const other of ['etcdctl version: 3.6.10', 'API version: 3.6', 'etcdutl version: 3.6', ' etcdutl version: 3.6.10']) expect([other, line.test(other)]).toEqual([other, false]);
  });
});

/**
 * The etcd a kubespray release installs for a Kubernetes minor: etcd_supported_versions[minor],
 * either a version or `(etcd_binary_checksums['amd64'].keys() | select('version', '<cap>', '<'))[0]`.
 */
function kubesprayEtcd(read: (file: string) => string | undefined, minor: string): string | undefined {
  const entry = ['roles/kubespray_defaults/defaults/main/download.yml', 'roles/kubespray_defaults/vars/main/main.yml'].map(read)
    .map((t) => t?.match(new RegExp(`^etcd_supported_versions:\\n(?:  .*\\n)*?  '${minor.replace('.', '[.]')}': (.*)$`, 'm'))?.[1]).find(Boolean);
  if (!entry) return undefined;
  if (/^[0-9.]+$/.test(entry)) return entry;
  const cap = entry.match(/^"\{\{ \(etcd_binary_checksums\['amd64'\]\.keys\(\) \| select\('version', '([0-9.]+)', '<'\)\)\[0\] \}\}"$/)?.[1];
  const checksums = read('roles/kubespray_defaults/vars/main/checksums.yml');
  if (!cap || !checksums) return undefined;
  return Object.keys(parse(checksums).etcd_binary_checksums.amd64).map(String).find((v) => compareEtcdVersions(v, cap) < 0);
}
const treesPresent = TRACK_IDS.every((id) => fs.existsSync(path.join(UPSTREAM, TRACKS[id].kubespray.tree)));
if (!treesPresent) console.warn(`SKIPPED: kubespray trees not found in ${UPSTREAM}; the tracks' etcd not compared with kubespray`);
const CP_DEPLOYMENT = 'K-PaaS/cp-deployment';
if (!hasMirror(CP_DEPLOYMENT)) console.warn(`SKIPPED: ${CP_DEPLOYMENT} is not in ../.mirror; the K-PaaS fork's etcd not compared`);

describe('the etcd each track installs, in its kubespray', () => {
  (treesPresent ? it : it.skip).each(TRACK_IDS)('finds the etcd of track %s as its kubespray\'s etcd_version default', (id) => {
    const track = TRACKS[id];
    const root = path.join(UPSTREAM, track.kubespray.tree);
    const read = (file: string) => (fs.existsSync(path.join(root, file)) ? fs.readFileSync(path.join(root, file), 'utf8') : undefined);
    expect(kubesprayEtcd(read, track.kubernetes.minor)).toBe(track.etcd.version);
  });

  (hasMirror(CP_DEPLOYMENT) ? it : it.skip)('finds the K-PaaS v1.6.2 fork\'s etcd in cp-deployment at v1.6.2', () => {
    const track = TRACKS['kpaas-1.6.2'];
    const read = (file: string) => { try { return showAt({ repo: CP_DEPLOYMENT, ref: 'v1.6.2', path: `standalone/${file}` }); } catch { return undefined; } };
    expect(kubesprayEtcd(read, track.kubernetes.minor)).toBe(track.etcd.kpaasFork);
  });
});

const haveMirror = hasMirror(ETCD_REPO);
if (!haveMirror) console.warn(`SKIPPED: ${ETCD_REPO} is not in ../.mirror; the etcd tools contract is not compared with etcd's source`);
const mirrorIt = haveMirror ? it : it.skip;

describe('the contract\'s facts in etcd\'s own source', () => {
  // the newest etcd any track runs: where every flag and command must still be
  const newest = `v${[...ALL_TRACK_ETCDS].sort(compareEtcdVersions).at(-1)!}`;
  /** Whether a file declares the flag (`Flags().XxxVar(&v, "<name>"` or `PersistentFlags()`). */
  const declares = (ref: string, file: string, name: string): boolean => {
    try {
      return new RegExp(`Flags\\(\\)\\.\\w+\\([^,]+, "${name}"`).test(showAt({ repo: ETCD_REPO, ref, path: file }));
    } catch { return false; }
  };

  mirrorIt('finds each flag from its first tag on (at every track\'s etcd), and not in the tag before', () => {
    const later = ALL_TRACK_ETCDS.map((v) => `v${v}`);
    const problems = COMMANDS.flatMap((c) => c.flags.flatMap((f) => [
      ...(declares(f.since, f.source.path, f.name) ? [] : [`--${f.name} missing at ${f.since}`]),
      ...later.filter((ref) => !declares(ref, f.source.path, f.name)).map((ref) => `--${f.name} missing at ${ref}`),
      ...(f.before && declares(f.before, f.source.path, f.name) ? [`--${f.name} already at ${f.before}`] : []),
    ]));
    expect(problems).toEqual([]);
  });

  mirrorIt('finds each command where the contract says, from its first tag to the newest etcd of a track', () => {
    const problems = COMMANDS.filter((c) => c.words.length > 0).flatMap((c) => [c.since, newest].flatMap((ref) => {
      const last = c.words.at(-1)!;
      // the command's own file, or, for etcdctl snapshot save at v3.6, the same file (restore and status moved to etcdutl)
      const text = showAt({ repo: ETCD_REPO, ref, path: c.source.path });
      return new RegExp(`Use:\\s+"${last}[ "]`).test(text) ? [] : [`${c.tool} ${c.words.join(' ')} missing at ${ref}`];
    }));
    expect(problems).toEqual([]);
  });

  mirrorIt('finds `etcdutl version` printing the line the pre-check reads, with the release as its version, at every track\'s etcd', () => {
    for (const v of ALL_TRACK_ETCDS) {
      const ref = `v${v}`;
      expect(showAt({ ...ETCDUTL_VERSION_OUTPUT.source, ref })).toContain('fmt.Println("etcdutl version:", version.Version)');
      const release = showAt({ ...ETCDUTL_VERSION_OUTPUT.version, ref }).match(/\n\tVersion\s+= "([^"]+)"/)?.[1];
      expect([ref, `etcdutl version: ${release}`.match(new RegExp(ETCDUTL_VERSION_OUTPUT.line))?.[1]]).toEqual([ref, v]);
    }
  });

  mirrorIt('finds ETCDCTL_API read by etcdctl v3.5 and not by v3.6, whose flag parsing warns about it', () => {
    expect(showAt(ETCDCTL_API_ENV.read)).toContain(`apiEnv = "${ETCDCTL_API_ENV.name}"`);
    expect(showAt(ETCDCTL_API_ENV.notRead)).not.toContain(ETCDCTL_API_ENV.name);
    expect(showAt(ETCDCTL_API_ENV.warned)).toContain('"unrecognized environment variable"');
  });
});
