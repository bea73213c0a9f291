/**
 * The command line: `kpaas synth`, `kpaas config`, plus the entry points `cdktf synth` and
 * `cdk8s synth` call. Errors print one line per problem and exit non-zero, without a stack trace.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App as Cdk8sApp, YamlOutputType } from 'cdk8s';
import { App } from 'cdktf';
import { Command, Option } from 'commander';
import { stringify } from 'yaml';
import { CONNECTION_INVENTORY, connectFromTerraformOutputs, connectionMismatch } from '../ansible';
import { addCharts, platformServicesMarkdown, withReadmeServices } from '../charts';
import { configJsonSchema, configReferenceMarkdown, ConfigError, configWarnings, DEFAULT_CONFIG_FILE, loadConfig, parseConfig, PlatformConfig } from '../config';
import { securityRulesMarkdown } from '../constructs/infra';
import { SecretsError } from '../secrets/errors';
import { checkDistTarget, diffDist, distLeftovers, DistWriteError, writeDist, WriteDistResult } from './dist-writer';
import { addStacks, checkOutDir, renderAll } from './render';

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

function load(opts: CommonOptions): { config: PlatformConfig; projectDir: string } {
  const config = loadConfig({ file: opts.config });
  const projectDir = opts.config ? path.dirname(path.resolve(opts.config)) : process.cwd();
  return { config, projectDir };
}

export function buildProgram(): Command {
  const program = new Command('kpaas')
    .description('Synthesizes Terraform, Ansible and Kubernetes output for a K-PaaS cluster on Kakao Cloud')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ outputError: (str, write) => write(str) });

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
      const files = renderAll(config, dirs);
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
    });

  program.command('connect')
    .description('after terraform apply: write the SSH connection settings and LB public addresses into <out>/ansible from `terraform output -json`')
    .requiredOption('--from <file>', 'the JSON of `terraform -chdir=dist/terraform/infra output -json`, or - for standard input')
    .addOption(configOption())
    .addOption(outOption())
    .action((opts: CommonOptions & { from: string }) => {
      const { config } = load(opts);
      const ansibleDir = path.join(opts.out, 'ansible');
      if (!fs.existsSync(ansibleDir)) throw new CliError(`${ansibleDir} does not exist; run \`npm run synth\` first`);
      let text: string;
      try {
        text = fs.readFileSync(opts.from === '-' ? 0 : opts.from, 'utf8');
      } catch (e) {
        throw new CliError(`cannot read ${opts.from}: ${(e as Error).message}`);
      }
      let outputs: unknown;
      try {
        outputs = JSON.parse(text);
      } catch (e) {
        throw new CliError(`${opts.from} is not JSON (expected the output of \`terraform output -json\`): ${(e as Error).message}`);
      }
      let files: Map<string, string>;
      try {
        files = connectFromTerraformOutputs(outputs, config);
      } catch (e) {
        throw new CliError(`${opts.from}: ${(e as Error).message}`);
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
      const config = loadConfig({ file: opts.config });
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
      const { config, projectDir } = load({ ...opts, out: 'dist' });
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

  // Regenerates the generated docs (npm run docs): configuration reference, JSON Schema, security groups.
  program.command('docs', { hidden: true })
    .action(() => {
      fs.mkdirSync('docs', { recursive: true });
      fs.writeFileSync('docs/configuration.md', configReferenceMarkdown());
      fs.writeFileSync('docs/kpaas.config.schema.json', `${JSON.stringify(configJsonSchema(), null, 2)}\n`);
      fs.writeFileSync('docs/security-groups.md', securityRulesMarkdown(parseConfig({})));
      fs.writeFileSync('docs/platform-services.md', platformServicesMarkdown(parseConfig({})));
      fs.writeFileSync('README.md', withReadmeServices(fs.readFileSync('README.md', 'utf8'), parseConfig({})));
    });

  // Entry points for the cdktf and cdk8s CLIs (cdktf.json / cdk8s.yaml): same config, their outdirs.
  program.command('cdktf-app', { hidden: true })
    .addOption(configOption())
    .action((opts: { config?: string }) => {
      const { config, projectDir } = load({ ...opts, out: 'dist' });
      const app = new App(); // outdir from CDKTF_OUTDIR, as the cdktf CLI sets it
      addStacks(app, config, (name) => path.join(app.outdir, 'stacks', name), projectDir);
      app.synth();
    });

  program.command('cdk8s-app', { hidden: true })
    .addOption(configOption())
    .action((opts: { config?: string }) => {
      const config = loadConfig({ file: opts.config });
      // outdir from CDK8S_OUTDIR, as the cdk8s CLI sets it; never dist/, which only synth writes
      const app = new Cdk8sApp({ outdir: process.env.CDK8S_OUTDIR ?? 'cdk8s.out', outputFileExtension: '.yaml', yamlOutputType: YamlOutputType.FILE_PER_CHART });
      addCharts(app, config);
      app.synth();
    });

  return program;
}

/** Runs the CLI; returns the exit code instead of exiting, for tests. */
export async function run(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  program.exitOverride();
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof ConfigError || e instanceof CliError) {
      process.stderr.write(`error: ${e.message.split('\n').join('\nerror: ')}\n`.replace(/\nerror: {2}/g, '\n  '));
      return 1;
    }
    const code = (e as { code?: string; exitCode?: number }).code;
    if (typeof code === 'string' && code.startsWith('commander.')) {
      return (e as { exitCode: number }).exitCode; // commander printed its own message
    }
    throw e;
  }
}
