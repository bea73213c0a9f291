#!/usr/bin/env node
// Benchmarks `kpaas synth` as a whole process (startup + load + synth + atomic write) for three
// cluster sizes: the default (seed) cluster, 50 workers and 200 workers. Each case is synthesized
// N times (the first run is a discarded warm-up), each into a fresh temp out dir.
//
// Per run it measures wall time (hrtime around the child) and, when GNU time is installed at
// /usr/bin/time (Debian/Ubuntu package `time`), the child's user+sys CPU time and peak RSS.
// Without it, CPU and RSS are printed as n/a.
//
//   npm run bench                      # build, then 7 runs per case (1 warm-up + 6 measured)
//   node scripts/bench.mjs --runs 3    # or BENCH_RUNS=3
//   node scripts/bench.mjs --json      # results as JSON on stdout (progress goes to stderr)
//
// Uses build/main.js as it is: `npm run bench` builds it first. Exits non-zero if a synth fails.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const MAIN = path.join(ROOT, 'build', 'main.js');
const GNU_TIME = '/usr/bin/time';
const DEFAULT_RUNS = 7;
const RUN_TIMEOUT_MS = 10 * 60 * 1000;

const CASES = [
  { name: 'default', expectedNodes: 6, yaml: '# empty: the built-in default (seed) cluster, 3 masters + 3 workers\n' },
  {
    name: '50 workers',
    expectedNodes: 53,
    // Starts above 172.16.0.53 (the default worker LB VIP): an ipRange must not cover it.
    yaml: 'nodes:\n  workers:\n    count: 50\n    ipRange: 172.16.0.60-172.16.0.150\n',
  },
  {
    name: '200 workers',
    expectedNodes: 203,
    // 200 workers do not fit the default /24; the default masters, VIPs, ingress and MetalLB
    // addresses all lie in 172.16.0.0/22 as well, so only the subnet and the worker range change.
    yaml: 'network:\n  subnet: { cidr: 172.16.0.0/22 }\nnodes:\n  workers: { count: 200, ipRange: 172.16.1.1-172.16.1.250 }\n',
  },
];

function usage() {
  return 'usage: node scripts/bench.mjs [--runs N] [--json]\n'
    + `  --runs N   synth runs per case, the first a discarded warm-up (default ${DEFAULT_RUNS}, or env BENCH_RUNS)\n`
    + '  --json     print the results as JSON instead of a table\n';
}

function fail(message, code = 2) {
  process.stderr.write(`bench: ${message}\n`);
  process.exit(code);
}

function parseRuns(value, source) {
  if (!/^\d+$/.test(String(value).trim())) fail(`${source} must be a whole number, got "${value}"`);
  const n = Number(value);
  if (n < 2) fail(`${source} must be at least 2 (one warm-up run plus at least one measured run), got ${n}`);
  return n;
}

function parseArgs(argv) {
  const opts = { runs: undefined, json: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--json') opts.json = true;
    else if (arg === '--runs') {
      if (i + 1 >= argv.length) fail('--runs needs a value');
      opts.runs = parseRuns(argv[++i], '--runs');
    } else if (arg.startsWith('--runs=')) opts.runs = parseRuns(arg.slice('--runs='.length), '--runs');
    else if (arg === '-h' || arg === '--help') {
      process.stdout.write(usage());
      process.exit(0);
    } else fail(`unknown argument "${arg}"\n${usage()}`);
  }
  if (opts.runs === undefined) {
    const env = process.env.BENCH_RUNS;
    opts.runs = env !== undefined && env.trim() !== '' ? parseRuns(env, 'BENCH_RUNS') : DEFAULT_RUNS;
  }
  return opts;
}

function hasGnuTime() {
  try {
    accessSync(GNU_TIME, constants.X_OK);
  } catch {
    return false;
  }
  // Busybox or BSD time would not understand -f/-o: check that it is GNU time.
  const probe = spawnSync(GNU_TIME, ['-f', '%e %U %S %M', '-o', '/dev/null', 'true'], { encoding: 'utf8' });
  return probe.status === 0;
}

const median = (xs) => {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

function listFiles(dir) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(p));
    else out.push(p);
  }
  return out;
}

/** Files, resources and instances (nodes) of a synthesized out dir. */
function inspectOutput(outDir) {
  const files = listFiles(outDir);
  const tfJson = path.join(outDir, 'terraform', 'infra', 'cdk.tf.json');
  const tf = JSON.parse(readFileSync(tfJson, 'utf8'));
  let resources = 0;
  for (const byName of Object.values(tf.resource ?? {})) resources += Object.keys(byName).length;
  const nodes = Object.keys(tf.resource?.openstack_compute_instance_v2 ?? {}).length;
  return { files: files.length, resources, nodes, tfJsonBytes: statSync(tfJson).size };
}

function runOnce(caseDir, configFile, outDir, timeFile, useGnuTime) {
  const synthArgs = [MAIN, 'synth', '--config', configFile, '--out', outDir];
  const [cmd, args] = useGnuTime
    ? [GNU_TIME, ['-f', '%e %U %S %M', '-o', timeFile, process.execPath, ...synthArgs]]
    : [process.execPath, synthArgs];
  const started = process.hrtime.bigint();
  const child = spawnSync(cmd, args, {
    cwd: caseDir, // so no kpaas.config.yaml of the caller's cwd is involved
    // The synth's own scratch dirs go under the bench's temp dir too, removed with it.
    env: { ...process.env, TMPDIR: caseDir },
    encoding: 'utf8',
    timeout: RUN_TIMEOUT_MS,
    maxBuffer: 64 * 1024 * 1024,
  });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  const result = { wallMs, cpuMs: null, maxRssMb: null, child };
  if (child.error || child.status !== 0) return { ...result, ok: false };
  if (useGnuTime) {
    // The last line: GNU time prints "Command exited with non-zero status" lines before it.
    const line = readFileSync(timeFile, 'utf8').trim().split('\n').pop();
    const [, user, sys, rssKb] = line.split(/\s+/).map(Number);
    if ([user, sys, rssKb].every(Number.isFinite)) {
      result.cpuMs = Math.round((user + sys) * 1000); // GNU time reports 10 ms steps
      result.maxRssMb = rssKb / 1024;
    }
  }
  return { ...result, ok: true };
}

function describeFailure(c, runIndex, r) {
  const what = r.child.error
    ? `${r.child.error.code === 'ETIMEDOUT' ? `timed out after ${RUN_TIMEOUT_MS / 1000} s` : r.child.error.message}`
    : r.child.signal ? `killed by ${r.child.signal}` : `exit code ${r.child.status}`;
  let msg = `bench: synth failed for case "${c.name}" (run ${runIndex + 1}): ${what}\n`;
  if (r.child.stderr) msg += `--- stderr ---\n${r.child.stderr.trimEnd()}\n`;
  if (r.child.stdout) msg += `--- stdout ---\n${r.child.stdout.trimEnd()}\n`;
  return msg;
}

function fmt(v, digits = 0) {
  return v === null || v === undefined || Number.isNaN(v) ? 'n/a' : v.toFixed(digits);
}

function table(header, rows, rightAlignFrom = 1) {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => String(r[i]).length)));
  const line = (r) => r.map((cell, i) => (i < rightAlignFrom ? String(cell).padEnd(widths[i]) : String(cell).padStart(widths[i]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (!existsSync(MAIN)) fail(`${path.relative(process.cwd(), MAIN) || MAIN} not found: run \`npm run build\` first (or use \`npm run bench\`)`);
  const useGnuTime = hasGnuTime();
  const log = (s) => process.stderr.write(s);
  const benchStarted = process.hrtime.bigint();

  const tmpRoot = mkdtempSync(path.join(os.tmpdir(), 'kpaas-bench-'));
  const cleanup = () => rmSync(tmpRoot, { recursive: true, force: true });
  for (const sig of ['SIGINT', 'SIGTERM']) {
    process.on(sig, () => {
      cleanup();
      process.exit(128 + os.constants.signals[sig]);
    });
  }

  const results = [];
  try {
    log(`bench: ${CASES.length} cases x ${opts.runs} runs (first discarded as warm-up), node ${process.version}`
      + `${useGnuTime ? ', CPU/RSS via /usr/bin/time' : ''}\n`);
    for (const [ci, c] of CASES.entries()) {
      const caseDir = path.join(tmpRoot, `case-${ci}`);
      mkdirSync(caseDir);
      const configFile = path.join(caseDir, 'kpaas.config.yaml');
      writeFileSync(configFile, c.yaml);
      const measured = [];
      let output;
      log(`  ${c.name.padEnd(12)} `);
      for (let i = 0; i < opts.runs; i++) {
        const runDir = mkdtempSync(path.join(caseDir, `run-${i}-`));
        const outDir = path.join(runDir, 'dist');
        const r = runOnce(caseDir, configFile, outDir, path.join(runDir, 'time.txt'), useGnuTime);
        if (!r.ok) {
          log('\n');
          process.stderr.write(describeFailure(c, i, r));
          process.exitCode = 1;
          return;
        }
        const out = inspectOutput(outDir);
        if (output && (out.files !== output.files || out.resources !== output.resources || out.tfJsonBytes !== output.tfJsonBytes)) {
          log(`\nbench: warning: case "${c.name}" run ${i + 1} produced different output than the run before\n`);
        }
        output = out; // the last run's counts are reported
        if (i > 0) measured.push(r);
        rmSync(runDir, { recursive: true, force: true });
        log(i === 0 ? 'w' : '.');
      }
      if (output.nodes !== c.expectedNodes) {
        log(`\nbench: warning: case "${c.name}" synthesized ${output.nodes} instances, expected ${c.expectedNodes}\n`);
      }
      const round = (v, digits) => Math.round(v * 10 ** digits) / 10 ** digits;
      const walls = measured.map((r) => round(r.wallMs, 1));
      const cpus = measured.map((r) => r.cpuMs).filter((v) => v !== null);
      const rsss = measured.map((r) => r.maxRssMb).filter((v) => v !== null).map((v) => round(v, 2));
      const res = {
        case: c.name,
        nodes: output.nodes,
        files: output.files,
        resources: output.resources,
        tfJsonKb: round(output.tfJsonBytes / 1024, 1),
        measuredRuns: measured.length,
        wallMs: { median: median(walls), min: Math.min(...walls), max: Math.max(...walls), runs: walls },
        cpuMs: { median: median(cpus), runs: cpus.length ? cpus : null },
        maxRssMb: { median: median(rsss), runs: rsss.length ? rsss : null },
      };
      results.push(res);
      log(` median ${fmt(res.wallMs.median)} ms\n`);
    }
  } finally {
    cleanup();
  }

  const base = results[0];
  const ratio = (a, b) => (a === null || b === null || b === 0 ? null : Math.round((a / b) * 1000) / 1000);
  const growth = results.slice(1).map((r) => ({
    case: r.case,
    vs: base.case,
    nodes: ratio(r.nodes, base.nodes),
    resources: ratio(r.resources, base.resources),
    wall: ratio(r.wallMs.median, base.wallMs.median),
    cpu: ratio(r.cpuMs.median, base.cpuMs.median),
    maxRss: ratio(r.maxRssMb.median, base.maxRssMb.median),
  }));
  const totalSeconds = Number(process.hrtime.bigint() - benchStarted) / 1e9;

  if (opts.json) {
    process.stdout.write(`${JSON.stringify({
      node: process.version,
      platform: `${os.platform()} ${os.arch()}`,
      cpu: os.cpus()[0]?.model ?? null,
      runsPerCase: opts.runs,
      warmupRuns: 1,
      cpuAndRss: useGnuTime ? GNU_TIME : null,
      results,
      growth,
      totalSeconds,
    }, null, 2)}\n`);
    return;
  }

  const x = (v) => (v === null ? 'n/a' : `${v.toFixed(2)}x`);
  const out = [];
  out.push(`kpaas synth benchmark: node ${process.version}, ${os.platform()} ${os.arch()}, ${os.cpus()[0]?.model ?? 'unknown CPU'}`);
  out.push(`${opts.runs} runs per case, first discarded as warm-up; median${opts.runs - 1 === 1 ? ' of 1 run' : `s of ${opts.runs - 1} runs`}; whole process (startup + synth + write)`);
  out.push('');
  out.push(table(
    ['case', 'nodes', 'files', 'resources', 'tf.json KB', 'wall ms (median)', 'min', 'max', 'CPU ms (user+sys)', 'peak RSS MB'],
    results.map((r) => [r.case, r.nodes, r.files, r.resources, fmt(r.tfJsonKb, 0), fmt(r.wallMs.median), fmt(r.wallMs.min), fmt(r.wallMs.max), fmt(r.cpuMs.median), fmt(r.maxRssMb.median, 1)]),
  ));
  out.push('');
  out.push(`growth against "${base.case}" (ratios of medians):`);
  out.push(table(
    ['case', 'nodes', 'resources', 'wall', 'CPU', 'peak RSS'],
    growth.map((g) => [g.case, x(g.nodes), x(g.resources), x(g.wall), x(g.cpu), x(g.maxRss)]),
  ));
  out.push('');
  if (!useGnuTime) {
    out.push('hint: CPU and peak RSS need GNU time at /usr/bin/time: install it with `apt-get install time` (Debian/Ubuntu package `time`).');
  }
  out.push(`total benchmark time: ${totalSeconds.toFixed(1)} s`);
  process.stdout.write(`${out.join('\n')}\n`);
}

main();
