#!/usr/bin/env node
// `npm test`: the type check (tsc --noEmit, incremental: its state in build/tsc.tsbuildinfo) and
// jest run at the same time; the run fails when either fails. tsc's output is printed after
// jest's, so the two do not interleave. Arguments go to jest.
const { spawn } = require('child_process');
const path = require('path');

const root = path.resolve(__dirname, '../..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);

function start(cmd, args, capture) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: root, stdio: capture ? ['ignore', 'pipe', 'pipe'] : 'inherit' });
    let out = '';
    if (capture) {
      child.stdout.on('data', (d) => { out += d; });
      child.stderr.on('data', (d) => { out += d; });
    }
    child.on('error', (e) => resolve({ code: 1, out: `${out}${e.message}\n` }));
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), out }));
  });
}

(async () => {
  const started = Date.now();
  const tsc = start(bin('tsc'), ['--noEmit', '--incremental', '--tsBuildInfoFile', path.join(root, 'build', 'tsc.tsbuildinfo')], true);
  const jest = start(bin('jest'), process.argv.slice(2), false);
  const [t, j] = await Promise.all([tsc, jest]);
  if (t.out) process.stdout.write(t.out);
  process.stdout.write(`tsc --noEmit: ${t.code === 0 ? 'no type errors' : `failed (exit ${t.code})`}; npm test took ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  process.exitCode = t.code !== 0 ? t.code : j.code;
})();
