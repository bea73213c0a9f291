#!/usr/bin/env node
/**
 * kpaas CLI entry point: `node build/main.js synth` (see cli/program.ts). run() is the boundary
 * that turns every error into one line; this adds the errors that arrive outside it.
 */
import { debugRequested, EXIT_BUG, reportError, run } from './cli';

const argv = process.argv.slice(2);
const debug = debugRequested(argv);

// a reader that stops early (`kpaas config | head`) is not an error
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  process.exitCode = reportError(e, debug);
});
// nowhere left to report to
process.stderr.on('error', () => process.exit(process.exitCode || 1));
// errors thrown outside run()'s await (timers, streams): still one line, never a bare trace; the
// process then ends, as it would have without the handler (stderr is synchronous for files and pipes)
process.on('uncaughtException', (e) => process.exit(reportError(e, debug)));
process.on('unhandledRejection', (e) => process.exit(reportError(e, debug)));

run(argv).then(
  (code) => { process.exitCode = code; },
  (e: unknown) => { process.exitCode = reportError(e, debug) || EXIT_BUG; },
);
