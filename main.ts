#!/usr/bin/env node
/** kpaas CLI entry point: `node build/main.js synth` (see cli/program.ts). */
import { run } from './cli';

run(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (e: unknown) => {
    // an unexpected failure is a bug: show the stack, exit non-zero
    console.error(e);
    process.exitCode = 70;
  },
);
