/**
 * The CLI in-process: run() (cli/program.ts) with a working directory and its output captured,
 * as a child process would see it but without starting Node and loading cdktf and cdk8s again.
 * Keep a few real processes for what only a process shows (exit codes, the bundled build).
 */
import { run } from '../../cli/program';

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `kpaas <args>` in `cwd` in this process; run() returns the exit code instead of exiting. */
export async function runCli(cwd: string, ...args: string[]): Promise<CliResult> {
  const out: string[] = [];
  const err: string[] = [];
  const stdout = process.stdout.write;
  const stderr = process.stderr.write;
  process.stdout.write = ((s: string | Uint8Array) => { out.push(String(s)); return true; }) as typeof process.stdout.write;
  process.stderr.write = ((s: string | Uint8Array) => { err.push(String(s)); return true; }) as typeof process.stderr.write;
  const prev = process.cwd();
  process.chdir(cwd);
  try {
    const code = await run(args);
    return { code, stdout: out.join(''), stderr: err.join('') };
  } finally {
    process.chdir(prev);
    process.stdout.write = stdout;
    process.stderr.write = stderr;
  }
}
