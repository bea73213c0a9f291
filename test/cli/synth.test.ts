/**
 * The CLI as users run it. The bundled build/main.js in a child process where the process itself
 * is what is tested (exit codes and output of a success, a failure and a usage error; byte-identical
 * output from two directories; the cdktf entry point); everything else through run() in-process
 * (test/support/cli.ts), the same commands without a Node start and module load each.
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { listFiles } from '../../cli/dist-writer';
import { runCli } from '../support/cli';
import { parseConfig } from '../../config';
import { endOfLifeWarning } from '../../config/warnings';

/**
 * The default track's Kubernetes (1.32) is past its end of life (2026-02-28) on every date these
 * tests run; what the warning advises depends on the day (whether the tracks after it are still
 * supported), so it is the loader's warning for today, whose text test/config/tracks.test.ts pins
 * for fixed dates. Here: that synth prints it.
 */
const today = endOfLifeWarning(parseConfig({}), new Date());
if (today === undefined) throw new Error('the default track is past its end of life: endOfLifeWarning must warn');
const EOL_WARNING = `warning: ${today}`;

const ROOT = path.resolve(__dirname, '../..');
const MAIN = path.join(ROOT, 'build', 'main.js');

/** A project folder holding what `kpaas synth` of the defaults wrote (made once, in-process). */
let synthesized: string;
beforeAll(async () => {
  execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT });
  synthesized = fs.mkdtempSync(path.join(os.tmpdir(), 'kpaas-cli-synthesized-'));
  expect((await runCli(synthesized, 'synth')).code).toBe(0);
});
afterAll(() => fs.rmSync(synthesized, { recursive: true, force: true }));

/**
 * The first synth of a test that needs a dist to work on: a copy of the defaults' dist, synthesized
 * once (synth's output does not depend on the folder it runs in; the determinism test shows it).
 */
function synthDefaults(cwd: string): { code: number } {
  fs.cpSync(path.join(synthesized, 'dist'), path.join(cwd, 'dist'), { recursive: true });
  return { code: 0 };
}

/** `kpaas <args>` as a child process: build/main.js. */
function kpaasProcess(cwd: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [MAIN, ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** `kpaas <args>` in-process. */
const kpaas = runCli;

/** Every file under dir with its content and mode, for byte-for-byte comparisons. */
function snapshotTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const rel of listFiles(dir, { includePreserved: true })) {
    const p = path.join(dir, rel);
    out[rel] = `${(fs.statSync(p).mode & 0o777).toString(8)} ${fs.readFileSync(p, 'utf8')}`;
  }
  return out;
}

describe('kpaas synth', () => {
  let work: string;
  beforeEach(() => { work = fs.mkdtempSync(path.join(os.tmpdir(), 'kpaas-cli-')); });
  afterEach(() => fs.rmSync(work, { recursive: true, force: true }));

  it('writes dist/terraform/infra/cdk.tf.json from the defaults', async () => {
    const r = kpaasProcess(work, 'synth');
    expect(r.stderr).toBe([
      'warning: access.sshSourceCidrs (SSH) and access.apiSourceCidrs (Kubernetes API) allow 0.0.0.0/0, as in the seed; restrict them to your admin network (the seed\'s hardening advice)',
      EOL_WARNING,
      '',
    ].join('\n'));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^synthesized \d+ files into dist\/ in \d+ ms: 3 masters, 3 workers, domain k-paas\.io\n$/);
    const doc = JSON.parse(fs.readFileSync(path.join(work, 'dist/terraform/infra/cdk.tf.json'), 'utf8'));
    expect(Object.keys(doc.resource.kakaocloud_instance)).toHaveLength(6); // the default target: Kakao's own provider
    expect(fs.readdirSync(work).sort()).toEqual(['dist']); // no temporary folders left behind
  });

  it('is deterministic: two synths from different directories are byte-identical', async () => {
    const a = path.join(work, 'a');
    const b = path.join(work, 'nested', 'deeper', 'b');
    for (const d of [a, b]) {
      fs.mkdirSync(d, { recursive: true });
      fs.writeFileSync(path.join(d, 'kpaas.config.yaml'), 'nodes:\n  workers:\n    count: 4\n    ipRange: 172.16.0.20-172.16.0.29\n');
      expect(kpaasProcess(d, 'synth').code).toBe(0);
    }
    const ta = snapshotTree(path.join(a, 'dist'));
    expect(Object.keys(ta).length).toBeGreaterThan(0);
    expect(snapshotTree(path.join(b, 'dist'))).toEqual(ta);
  });

  it('fails on bad input with one line, no stack trace, and leaves dist byte-for-byte as it was', async () => {
    expect(synthDefaults(work).code).toBe(0);
    fs.mkdirSync(path.join(work, 'dist/terraform/infra/.terraform'), { recursive: true });
    const before = snapshotTree(path.join(work, 'dist'));
    fs.writeFileSync(path.join(work, 'kpaas.config.yaml'), 'nodes:\n  masters:\n    count: 2\n    ipRange: 172.16.0.100-172.16.0.110\n');
    const r = kpaasProcess(work, 'synth');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('error: kpaas.config.yaml: nodes.masters.count: 2 is even; etcd runs on the masters and needs an odd number of members (1, 3, 5, ...) to keep quorum\n');
    expect(snapshotTree(path.join(work, 'dist'))).toEqual(before);
    expect(fs.readdirSync(work).sort()).toEqual(['dist', 'kpaas.config.yaml']);
  });

  it('fails when the output cannot be written, and leaves dist as it was', async () => {
    expect(synthDefaults(work).code).toBe(0);
    const before = snapshotTree(path.join(work, 'dist'));
    // a file where synth needs a folder
    const r = await kpaas(work, 'synth', '--out', 'dist/terraform/infra/cdk.tf.json/x');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: cannot write dist\/terraform\/infra\/cdk\.tf\.json\/x: (EEXIST|ENOTDIR): .*; nothing was written\n$/m);
    expect(snapshotTree(path.join(work, 'dist'))).toEqual(before);
  });

  it('keeps Terraform working files and state across synths', async () => {
    expect(synthDefaults(work).code).toBe(0);
    const stackDir = path.join(work, 'dist/terraform/infra');
    fs.mkdirSync(path.join(stackDir, '.terraform/providers'), { recursive: true });
    fs.writeFileSync(path.join(stackDir, '.terraform/providers/marker'), 'provider');
    fs.writeFileSync(path.join(stackDir, '.terraform.lock.hcl'), 'lock');
    fs.writeFileSync(path.join(stackDir, 'stale.txt'), 'not ours');
    expect((await kpaas(work, 'synth')).code).toBe(0);
    expect(fs.readFileSync(path.join(stackDir, '.terraform/providers/marker'), 'utf8')).toBe('provider');
    expect(fs.readFileSync(path.join(stackDir, '.terraform.lock.hcl'), 'utf8')).toBe('lock');
    expect(fs.existsSync(path.join(stackDir, 'stale.txt'))).toBe(false); // everything else is synth's
  });

  it('--check passes on a fresh dist and writes nothing', async () => {
    expect(synthDefaults(work).code).toBe(0);
    fs.writeFileSync(path.join(work, 'dist/terraform/infra/.terraform.lock.hcl'), 'lock'); // not synth's: ignored
    const before = snapshotTree(path.join(work, 'dist'));
    const r = await kpaas(work, 'synth', '--check');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^dist is up to date \(\d+ files\)\n$/);
    expect(snapshotTree(path.join(work, 'dist'))).toEqual(before);
  });

  it('--check fails and lists changed, missing and extra files', async () => {
    expect(synthDefaults(work).code).toBe(0);
    fs.appendFileSync(path.join(work, 'dist/terraform/infra/cdk.tf.json'), ' ');
    fs.writeFileSync(path.join(work, 'dist/terraform/extra.tf.json'), '{}');
    const before = snapshotTree(path.join(work, 'dist'));
    const r = await kpaas(work, 'synth', '--check');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error: dist is out of date (2 files); run `npm run synth`:');
    expect(r.stderr).toContain('  changed dist/terraform/infra/cdk.tf.json');
    expect(r.stderr).toContain('  extra   dist/terraform/extra.tf.json');
    expect(snapshotTree(path.join(work, 'dist'))).toEqual(before);
  });

  it('--check fails when dist does not exist', async () => {
    const r = await kpaas(work, 'synth', '--check');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('  missing dist/terraform/infra/cdk.tf.json');
    expect(fs.existsSync(path.join(work, 'dist'))).toBe(false);
  });

  it('reads --config relative to the working directory and --out', async () => {
    fs.mkdirSync(path.join(work, 'env'));
    fs.writeFileSync(path.join(work, 'env/prod.yaml'), 'name: prod\ndomain: example.org\n');
    const r = await kpaas(work, 'synth', '--config', 'env/prod.yaml', '--out', 'out/prod');
    expect(r.code).toBe(0);
    const doc = JSON.parse(fs.readFileSync(path.join(work, 'out/prod/terraform/infra/cdk.tf.json'), 'utf8'));
    expect(doc.resource.kakaocloud_load_balancer['lb-master'].name).toBe('prod-master-lb');
    // the state file stays beside the config, outside the output folder
    expect(doc.terraform.backend.local.path).toBe('../../../../env/terraform-state/infra.tfstate');
  });

  it('fails on an output folder outside the working directory, writing nothing', async () => {
    const r = await kpaas(work, 'synth', '--out', '../elsewhere');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: --out \.\.\/elsewhere is not a folder below the working directory/m);
    expect(fs.existsSync(path.join(work, '..', 'elsewhere'))).toBe(false);
  });

  it('fails on a missing --config file', async () => {
    const r = await kpaas(work, 'synth', '--config', 'nope.yaml');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('error: nope.yaml: file not found\n');
  });

  it('fails on an unknown option with usage help, exit code 2 (usage)', async () => {
    const r = kpaasProcess(work, 'synth', '--frobnicate');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/error: unknown option '--frobnicate'/);
    expect(fs.existsSync(path.join(work, 'dist'))).toBe(false);
  });

  it('prints help', async () => {
    const r = await kpaas(work, '--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Usage: kpaas \[options\] \[command\]/);
    expect(r.stdout).toMatch(/synth \[options\]/);
    expect(r.stdout).not.toMatch(/cdktf-app/);
  });

  it('warns only about the track\'s end of life once SSH and the API are restricted', async () => {
    fs.writeFileSync(path.join(work, 'kpaas.config.yaml'), 'access:\n  sshSourceCidrs: [203.0.113.0/24]\n  apiSourceCidrs: [203.0.113.0/24]\n');
    const r = await kpaas(work, 'synth');
    expect([r.code, r.stderr]).toEqual([0, `${EOL_WARNING}\n`]);
  });

  it('prints the resolved configuration', async () => {
    const r = await kpaas(work, 'config');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('privateIp: 172.16.0.192');
  });
});

describe('cdktf CLI entry point', () => {
  it('synthesizes the same stack into CDKTF_OUTDIR, as `cdktf synth` runs it', async () => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'kpaas-cdktf-'));
    try {
      const outdir = path.join(work, 'cdktf.out');
      const r = spawnSync(process.execPath, [MAIN, 'cdktf-app'], { cwd: work, encoding: 'utf8', env: { ...process.env, CDKTF_OUTDIR: outdir } });
      expect([r.status, r.stderr]).toEqual([0, '']);
      const manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8'));
      expect(Object.keys(manifest.stacks)).toEqual(['infra', 'openbao-config']);
      const doc = JSON.parse(fs.readFileSync(path.join(outdir, 'stacks/infra/cdk.tf.json'), 'utf8'));
      expect(Object.keys(doc.resource.kakaocloud_instance)).toHaveLength(6); // the default target: Kakao's own provider
      // cdktf runs terraform in cdktf.out/stacks/infra: the state path is relative to it
      expect(doc.terraform.backend.local.path).toBe('../../../terraform-state/infra.tfstate');
      expect((await kpaas(work, 'synth')).code).toBe(0);
      expect(fs.readFileSync(path.join(work, 'dist/terraform/infra/cdk.tf.json'), 'utf8')).toBe(fs.readFileSync(path.join(outdir, 'stacks/infra/cdk.tf.json'), 'utf8'));
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
  });
});

describe('kpaas connect', () => {
  let work: string;
  beforeEach(() => { work = fs.mkdtempSync(path.join(os.tmpdir(), 'kpaas-connect-')); });
  afterEach(() => fs.rmSync(work, { recursive: true, force: true }));

  const node = (role: string, ip: string, pub: string | null) => ({ role, private_ip: ip, public_ip: pub });
  const outputs = {
    ansible: {
      sensitive: false,
      value: {
        ssh_user: 'ubuntu',
        jump_host: '203.0.113.10',
        nodes: {
          'master-1': node('master', '172.16.0.192', '203.0.113.10'), 'master-2': node('master', '172.16.0.157', '203.0.113.11'),
          'master-3': node('master', '172.16.0.254', '203.0.113.12'), 'worker-1': node('worker', '172.16.0.12', '203.0.113.21'),
          'worker-2': node('worker', '172.16.0.78', '203.0.113.22'), 'worker-3': node('worker', '172.16.0.30', '203.0.113.23'),
        },
        master_lb: { vip: '172.16.0.176', public_ip: '203.0.113.5' },
        worker_lb: { vip: '172.16.0.53', public_ip: '203.0.113.6' },
      },
    },
  };

  it('writes the connection files from terraform output, and synth keeps them', async () => {
    expect(synthDefaults(work).code).toBe(0);
    fs.writeFileSync(path.join(work, 'outputs.json'), JSON.stringify(outputs));
    const r = await kpaas(work, 'connect', '--from', 'outputs.json');
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toBe('wrote dist/ansible/inventory/zz-connection.yaml\nwrote dist/ansible/cp-cluster-vars.connection.sh\n');
    const inventory = fs.readFileSync(path.join(work, 'dist/ansible/inventory/zz-connection.yaml'), 'utf8');
    expect(inventory).toContain('203.0.113.21');
    expect(inventory).toContain('203.0.113.5');
    expect((await kpaas(work, 'synth')).code).toBe(0);
    expect(fs.readFileSync(path.join(work, 'dist/ansible/inventory/zz-connection.yaml'), 'utf8')).toBe(inventory);
    expect((await kpaas(work, 'synth', '--check')).code).toBe(0);
  });

  it('fails on outputs without the ansible output, writing nothing', async () => {
    expect(synthDefaults(work).code).toBe(0);
    fs.writeFileSync(path.join(work, 'outputs.json'), JSON.stringify({ nodes: { value: {} } }));
    const r = await kpaas(work, 'connect', '--from', 'outputs.json');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: outputs\.json: .*ansible/);
    expect(r.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    expect(fs.existsSync(path.join(work, 'dist/ansible/inventory/zz-connection.yaml'))).toBe(false);
  });

  it('fails on a file that is not JSON', async () => {
    expect(synthDefaults(work).code).toBe(0);
    fs.writeFileSync(path.join(work, 'outputs.json'), 'not json');
    expect((await kpaas(work, 'connect', '--from', 'outputs.json')).stderr).toMatch(/^error: outputs\.json is not JSON/);
  });

  it('fails before synth has made dist/ansible', async () => {
    fs.writeFileSync(path.join(work, 'outputs.json'), JSON.stringify(outputs));
    const r = await kpaas(work, 'connect', '--from', 'outputs.json');
    expect([r.code, r.stderr]).toEqual([1, 'error: dist/ansible does not exist; run `npm run synth` first\n']);
  });
});
