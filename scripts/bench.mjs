#!/usr/bin/env node
// Benchmarks `kpaas synth` as a whole process (startup + load + synth + atomic write) for the
// default (seed) cluster and growing worker counts up to 1000, beside a bare `node -e ''` (the
// cost of starting Node at all). Each case runs N times (the first a discarded warm-up), each
// synth into a fresh temp out dir; the medians are reported.
//
// Per run it measures wall time (hrtime around the child) and, from outside the process, with GNU
// time at /usr/bin/time (Debian/Ubuntu package `time`), the child's user+sys CPU time and peak RSS.
// Without it, CPU and RSS are printed as n/a.
//
// It prints issue 15's ratios, each against its target: the default synth's CPU against the bare
// node's (<= 4x), 1000 workers' CPU against the default's (<= 3x), and the peak RSS at 1000
// workers (<= 200 MiB).
//
//   npm run bench                      # build, then 6 runs per case (1 warm-up + 5 measured)
//   node scripts/bench.mjs --runs 3    # or BENCH_RUNS=3
//   node scripts/bench.mjs --json      # results as JSON on stdout (progress goes to stderr)
//   node scripts/bench.mjs --main other/main.js   # another build of the CLI (before/after)
//
// Uses build/main.js as it is: `npm run bench` builds it first. Exits non-zero if a synth fails.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DEFAULT_MAIN = path.join(ROOT, 'build', 'main.js');
const GNU_TIME = '/usr/bin/time';
const DEFAULT_RUNS = 6;
const RUN_TIMEOUT_MS = 10 * 60 * 1000;

/** Workers of a case of `n` workers: a subnet that holds them, the range they take. */
function workers(n, subnet, ipRange) {
  return `network:\n  subnet: { cidr: ${subnet} }\nnodes:\n  workers: { count: ${n}, ipRange: ${ipRange} }\n`;
}

// The default masters, ingress IP and MetalLB pool lie in 172.16.0.0/24 and so in every larger
// subnet below: only the subnet and the workers' range change. 200 workers do not fit the /24
// beside them; 1000 need a /21 (1047 addresses with the masters, LB VIPs, ingress IP and pool; a /22 holds 1022).
const CASES = [
  { name: 'node -e \'\'', baseline: true },
  { name: 'default', expectedNodes: 6, yaml: '# empty: the built-in default (seed) cluster, 3 masters + 3 workers\n' },
  // Starts above 172.16.0.53 (the openstack worker LB VIP): an ipRange must not cover it.
  { name: '50 workers', expectedNodes: 53, yaml: 'nodes:\n  workers:\n    count: 50\n    ipRange: 172.16.0.60-172.16.0.150\n' },
  { name: '200 workers', expectedNodes: 203, yaml: workers(200, '172.16.0.0/22', '172.16.1.1-172.16.1.250') },
  { name: '500 workers', expectedNodes: 503, yaml: workers(500, '172.16.0.0/22', '172.16.1.1-172.16.3.250') },
  { name: '1000 workers', expectedNodes: 1003, yaml: workers(1000, '172.16.0.0/21', '172.16.1.1-172.16.4.250') },
];
const TARGETS = { defaultVsNode: 4, bigVsDefault: 3, bigRssMib: 200 };

function usage() {
  return 'usage: node scripts/bench.mjs [--runs N] [--json] [--main FILE]\n'
    + `  --runs N   synth runs per case, the first a discarded warm-up (default ${DEFAULT_RUNS}, or env BENCH_RUNS)\n`
    + '  --json     print the results as JSON instead of a table\n'
    + '  --main F   the bundled CLI to run (default build/main.js)\n';
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
  const opts = { runs: undefined, json: false, main: DEFAULT_MAIN };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--json') opts.json = true;
    else if (arg === '--runs') {
      if (i + 1 >= argv.length) fail('--runs needs a value');
      opts.runs = parseRuns(argv[++i], '--runs');
    } else if (arg === '--main') {
      if (i + 1 >= argv.length) fail('--main needs a value');
      opts.main = path.resolve(argv[++i]);
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
  // instances of either provider (openstack_compute_instance_v2, kakaocloud_instance)
  const nodes = Object.entries(tf.resource ?? {})
    .filter(([type]) => /_instance(_v2)?$/.test(type) && !/group|volume|attach/.test(type))
    .reduce((n, [, byName]) => n + Object.keys(byName).length, 0);
  return { files: files.length, resources, nodes, tfJsonBytes: statSync(tfJson).size };
}

/** One run of `argv` (node's arguments) under GNU time: wall, CPU (user+sys) and peak RSS. */
function runOnce(argv, caseDir, timeFile, useGnuTime) {
  const [cmd, args] = useGnuTime
    ? [GNU_TIME, ['-f', '%e %U %S %M', '-o', timeFile, process.execPath, ...argv]]
    : [process.execPath, argv];
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
      result.maxRssMb = rssKb / 1024; // KiB: MiB
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

function loadAverage() {
  return os.loadavg().map((v) => v.toFixed(2)).join(' ');
}

function main() {
  const opts = parseArgs(process.argv.slice(2));
  const MAIN = opts.main;
  if (!existsSync(MAIN)) fail(`${path.relative(process.cwd(), MAIN) || MAIN} not found: run \`npm run build\` first (or use \`npm run bench\`)`);
  const useGnuTime = hasGnuTime();
  const log = (s) => process.stderr.write(s);
  const benchStarted = process.hrtime.bigint();
  const loadBefore = loadAverage();

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
    log(`bench: ${path.relative(process.cwd(), MAIN) || MAIN}, ${CASES.length} cases x ${opts.runs} runs (first discarded as warm-up), node ${process.version}`
      + `${useGnuTime ? ', CPU/RSS via /usr/bin/time' : ''}, load ${loadBefore}\n`);
    for (const [ci, c] of CASES.entries()) {
      const caseDir = path.join(tmpRoot, `case-${ci}`);
      mkdirSync(caseDir);
      const configFile = path.join(caseDir, 'kpaas.config.yaml');
      if (!c.baseline) writeFileSync(configFile, c.yaml);
      const measured = [];
      let output;
      log(`  ${c.name.padEnd(12)} `);
      for (let i = 0; i < opts.runs; i++) {
        const runDir = mkdtempSync(path.join(caseDir, `run-${i}-`));
        const outDir = path.join(runDir, 'dist');
        const argv = c.baseline ? ['-e', ''] : [MAIN, 'synth', '--config', configFile, '--out', outDir];
        const r = runOnce(argv, caseDir, path.join(runDir, 'time.txt'), useGnuTime);
        if (!r.ok) {
          log('\n');
          process.stderr.write(describeFailure(c, i, r));
          process.exitCode = 1;
          return;
        }
        if (!c.baseline) {
          const out = inspectOutput(outDir);
          if (output && (out.files !== output.files || out.resources !== output.resources || out.tfJsonBytes !== output.tfJsonBytes)) {
            log(`\nbench: warning: case "${c.name}" run ${i + 1} produced different output than the run before\n`);
          }
          output = out; // the last run's counts are reported
        }
        if (i > 0) measured.push(r);
        rmSync(runDir, { recursive: true, force: true });
        log(i === 0 ? 'w' : '.');
      }
      if (output && output.nodes !== c.expectedNodes) {
        log(`\nbench: warning: case "${c.name}" synthesized ${output.nodes} instances, expected ${c.expectedNodes}\n`);
      }
      const round = (v, digits) => Math.round(v * 10 ** digits) / 10 ** digits;
      const walls = measured.map((r) => round(r.wallMs, 1));
      const cpus = measured.map((r) => r.cpuMs).filter((v) => v !== null);
      const rsss = measured.map((r) => r.maxRssMb).filter((v) => v !== null).map((v) => round(v, 2));
      const res = {
        case: c.name,
        baseline: Boolean(c.baseline),
        nodes: output?.nodes ?? null,
        files: output?.files ?? null,
        resources: output?.resources ?? null,
        tfJsonKb: output ? round(output.tfJsonBytes / 1024, 1) : null,
        measuredRuns: measured.length,
        wallMs: { median: median(walls), min: Math.min(...walls), max: Math.max(...walls), runs: walls },
        cpuMs: { median: median(cpus), runs: cpus.length ? cpus : null },
        maxRssMb: { median: median(rsss), runs: rsss.length ? rsss : null },
      };
      results.push(res);
      log(` median ${fmt(res.wallMs.median)} ms wall, ${fmt(res.cpuMs.median)} ms CPU\n`);
    }
  } finally {
    cleanup();
  }
  const loadAfter = loadAverage();

  const byName = (name) => results.find((r) => r.case === name);
  const bare = results.find((r) => r.baseline);
  const base = byName('default');
  const big = byName('1000 workers');
  const ratio = (a, b) => (a === null || b === null || b === 0 ? null : Math.round((a / b) * 1000) / 1000);
  const growth = results.filter((r) => !r.baseline && r !== base).map((r) => ({
    case: r.case,
    vs: base.case,
    nodes: ratio(r.nodes, base.nodes),
    resources: ratio(r.resources, base.resources),
    wall: ratio(r.wallMs.median, base.wallMs.median),
    cpu: ratio(r.cpuMs.median, base.cpuMs.median),
    maxRss: ratio(r.maxRssMb.median, base.maxRssMb.median),
  }));
  // issue 15's targets, as ratios of medians of this one run
  const targets = [
    { what: 'default synth CPU / bare node CPU', value: ratio(base.cpuMs.median, bare.cpuMs.median), target: TARGETS.defaultVsNode, unit: 'x' },
    { what: '1000 workers CPU / default CPU', value: ratio(big.cpuMs.median, base.cpuMs.median), target: TARGETS.bigVsDefault, unit: 'x' },
    { what: '1000 workers peak RSS (MiB)', value: big.maxRssMb.median, target: TARGETS.bigRssMib, unit: ' MiB' },
  ].map((t) => ({ ...t, met: t.value === null ? null : t.value <= t.target }));
  const totalSeconds = Number(process.hrtime.bigint() - benchStarted) / 1e9;

  if (opts.json) {
    process.stdout.write(`${JSON.stringify({
      node: process.version,
      platform: `${os.platform()} ${os.arch()}`,
      cpu: os.cpus()[0]?.model ?? null,
      cores: os.cpus().length,
      loadAverage: { before: loadBefore, after: loadAfter },
      main: MAIN,
      runsPerCase: opts.runs,
      warmupRuns: 1,
      cpuAndRss: useGnuTime ? GNU_TIME : null,
      results,
      growth,
      targets,
      totalSeconds,
    }, null, 2)}\n`);
    return;
  }

  const x = (v) => (v === null ? 'n/a' : `${v.toFixed(2)}x`);
  const out = [];
  out.push(`kpaas synth benchmark: ${path.relative(process.cwd(), MAIN) || MAIN}, node ${process.version}, ${os.platform()} ${os.arch()}, ${os.cpus().length} x ${os.cpus()[0]?.model ?? 'unknown CPU'}`);
  out.push(`${opts.runs} runs per case, first discarded as warm-up; median${opts.runs - 1 === 1 ? ' of 1 run' : `s of ${opts.runs - 1} runs`}; whole process (startup + synth + write); load average ${loadBefore} -> ${loadAfter}`);
  out.push('');
  out.push(table(
    ['case', 'nodes', 'files', 'resources', 'tf.json KB', 'wall ms (median)', 'min', 'max', 'CPU ms (user+sys)', 'peak RSS MiB'],
    results.map((r) => [r.case, r.nodes ?? '', r.files ?? '', r.resources ?? '', r.tfJsonKb === null ? '' : fmt(r.tfJsonKb, 0), fmt(r.wallMs.median), fmt(r.wallMs.min), fmt(r.wallMs.max), fmt(r.cpuMs.median), fmt(r.maxRssMb.median, 1)]),
  ));
  out.push('');
  out.push(`growth against "${base.case}" (ratios of medians):`);
  out.push(table(
    ['case', 'nodes', 'resources', 'wall', 'CPU', 'peak RSS'],
    growth.map((g) => [g.case, x(g.nodes), x(g.resources), x(g.wall), x(g.cpu), x(g.maxRss)]),
  ));
  out.push('');
  out.push('targets (issue 15):');
  out.push(table(
    ['ratio', 'measured', 'target', ''],
    targets.map((t) => [t.what, t.value === null ? 'n/a' : `${t.value.toFixed(2)}${t.unit}`, `<= ${t.target}${t.unit}`, t.met === null ? 'n/a' : t.met ? 'met' : 'NOT MET']),
  ));
  out.push('');
  if (!useGnuTime) {
    out.push('hint: CPU and peak RSS need GNU time at /usr/bin/time: install it with `apt-get install time` (Debian/Ubuntu package `time`).');
  }
  out.push(`total benchmark time: ${totalSeconds.toFixed(1)} s`);
  process.stdout.write(`${out.join('\n')}\n`);
}

main();
