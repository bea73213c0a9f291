/**
 * The command line: `kpaas synth`, `kpaas config`, plus the entry points `cdktf synth` and
 * `cdk8s synth` call. One boundary (run) turns every error into `error:` lines naming the file,
 * the field or the operation, without a stack trace unless --debug: exit 1 for a problem with the
 * input or the machine, 2 for a usage error, 70 for a bug in kpaas (which says so).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App as Cdk8sApp, YamlOutputType } from 'cdk8s';
import { App } from 'cdktf';
import { Command, Option } from 'commander';
import { stringify } from 'yaml';
import { CONNECTION_INVENTORY, connectFromTerraformOutputs, connectionMismatch } from '../ansible';
import { MAX_OUTPUTS_BYTES, parseTerraformOutputs } from '../ansible/connect';
import { addCharts, PLATFORM_SERVICES, platformServicesMarkdown, withReadmeServices } from '../platform';
import { configJsonSchema, configReferenceMarkdown, ConfigError, configWarnings, DEFAULT_CONFIG_FILE, describeErrno, loadConfig, loaderWarnings, parseConfig, PlatformConfig } from '../config';
import { securityRulesMarkdown } from '../constructs/infra';
import { renderSvg } from '../diagram';
import { SecretsError } from '../secrets/errors';
import { checkDistTarget, diffDist, distLeftovers, DistWriteError, writeDist, WriteDistResult } from './dist-writer';
import { addStacks, checkOutDir, DIST_DIRS, DOCS_ARCHITECTURE_SVG, HOSTS_FILE, renderArchitectureDot, renderDist } from './render';
import { inventoryNodes, nodeChanges, readDistNodes, scaleSummary } from './scale-summary';

/** A warning when `kpaas connect` wrote settings for other nodes than the config now has. */
function staleConnection(out: string, config: PlatformConfig): string[] {
  const file = path.join(out, 'ansible', CONNECTION_INVENTORY);
  if (!fs.existsSync(file)) return [];
  const why = connectionMismatch(fs.readFileSync(file, 'utf8'), config);
  return why ? [`${path.posix.join(out, 'ansible', CONNECTION_INVENTORY)} is stale (${why}); run \`kpaas connect\` again after terraform apply`] : [];
}

/** Raised for expected failures: printed as the message alone, exit code 1. */
export class CliError extends Error {}

interface CommonOptions {
  readonly config?: string;
  readonly out: string;
}

/**
 * Loads the configuration. With `warn`, prints what the loader noticed (an empty file or
 * section); synth prints it among configWarnings instead.
 */
function load(opts: CommonOptions, warn = false): { config: PlatformConfig; projectDir: string } {
  const config = loadConfig({ file: opts.config });
  if (warn) for (const w of loaderWarnings(config)) process.stderr.write(`warning: ${w}\n`);
  const projectDir = opts.config ? path.dirname(path.resolve(opts.config)) : process.cwd();
  return { config, projectDir };
}

/**
 * Reads `terraform output -json` from a file or standard input ("-"), at most MAX_OUTPUTS_BYTES:
 * a file's size is checked before reading.
 */
function readOutputs(from: string): { text: string; source: string } {
  const source = from === '-' ? 'standard input' : from;
  const tooBig = (size: string) => new CliError(`${source} is ${size} bytes; terraform outputs are at most ${MAX_OUTPUTS_BYTES} bytes (16 MiB)`);
  let fd: number;
  try {
    fd = from === '-' ? 0 : fs.openSync(from, 'r');
  } catch (e) {
    throw new CliError(`cannot read ${source}: ${describeErrno(e)}`);
  }
  try {
    const stat = fs.fstatSync(fd);
    if (stat.isDirectory()) throw new CliError(`${source} is a directory; --from names the file \`terraform output -json\` wrote, or - for standard input`);
    if (stat.isFile() && stat.size > MAX_OUTPUTS_BYTES) throw tooBig(String(stat.size));
    const buf = Buffer.alloc(Math.min(MAX_OUTPUTS_BYTES + 1, stat.isFile() ? stat.size + 1 : MAX_OUTPUTS_BYTES + 1));
    let n = 0;
    for (let r = -1; r !== 0 && n < buf.length;) {
      try {
        r = fs.readSync(fd, buf, n, buf.length - n, null);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10); // a non-blocking pipe: wait for more
        continue;
      }
      n += r;
    }
    if (n > MAX_OUTPUTS_BYTES) throw tooBig(`more than ${MAX_OUTPUTS_BYTES}`);
    return { text: buf.toString('utf8', 0, n), source };
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError(`cannot read ${source}: ${describeErrno(e)}`);
  } finally {
    if (fd !== 0) fs.closeSync(fd);
  }
}

export function buildProgram(): Command {
  const program = new Command('kpaas')
    .description('Synthesizes Terraform, Ansible and Kubernetes output for a K-PaaS cluster on Kakao Cloud')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ outputError: (str, write) => write(str) })
    .option('--debug', 'print the stack trace of any error (for a bug report)');

  const configOption = () => new Option('-c, --config <file>', `configuration file (default: ./${DEFAULT_CONFIG_FILE} if present, else the seed's cluster)`);
  const outOption = () => new Option('-o, --out <dir>', 'output folder').default('dist');

  program.command('synth')
    .description('write dist/ from the configuration, atomically (nothing changes unless everything succeeds)')
    .addOption(configOption())
    .addOption(outOption())
    .option('--check', 'write nothing; exit 1 and list the files that differ when dist is not what the configuration produces')
    .action(async (opts: CommonOptions & { check?: boolean }) => {
      const started = process.hrtime.bigint();
      const { config, projectDir } = load(opts);
      let dirs: { outDir: string; projectDir: string };
      try {
        dirs = checkOutDir(opts.out, projectDir);
        checkDistTarget(opts.out);
      } catch (e) {
        throw new CliError((e as Error).message);
      }
      const files = await renderDist(config, dirs);
      for (const w of [...configWarnings(config), ...staleConnection(opts.out, config)]) process.stderr.write(`warning: ${w}\n`);
      if (opts.check) {
        for (const left of distLeftovers(opts.out)) {
          process.stderr.write(`warning: ${left} beside ${opts.out} was left by an interrupted synth; the next synth recovers or reports it\n`);
        }
        const diffs = diffDist(opts.out, files);
        if (diffs.length > 0) {
          const lines = diffs.map((d) => `  ${d.kind.padEnd(7)} ${path.posix.join(opts.out, d.path)}`);
          throw new CliError(`${opts.out} is out of date (${diffs.length} file${diffs.length > 1 ? 's' : ''}); run \`npm run synth\`:\n${lines.join('\n')}`);
        }
        process.stdout.write(`${opts.out} is up to date (${files.size} files)\n`);
        return;
      }
      // the nodes of the dist this synth replaces, read before the swap (docs/scaling.md)
      const prevNodes = readDistNodes(opts.out);
      const nextHosts = files.get(HOSTS_FILE);
      const changes = prevNodes && nextHosts ? nodeChanges(prevNodes, inventoryNodes(nextHosts.content)) : undefined;
      const changedManifests = changes && (changes.added.length || changes.removed.length)
        ? diffDist(opts.out, files).filter((x) => x.path.startsWith(`${DIST_DIRS.manifests}/`)).map((x) => x.path.slice(DIST_DIRS.manifests.length + 1))
        : [];
      let result: WriteDistResult;
      try {
        result = await writeDist(opts.out, files);
      } catch (e) {
        if (e instanceof DistWriteError) throw new CliError(e.message);
        throw e;
      }
      for (const note of result.recovered) process.stderr.write(`warning: ${note}\n`);
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const n = config.nodes;
      process.stdout.write(`synthesized ${files.size} files into ${opts.out}/ in ${ms.toFixed(0)} ms: `
        + `${n.masters.nodes.length} masters, ${n.workers.nodes.length} workers, domain ${config.domain}\n`);
      if (changes) process.stdout.write(scaleSummary(changes, opts.out, changedManifests, config));
    });

  program.command('connect')
    .description('after terraform apply: write the SSH connection settings and LB public addresses into <out>/ansible from `terraform output -json`')
    .requiredOption('--from <file>', 'the JSON of `terraform -chdir=dist/terraform/infra output -json`, or - for standard input')
    .addOption(configOption())
    .addOption(outOption())
    .action((opts: CommonOptions & { from: string }) => {
      const { config } = load(opts, true);
      const ansibleDir = path.join(opts.out, 'ansible');
      if (!fs.existsSync(ansibleDir)) throw new CliError(`${ansibleDir} does not exist; run \`npm run synth\` first`);
      const { text, source } = readOutputs(opts.from);
      let outputs: unknown;
      try {
        outputs = parseTerraformOutputs(text, source);
      } catch (e) {
        throw new CliError((e as Error).message);
      }
      let files: Map<string, string>;
      try {
        files = connectFromTerraformOutputs(outputs, config);
      } catch (e) {
        throw new CliError(`${source}: ${(e as Error).message}`);
      }
      for (const [rel, content] of files) {
        const dest = path.join(ansibleDir, rel);
        fs.mkdirSync(path.dirname(dest), { recursive: true });
        const tmp = `${dest}.tmp-${process.pid}`;
        fs.writeFileSync(tmp, content, { mode: 0o644 });
        fs.renameSync(tmp, dest); // one file at a time, each whole
        process.stdout.write(`wrote ${path.posix.join(opts.out, 'ansible', rel)}\n`);
      }
    });

  program.command('config')
    .description('print the resolved configuration (defaults applied, IPs assigned) as YAML')
    .addOption(configOption())
    .action((opts: { config?: string }) => {
      const { config } = load({ ...opts, out: 'dist' }, true);
      process.stdout.write(stringify(config, { aliasDuplicateObjects: false }));
    });

  program.command('schema')
    .description('print the JSON Schema of the configuration file (for editors)')
    .action(() => { process.stdout.write(`${JSON.stringify(configJsonSchema(), null, 2)}\n`); });

  program.command('secrets')
    .description('make or update the CA, certificates, passwords and Secret manifests in the secrets folder (owner-only files; a second run changes nothing)')
    .addOption(configOption())
    .option('-d, --dir <dir>', 'secrets folder (default: secrets.dir of the configuration, relative to the project directory)')
    .option('--rotate <name>', 'replace one value: ca, a certificate, <secret>, <secret>.<key> or <namespace>/<secret>[.<key>] (repeatable)', (v: string, all: string[] = []) => [...all, v])
    .action(async (opts: { config?: string; dir?: string; rotate?: string[] }) => {
      const { config, projectDir } = load({ ...opts, out: 'dist' }, true);
      // shown relative to the working directory when it lies below it, else absolute
      const abs = path.resolve(projectDir, opts.dir === undefined ? config.secrets.dir : path.resolve(opts.dir));
      const rel = path.relative(process.cwd(), abs);
      const dir = rel === '' ? '.' : rel.split(path.sep)[0] === '..' || path.isAbsolute(rel) ? abs : rel;
      // loaded on use: the X.509 stack is needed by this command only
      const { formatSecretsReport, runSecrets } = await import('../secrets/secrets-command');
      try {
        process.stdout.write(formatSecretsReport(await runSecrets({ config, dir, rotate: opts.rotate })));
      } catch (e) {
        if (e instanceof SecretsError) throw new CliError(e.message);
        throw e;
      }
    });

  const portal = program.command('portal')
    .description('the CP-Portal\'s operator steps (docs/portal.md)');
  portal.command('register')
    .description('after OpenBao is initialised, unsealed and configured: write the host cluster\'s credentials to OpenBao (secret/cluster/<id>) '
      + 'and apply the Secret cp-portal/cp-portal-openbao with the AppRole login (token from BAO_TOKEN or VAULT_TOKEN; kubectl with your kubeconfig; a second run changes nothing)')
    .addOption(configOption())
    .option('-d, --secrets-dir <dir>', 'secrets folder whose ca.crt verifies OpenBao (default: secrets.dir of the configuration, relative to the project directory)')
    .option('--address <url>', 'OpenBao\'s address (default: https://openbao.<domain>; e.g. https://127.0.0.1:8200 through kubectl port-forward)')
    .option('--cluster-token-file <file>', 'read the cluster token from this file instead of the Secret cp-portal/cp-portal-cluster-manager-token')
    .option('--new-secret-id', 'make a new AppRole secret-id even if the Secret\'s one is still valid, and destroy the old one after the Secret is updated')
    .action(async (opts: { config?: string; secretsDir?: string; address?: string; clusterTokenFile?: string; newSecretId?: boolean }) => {
      const { config, projectDir } = load({ ...opts, out: 'dist' }, true);
      const secretsDir = path.resolve(projectDir, opts.secretsDir === undefined ? config.secrets.dir : path.resolve(opts.secretsDir));
      // loaded on use, as the secrets command
      const { formatPortalRegisterReport, PortalRegisterError, runPortalRegister } = await import('./portal-register');
      try {
        process.stdout.write(formatPortalRegisterReport(await runPortalRegister({
          config, secretsDir, address: opts.address, clusterTokenFile: opts.clusterTokenFile, newSecretId: opts.newSecretId,
        })));
      } catch (e) {
        if (e instanceof PortalRegisterError) throw new CliError(e.message);
        throw e;
      }
    });

  // Regenerates the generated docs (npm run docs): configuration reference, JSON Schema, security
  // groups, services, the default cluster's drawing.
  program.command('docs', { hidden: true })
    .action(async () => {
      fs.mkdirSync('docs', { recursive: true });
      fs.writeFileSync('docs/configuration.md', configReferenceMarkdown());
      fs.writeFileSync('docs/kpaas.config.schema.json', `${JSON.stringify(configJsonSchema(), null, 2)}\n`);
      fs.writeFileSync('docs/security-groups.md', securityRulesMarkdown(parseConfig({})));
      fs.writeFileSync('docs/platform-services.md', platformServicesMarkdown(parseConfig({}), PLATFORM_SERVICES));
      fs.writeFileSync('README.md', withReadmeServices(fs.readFileSync('README.md', 'utf8'), parseConfig({}), PLATFORM_SERVICES));
      fs.writeFileSync(DOCS_ARCHITECTURE_SVG, await renderSvg(renderArchitectureDot(parseConfig({}))));
    });

  // Entry points for the cdktf and cdk8s CLIs (cdktf.json / cdk8s.yaml): same config, their outdirs.
  program.command('cdktf-app', { hidden: true })
    .addOption(configOption())
    .action((opts: { config?: string }) => {
      const { config, projectDir } = load({ ...opts, out: 'dist' }, true);
      const app = new App(); // outdir from CDKTF_OUTDIR, as the cdktf CLI sets it
      addStacks(app, config, (name) => path.join(app.outdir, 'stacks', name), projectDir);
      app.synth();
    });

  program.command('cdk8s-app', { hidden: true })
    .addOption(configOption())
    .action((opts: { config?: string }) => {
      const { config } = load({ ...opts, out: 'dist' }, true);
      // outdir from CDK8S_OUTDIR, as the cdk8s CLI sets it; never dist/, which only synth writes
      const app = new Cdk8sApp({ outdir: process.env.CDK8S_OUTDIR ?? 'cdk8s.out', outputFileExtension: '.yaml', yamlOutputType: YamlOutputType.FILE_PER_CHART });
      addCharts(app, config, PLATFORM_SERVICES);
      app.synth();
    });

  return program;
}

/** Exit codes: a problem with the input or the machine, a usage error, a bug in kpaas (EX_SOFTWARE). */
export const EXIT_ERROR = 1;
export const EXIT_USAGE = 2;
export const EXIT_BUG = 70;

/** Longest line an error prints; values in messages are cut long before (show()), this is the net. */
const MAX_LINE = 2000;

/** What an errno error's system call was doing, as the start of "cannot ... <path>". */
const OPERATIONS: Readonly<Record<string, string>> = {
  open: 'cannot open', read: 'cannot read', write: 'cannot write', close: 'cannot close', fsync: 'cannot flush',
  mkdir: 'cannot create the directory', mkdtemp: 'cannot create a temporary folder in', scandir: 'cannot list the directory',
  opendir: 'cannot list the directory', rename: 'cannot rename', unlink: 'cannot remove', rmdir: 'cannot remove the directory',
  rm: 'cannot remove', stat: 'cannot access', lstat: 'cannot access', access: 'cannot access', copyfile: 'cannot copy',
  chmod: 'cannot change the mode of', fchmod: 'cannot change the mode of', symlink: 'cannot link', link: 'cannot link',
  readlink: 'cannot read the link', utime: 'cannot set the time of', futime: 'cannot set the time of', realpath: 'cannot resolve',
};

/** An Error, also from another realm (Node's own errors under a test runner's sandbox). */
function isError(e: unknown): e is Error {
  return e instanceof Error || Object.prototype.toString.call(e) === '[object Error]';
}

function isErrno(e: unknown): e is NodeJS.ErrnoException {
  const code = (e as { code?: unknown } | null)?.code;
  return isError(e) && typeof code === 'string' && /^E[A-Z0-9]+$/.test(code) && typeof (e as NodeJS.ErrnoException).syscall === 'string';
}

/**
 * One line for a failure of the machine (an errno error nothing caught): the operation, the path
 * and what the system said, plus what to do about the temporary folder where that is the place.
 * Without a path (a full disk fails the write itself), the command names the operation.
 */
function machineError(e: NodeJS.ErrnoException, command: string | undefined): string {
  const syscall = e.syscall ?? '';
  const file = e.path === undefined ? undefined : syscall === 'mkdtemp' ? path.dirname(e.path) : e.path;
  const operation = OPERATIONS[syscall] ?? `cannot ${syscall || 'access'}`;
  const dest = (e as { dest?: string }).dest;
  const where = file === undefined ? ' a file' : ` ${file}${dest ? ` to ${dest}` : ''}`;
  const tmp = os.tmpdir();
  let hint = '';
  if (e.code === 'ENOSPC' || e.code === 'EDQUOT') hint = `; free some space, or point TMPDIR at a folder with room (now ${tmp})`;
  else if (syscall === 'mkdtemp' || (file !== undefined && path.resolve(file).startsWith(path.resolve(tmp) + path.sep))) hint = '; point TMPDIR at a writable folder';
  const prefix = file === undefined && command ? `${command}: ` : '';
  return `${prefix}${operation}${where}: ${describeErrno(e)}${hint}`;
}

/**
 * Prints an error that reached the boundary and returns the exit code: expected failures as their
 * message, a failure of the machine as one line naming the operation, anything else as a bug with
 * where to report it. A stack trace only with `debug`.
 */
export function reportError(e: unknown, debug: boolean, command?: string): number {
  const print = (text: string) => {
    const lines = text.split('\n').map((l) => (l.length > MAX_LINE ? `${l.slice(0, MAX_LINE)}… (${l.length} characters)` : l));
    process.stderr.write(`error: ${lines.join('\nerror: ')}\n`.replace(/\nerror: {2}/g, '\n  '));
  };
  const trace = () => { if (debug && isError(e) && e.stack) process.stderr.write(`${e.stack}\n`); };
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code.startsWith('commander.')) {
    // commander printed its own message (usage, help or version)
    return (e as { exitCode?: number }).exitCode === 0 ? 0 : EXIT_USAGE;
  }
  if (e instanceof ConfigError || e instanceof CliError) {
    print(e.message);
    trace();
    return EXIT_ERROR;
  }
  if (isErrno(e)) {
    print(machineError(e, command));
    trace();
    return EXIT_ERROR;
  }
  const what = isError(e) ? `${e.name}: ${String(e.message).split('\n')[0]}` : String(e).split('\n')[0];
  print(`internal error: ${what.length > 200 ? `${what.slice(0, 200)}…` : what}; this is a bug in kpaas: report it on the project's issue tracker with the command you ran (run it with --debug for the stack trace)`);
  trace();
  return EXIT_BUG;
}

/** Whether `--debug` is among the arguments (before a `--`), known even when parsing fails. */
export function debugRequested(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end < 0 ? argv : argv.slice(0, end)).includes('--debug');
}

/**
 * Runs the CLI; returns the exit code instead of exiting, for tests. The one boundary: nothing
 * thrown inside escapes it (see reportError).
 */
export async function run(argv: readonly string[]): Promise<number> {
  const debug = debugRequested(argv);
  let command: string | undefined;
  try {
    const program = buildProgram();
    // every command, not only the program: a usage error must throw, never exit the process
    const overrideAll = (c: Command): void => { c.exitOverride(); c.commands.forEach(overrideAll); };
    overrideAll(program);
    program.hook('preAction', (_program, action) => { command = action.name(); });
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (e) {
    return reportError(e, debug, command);
  }
}
