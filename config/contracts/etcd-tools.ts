/**
 * What etcd's command-line tools accept and print, as data from etcd's source: the etcdutl and
 * etcdctl commands and flags the backup script, the restore script and the restore playbook run
 * (ansible/files/playbooks), the first release that has each, and the line `etcdutl version`
 * prints that the restore's pre-check reads. Read in etcd-io/etcd at v3.5.0 (the first release
 * with etcdutl), v3.5.9/v3.5.10 (where the restore's revision flags came in), and at the etcd every
 * track's kubespray (and K-PaaS fork) installs (config/tracks.ts `etcd`, the one list of those tags).
 * test/contracts/etcd-tools.test.ts holds the rendered scripts and playbook against these facts
 * and, where etcd-io/etcd is in ../../.mirror, the facts against its tags.
 */
import type { UpstreamFile } from './images';

export const ETCD_REPO = 'etcd-io/etcd';

const at = (ref: string, path: string, note?: string): UpstreamFile => ({ repo: ETCD_REPO, ref, path, ...(note ? { note } : {}) });

/** One flag of a command, as its cobra flag set declares it (`Flags().XxxVar(&v, "<name>", ...)`). */
export interface EtcdFlag {
  /** The flag without its dashes. */
  readonly name: string;
  /** First release tag that declares it; `before` is the tag read just before it, which lacks it. */
  readonly since: string;
  readonly before?: string;
  /** Whether it takes no value (a bool flag). */
  readonly bool?: boolean;
  /** The file declaring it (at `since`; also declared there at every later tag read). */
  readonly source: UpstreamFile;
}

/** One command of a tool and the flags of it the project passes. */
export interface EtcdCommand {
  readonly tool: 'etcdutl' | 'etcdctl';
  /** The subcommand words, e.g. `['snapshot', 'restore']`; the global flags have none. */
  readonly words: readonly string[];
  /** First release tag with the command. */
  readonly since: string;
  readonly flags: readonly EtcdFlag[];
  /** Where the command is declared (cobra `Use:` of its last word). */
  readonly source: UpstreamFile;
}

const UTL_SNAPSHOT = 'etcdutl/etcdutl/snapshot_command.go';
const CTL_GLOBAL = 'etcdctl/ctlv3/ctl.go';
const restoreFlag = (name: string, since = 'v3.5.0', before?: string, bool?: boolean): EtcdFlag =>
  ({ name, since, ...(before ? { before } : {}), ...(bool ? { bool } : {}), source: at(since, UTL_SNAPSHOT, 'NewSnapshotRestoreCommand: cmd.Flags()') });
const ctlGlobal = (name: string): EtcdFlag => ({ name, since: 'v3.5.0', source: at('v3.5.0', CTL_GLOBAL, 'rootCmd.PersistentFlags()') });

/**
 * The commands, keyed by what the project does with them. Every flag in a rendered script or in
 * the restore playbook is one of these (test/contracts/etcd-tools.test.ts); ansible/kpaas-vars.ts
 * passes the flag names from here to the templates (`kpaas_etcd_flags`).
 */
export const ETCD_COMMANDS = {
  /** etcdutl's own flags, before any subcommand. */
  etcdutl: { tool: 'etcdutl', words: [], since: 'v3.5.0', flags: [{ name: 'write-out', since: 'v3.5.0', source: at('v3.5.0', 'etcdutl/ctl.go', 'rootCmd.PersistentFlags().StringVarP(..., "write-out", "w", ...)') }], source: at('v3.5.0', 'etcdutl/ctl.go') },
  etcdutlVersion: { tool: 'etcdutl', words: ['version'], since: 'v3.5.0', flags: [], source: at('v3.5.0', 'etcdutl/etcdutl/version_command.go', 'Use: "version"') },
  etcdutlSnapshotStatus: { tool: 'etcdutl', words: ['snapshot', 'status'], since: 'v3.5.0', flags: [], source: at('v3.5.0', UTL_SNAPSHOT, 'Use: "status <filename>"') },
  etcdutlSnapshotRestore: {
    tool: 'etcdutl',
    words: ['snapshot', 'restore'],
    since: 'v3.5.0',
    flags: [
      restoreFlag('data-dir'),
      restoreFlag('name'),
      restoreFlag('initial-cluster'),
      restoreFlag('initial-cluster-token'),
      restoreFlag('initial-advertise-peer-urls'),
      // etcd-io/etcd#16165 (CHANGELOG-3.5.md, v3.5.10): absent at v3.5.9
      restoreFlag('bump-revision', 'v3.5.10', 'v3.5.9'),
      restoreFlag('mark-compacted', 'v3.5.10', 'v3.5.9', true),
    ],
    source: at('v3.5.0', UTL_SNAPSHOT, 'Use: "restore <filename> --data-dir {output dir} [options]"'),
  },
  /** etcdctl's global flags (also readable as ETCDCTL_<FLAG> variables, pkg/flags FlagToEnv). */
  etcdctl: { tool: 'etcdctl', words: [], since: 'v3.5.0', flags: ['endpoints', 'cacert', 'cert', 'key'].map(ctlGlobal), source: at('v3.5.0', CTL_GLOBAL) },
  etcdctlSnapshotSave: { tool: 'etcdctl', words: ['snapshot', 'save'], since: 'v3.5.0', flags: [], source: at('v3.5.0', 'etcdctl/ctlv3/command/snapshot_command.go', 'Use: "save <filename>"') },
  etcdctlEndpointHealth: {
    tool: 'etcdctl',
    words: ['endpoint', 'health'],
    since: 'v3.5.0',
    flags: [{ name: 'cluster', since: 'v3.5.0', bool: true, source: at('v3.5.0', 'etcdctl/ctlv3/command/ep_command.go', 'ec.PersistentFlags().BoolVar(&epClusterEndpoints, "cluster", ...)') }],
    source: at('v3.5.0', 'etcdctl/ctlv3/command/ep_command.go', 'Use: "health"'),
  },
} as const satisfies Record<string, EtcdCommand>;
export type EtcdCommandId = keyof typeof ETCD_COMMANDS;

/**
 * What `etcdutl version` prints: `fmt.Println("etcdutl version:", version.Version)`, then
 * `API version: <major>.<minor>`; version.Version is the release without its `v`
 * (api/version/version.go `Version = "3.5.22"`). `line` is the regular expression (Python and
 * JavaScript alike, one line at a time) of the first line, its group the version.
 */
export const ETCDUTL_VERSION_OUTPUT = {
  line: '^etcdutl version: ([0-9]+[.][0-9]+[.][0-9]+)$',
  source: at('v3.5.0', 'etcdutl/etcdutl/version_command.go', 'fmt.Println("etcdutl version:", version.Version); the same at every tag read'),
  version: at('v3.5.0', 'api/version/version.go', 'Version = "<release>"'),
} as const;

/**
 * `ETCDCTL_API`: etcdctl v3.5 reads and unsets it in main.go (empty or `3`: the v3 API, `2`: v2);
 * etcdctl v3.6 has no v2 API and no such step, so the variable reaches pkg/flags' SetPflagsFromEnv,
 * which logs "unrecognized environment variable" for any ETCDCTL_ variable that is not a flag.
 * The v3 API being the default on every track, nothing here sets it.
 */
export const ETCDCTL_API_ENV = {
  name: 'ETCDCTL_API',
  /** A v3.5 etcdctl reading it, a v3.6 one not, and the v3.6 flag parsing warning about it (at the ref of each). */
  read: at('v3.5.22', 'etcdctl/main.go', 'apiEnv = "ETCDCTL_API"; os.Unsetenv(apiEnv); empty or "3": ctlv3'),
  notRead: at('v3.6.10', 'etcdctl/main.go', 'main() only calls ctlv3.MustStart()'),
  warned: at('v3.6.10', 'pkg/flags/flag.go', 'verifyEnv: lg.Warn("unrecognized environment variable", ...)'),
} as const;

/** `--flag` as the scripts write it. */
export const etcdFlag = (flag: EtcdFlag): string => `--${flag.name}`;

/** The flags of a command as a map from the flag's name in snake case to `--name`: what the templates read. */
export function etcdFlagNames(id: EtcdCommandId): Record<string, string> {
  const flags: readonly EtcdFlag[] = ETCD_COMMANDS[id].flags;
  return Object.fromEntries(flags.map((f) => [f.name.replace(/-/g, '_'), etcdFlag(f)]));
}

/** `3.5.10` compared with `v3.6.0` by number: negative, zero or positive. */
export function compareEtcdVersions(a: string, b: string): number {
  const parts = (v: string) => v.replace(/^v/, '').split('.').map(Number);
  const [x, y] = [parts(a), parts(b)];
  return x.map((n, i) => n - (y[i] ?? 0)).find((d) => d !== 0) ?? 0;
}

/** The first etcdutl release with every flag of the restore: what the playbook's pre-check requires. */
export function etcdutlRestoreMinVersion(): string {
  const flags: readonly EtcdFlag[] = ETCD_COMMANDS.etcdutlSnapshotRestore.flags;
  return flags.map((f) => f.since).sort(compareEtcdVersions).at(-1)!.replace(/^v/, '');
}
