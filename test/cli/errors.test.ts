/**
 * The CLI's error boundary: every failure is one `error:` line naming the file, the field or the
 * operation, exit 1 (2 for usage); a bug says so and where to report it; no stack trace without
 * --debug. In-process through run() where possible; a real process only for exit codes and users.
 */
import { spawnSync, SpawnSyncOptions } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Yaml } from 'cdk8s';
import { buildSync, type Loader } from 'esbuild';
import TEXT_LOADER from '../../scripts/text-loader.json';
import { run } from '../../cli/program';

const ROOT = path.resolve(__dirname, '../..');
/** A private-key header, built from parts: no tracked file may hold it literally. */
const PEM_HEADER = ['-----BEGIN', 'RSA', 'PRIVATE', 'KEY-----'].join(' ');

interface Result { code: number | string; stdout: string; stderr: string }

/** When set, writing to standard output throws it: an unexpected failure, as a bug would cause. */
let stdoutFault: Error | undefined;

/** Runs the CLI in-process in `cwd`, capturing its output; `code` is "threw" when run() rejected. */
async function kpaas(cwd: string, ...args: string[]): Promise<Result> {
  const out: string[] = [];
  const err: string[] = [];
  const o = jest.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => {
    if (stdoutFault) throw stdoutFault;
    out.push(String(s));
    return true;
  });
  const e = jest.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => { err.push(String(s)); return true; });
  const prev = process.cwd();
  process.chdir(cwd);
  try {
    const code = await run(args);
    return { code, stdout: out.join(''), stderr: err.join('') };
  } catch (x) {
    return { code: 'threw', stdout: out.join(''), stderr: `${err.join('')}${(x as Error).stack ?? String(x)}` };
  } finally {
    process.chdir(prev);
    o.mockRestore();
    e.mockRestore();
  }
}

/** Milliseconds `f` takes. */
async function timed<T>(f: () => Promise<T>): Promise<[T, number]> {
  const t = process.hrtime.bigint();
  const r = await f();
  return [r, Number(process.hrtime.bigint() - t) / 1e6];
}

/** Every file under dir with its content, for "left as it was" checks. */
function tree(dir: string): Record<string, string> {
  const outp: Record<string, string> = {};
  const walk = (d: string, prefix: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const rel = prefix ? `${prefix}/${e.name}` : e.name;
      if (e.isDirectory()) walk(path.join(d, e.name), rel);
      else outp[rel] = fs.readFileSync(path.join(d, e.name), 'utf8');
    }
  };
  walk(dir, '');
  return outp;
}

let work: string;
beforeEach(() => { work = fs.mkdtempSync(path.join(os.tmpdir(), 'kpaas-errors-')); });
afterEach(() => fs.rmSync(work, { recursive: true, force: true }));
const write = (name: string, text: string) => fs.writeFileSync(path.join(work, name), text);

describe('one error line for bad YAML', () => {
  it('fails on an undefined alias, naming its line', async () => {
    write('kpaas.config.yaml', 'domain: example.org\nname: *undefined\n');
    const r = await kpaas(work, 'config');
    expect(r).toEqual({ code: 1, stdout: '', stderr: 'error: kpaas.config.yaml: line 2, column 7: invalid YAML: the alias *undefined has no anchor &undefined before it\n' });
  });

  const ALIAS_GUARD = "error: kpaas.config.yaml: invalid YAML: the aliases expand to too many values (the YAML library's guard against alias bombs stops at 100); write the values out instead of aliasing them\n";

  it('fails on an alias bomb, fast', async () => {
    let text = 'a0: &a0 [x, x, x, x, x, x, x, x, x]\n';
    for (let i = 1; i < 12; i++) text += `a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(', ')}]\n`;
    write('kpaas.config.yaml', text);
    const [r, ms] = await timed(() => kpaas(work, 'config'));
    expect(r).toEqual({ code: 1, stdout: '', stderr: ALIAS_GUARD });
    expect(ms).toBeLessThan(1000);
  });

  it('fails on a long anchor chain, fast', async () => {
    let text = 'a0: &a0 [x]\n';
    for (let i = 1; i < 400; i++) text += `a${i}: &a${i} [*a${i - 1}]\n`;
    write('kpaas.config.yaml', text);
    const [r, ms] = await timed(() => kpaas(work, 'config'));
    expect(r).toEqual({ code: 1, stdout: '', stderr: ALIAS_GUARD });
    expect(ms).toBeLessThan(1000);
  });
});

describe('limits before parsing', () => {
  it('fails fast on a 10 MB configuration', async () => {
    write('kpaas.config.yaml', `name: ${'a'.repeat(10 * 1024 * 1024)}\n`);
    const [r, ms] = await timed(() => kpaas(work, 'config'));
    expect(r).toEqual({ code: 1, stdout: '', stderr: 'error: kpaas.config.yaml: the file is 10485767 bytes; a configuration is at most 1048576 bytes (1 MiB)\n' });
    expect(ms).toBeLessThan(1000);
  });

  it('fails fast on 200,000 nesting levels', async () => {
    write('kpaas.config.yaml', `name: ${'['.repeat(200000)}${']'.repeat(200000)}\n`);
    const [r, ms] = await timed(() => kpaas(work, 'config'));
    expect(r).toEqual({ code: 1, stdout: '', stderr: 'error: kpaas.config.yaml: line 1, column 70: nested more than 64 levels deep; the settings nest at most 4 levels\n' });
    expect(ms).toBeLessThan(1000);
  });

  it('fails fast on deep block nesting', async () => {
    let text = '';
    for (let i = 0; i < 200; i++) text += `${' '.repeat(i)}k${i}:\n`;
    write('kpaas.config.yaml', text);
    const [r, ms] = await timed(() => kpaas(work, 'config'));
    expect(r).toEqual({ code: 1, stdout: '', stderr: 'error: kpaas.config.yaml: line 65, column 65: nested more than 64 levels deep; the settings nest at most 4 levels\n' });
    expect(ms).toBeLessThan(1000);
  });

  it('fails fast on a list longer than any configuration needs', async () => {
    write('kpaas.config.yaml', `nodes:\n  workers:\n    ips:\n${'      - 172.16.0.9\n'.repeat(6000)}`);
    const [r, ms] = await timed(() => kpaas(work, 'config'));
    expect(r).toEqual({ code: 1, stdout: '', stderr: 'error: kpaas.config.yaml: nodes.workers.ips: has 6000 entries; a list or mapping holds at most 500\n' });
    expect(ms).toBeLessThan(1000);
  });
});

describe('one error line for files that cannot be read', () => {
  it('fails on --config naming a directory', async () => {
    fs.mkdirSync(path.join(work, 'env'));
    const r = await kpaas(work, 'synth', '--config', 'env');
    expect(r).toEqual({ code: 1, stdout: '', stderr: 'error: env: is a directory; --config names the configuration file (e.g. env/kpaas.config.yaml)\n' });
  });

  it('fails on kpaas.config.yaml being a directory', async () => {
    fs.mkdirSync(path.join(work, 'kpaas.config.yaml'));
    const r = await kpaas(work, 'config');
    expect(r).toEqual({ code: 1, stdout: '', stderr: 'error: kpaas.config.yaml: is a directory, not the configuration file\n' });
  });
});

describe('one error line for failures of the machine during synth', () => {
  // os.tmpdir() reads the real environment, not the test's copy of it: point it elsewhere directly
  // (on the module itself: the namespace `import * as` gives cannot be spied on)
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const tmpdirAt = (dir: string) => jest.spyOn(require('os') as typeof os, 'tmpdir').mockReturnValue(dir);
  afterEach(() => jest.restoreAllMocks());

  it('fails when the temporary folder is a file, naming it, and leaves dist as it was', async () => {
    expect((await kpaas(work, 'synth')).code).toBe(0);
    const before = tree(path.join(work, 'dist'));
    write('not-a-folder', '');
    tmpdirAt(path.join(work, 'not-a-folder'));
    const r = await kpaas(work, 'synth');
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n').filter((l) => l.startsWith('error: '))).toEqual([
      `error: cannot create a temporary folder in ${path.join(work, 'not-a-folder')}: not a directory (ENOTDIR); point TMPDIR at a writable folder`,
    ]);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(tree(path.join(work, 'dist'))).toEqual(before);
  });

  it('fails when the disk is full while cdk8s writes its YAML (injected ENOSPC), and leaves dist as it was', async () => {
    expect((await kpaas(work, 'synth')).code).toBe(0);
    const before = tree(path.join(work, 'dist'));
    const tmp = path.join(work, 'tmp');
    fs.mkdirSync(tmp);
    tmpdirAt(tmp);
    // what a full disk gives: the write itself fails, and Node names no path
    jest.spyOn(Yaml, 'save').mockImplementation(() => {
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { errno: -28, code: 'ENOSPC', syscall: 'write' });
    });
    const r = await kpaas(work, 'synth');
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n').filter((l) => l.startsWith('error: '))).toEqual([
      `error: synth: cannot write a file: no space left on device (ENOSPC); free some space, or point TMPDIR at a folder with room (now ${tmp})`,
    ]);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(tree(path.join(work, 'dist'))).toEqual(before);
    expect(fs.readdirSync(tmp)).toEqual([]);
  });

  it('fails on synth --check when dist is a file, in one line', async () => {
    write('dist', 'a file');
    const r = await kpaas(work, 'synth', '--check');
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n').filter((l) => l.startsWith('error: '))).toHaveLength(1);
    expect(r.stderr).toMatch(/^error: [^\n]*dist[^\n]*\n$/m);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(fs.readFileSync(path.join(work, 'dist'), 'utf8')).toBe('a file');
  });
});

describe('a bug says so', () => {
  afterEach(() => { stdoutFault = undefined; });
  const BUG = "error: internal error: TypeError: boom; this is a bug in kpaas: report it on the project's issue tracker with the command you ran (run it with --debug for the stack trace)\n";

  /** Makes `kpaas schema` hit an unexpected error. */
  function breakSchema(): void {
    stdoutFault = new TypeError('boom');
  }

  it('fails on an internal error with one line saying it is a bug and where to report it', async () => {
    breakSchema();
    expect(await kpaas(work, 'schema')).toEqual({ code: 70, stdout: '', stderr: BUG });
  });

  it('prints the stack trace of an internal error with --debug', async () => {
    breakSchema();
    const r = await kpaas(work, '--debug', 'schema');
    expect(r.code).toBe(70);
    expect(r.stderr.startsWith(BUG)).toBe(true);
    expect(r.stderr).toMatch(/^TypeError: boom\n\s+at /m);
  });

  it('accepts --debug after the command too', async () => {
    breakSchema();
    const r = await kpaas(work, 'schema', '--debug');
    expect(r.code).toBe(70);
    expect(r.stderr).toMatch(/^TypeError: boom\n\s+at /m);
  });
});

describe('usage', () => {
  it('fails on an unknown option with exit code 2', async () => {
    const r = await kpaas(work, 'synth', '--frobnicate');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: unknown option '--frobnicate'\n/);
  });

  it('lists --debug in the help', async () => {
    const r = await kpaas(work, '--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/--debug +print the stack trace of any error/);
  });
});

describe('kpaas connect --from: limits before parsing', () => {
  beforeEach(() => fs.mkdirSync(path.join(work, 'dist/ansible'), { recursive: true }));

  async function connect(text: string): Promise<[Result, number]> {
    write('outputs.json', text);
    return timed(() => kpaas(work, 'connect', '--from', 'outputs.json'));
  }

  const extraNodes = (n: number) => {
    const nodes: Record<string, unknown> = {};
    for (let i = 0; i < n; i++) nodes[`extra-${i}`] = { role: 'worker', private_ip: '172.16.0.9', public_ip: null };
    return JSON.stringify({ ansible: { value: { ssh_user: 'ubuntu', jump_host: null, nodes } } });
  };

  it('fails fast on 200,000 extra nodes, in one short line, before parsing', async () => {
    const text = extraNodes(200000);
    const [r, ms] = await connect(text);
    const at = text.indexOf(',"extra-15000"') + 1; // the comma before the 15,001st node
    expect(r).toEqual({ code: 1, stdout: '', stderr: `error: outputs.json has an array or object of more than 15000 entries (at character ${at}); terraform outputs list at most 1500 nodes\n` });
    expect(ms).toBeLessThan(1000);
  });

  it('fails on 2,000 extra nodes, in one short line', async () => {
    const [r, ms] = await connect(extraNodes(2000));
    expect(r).toEqual({ code: 1, stdout: '', stderr: 'error: outputs.json: terraform output "ansible": nodes: has 2000 entries; at most 1500 are allowed (the configuration has at most 500 masters and 1000 workers)\n' });
    expect(ms).toBeLessThan(1000);
  });

  it('fails fast on a 20 MB string', async () => {
    const text = JSON.stringify({ ansible: { value: { ssh_user: 'u'.repeat(20 * 1024 * 1024) } } });
    const [r, ms] = await connect(text);
    expect(r).toEqual({ code: 1, stdout: '', stderr: `error: outputs.json is ${text.length} bytes; terraform outputs are at most 16777216 bytes (16 MiB)\n` });
    expect(ms).toBeLessThan(1000);
  });

  it('fails fast on 200,000 nesting levels', async () => {
    const [r, ms] = await connect(`${'['.repeat(200000)}${']'.repeat(200000)}`);
    expect(r).toEqual({ code: 1, stdout: '', stderr: 'error: outputs.json is nested more than 64 levels deep at character 65; terraform outputs nest at most a few levels\n' });
    expect(ms).toBeLessThan(1000);
  });

  it('shows a long value cut, with its length', async () => {
    const [r] = await connect(JSON.stringify({ ansible: { value: { ssh_user: 'u'.repeat(1000000), nodes: {} } } }));
    expect(r).toEqual({ code: 1, stdout: '', stderr: `error: outputs.json: terraform output "ansible": ssh_user is "${'u'.repeat(60)}…" (1000000 characters) but nodes.sshUser in the config is "ubuntu"; synth and terraform apply again\n` });
  });
});

describe('secrets never reach the terminal', () => {
  it('fails on a private key pasted as the public key without echoing any of it', async () => {
    const key = `${PEM_HEADER}\nMIIEowIBAAKCAQEA${'x'.repeat(1600)}\n${PEM_HEADER.replace('BEGIN', 'END')}\n`;
    write('kpaas.config.yaml', `access:\n  keyPair:\n    publicKey: |\n${key.split('\n').map((l) => `      ${l}`).join('\n')}\n`);
    const r = await kpaas(work, 'synth');
    expect(r).toEqual({
      code: 1,
      stdout: '',
      stderr: 'error: kpaas.config.yaml: access.keyPair.publicKey: looks like a PEM private key (not shown); paste the public key instead, the one line of the .pub file ("ssh-ed25519 AAAA... comment")\n',
    });
    expect(r.stderr).not.toContain('MIIE');
  });
});

/*
 * As users run it: the bundled CLI in a child process (exit codes, another user, no trace).
 */
describe('the real process', () => {
  let bin: string;
  beforeAll(() => {
    bin = fs.mkdtempSync(path.join(os.tmpdir(), 'kpaas-errors-bin-'));
    fs.chmodSync(bin, 0o755);
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    buildSync({
      entryPoints: [path.join(ROOT, 'main.ts')], outfile: path.join(bin, 'main.js'), bundle: true, platform: 'node',
      target: 'node20', format: 'cjs', external: Object.keys(pkg.dependencies), logLevel: 'error', loader: TEXT_LOADER as Record<string, Loader>,
    });
    fs.chmodSync(path.join(bin, 'main.js'), 0o644);
    // makes `kpaas schema` fail unexpectedly, as a bug would
    fs.writeFileSync(path.join(bin, 'bug.js'), "process.stdout.write = () => { throw new TypeError('boom'); };\n", { mode: 0o644 });
  });
  afterAll(() => fs.rmSync(bin, { recursive: true, force: true }));

  function cli(args: string[], options: SpawnSyncOptions = {}) {
    const r = spawnSync(process.execPath, [...(options.env?.PRELOAD ? ['--require', options.env.PRELOAD] : []), path.join(bin, 'main.js'), ...args], {
      cwd: work, encoding: 'utf8', ...options, env: { ...process.env, ...options.env, NODE_PATH: path.join(ROOT, 'node_modules') },
    });
    return { code: r.status, stdout: String(r.stdout), stderr: String(r.stderr), error: r.error };
  }

  it('fails on an undefined alias with exit code 1 and no stack trace', () => {
    write('kpaas.config.yaml', 'name: *undefined\n');
    expect(cli(['synth'])).toEqual({ code: 1, stdout: '', stderr: 'error: kpaas.config.yaml: line 1, column 7: invalid YAML: the alias *undefined has no anchor &undefined before it\n', error: undefined });
  });

  it('fails on an internal error with exit code 70 and no stack trace', () => {
    const r = cli(['schema'], { env: { PRELOAD: path.join(bin, 'bug.js') } });
    expect(r.stderr).toBe("error: internal error: TypeError: boom; this is a bug in kpaas: report it on the project's issue tracker with the command you ran (run it with --debug for the stack trace)\n");
    expect(r.code).toBe(70);
  });

  it('fails on a usage error with exit code 2', () => {
    const r = cli(['synth', '--frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: unknown option '--frobnicate'\n/);
  });

  it('fails on an unreadable config file, as a user who may not read it', () => {
    fs.chmodSync(work, 0o755);
    write('kpaas.config.yaml', 'name: secret\n');
    fs.chmodSync(path.join(work, 'kpaas.config.yaml'), 0o600);
    // the tests run as root, who reads everything: drop to nobody where we can
    const asUser: SpawnSyncOptions = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    if (process.getuid?.() !== 0) fs.chmodSync(path.join(work, 'kpaas.config.yaml'), 0o000);
    const r = cli(['config'], asUser);
    if (r.error) {
      process.stdout.write(`SKIPPED: unreadable config file: cannot run the CLI as another user here (${r.error?.message ?? r.stderr.split('\n')[0]})\n`);
      return;
    }
    expect(r).toEqual({ code: 1, stdout: '', stderr: 'error: kpaas.config.yaml: cannot read the file: permission denied (EACCES)\n', error: undefined });
  });
});
