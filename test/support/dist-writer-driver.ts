/**
 * A process that runs the dist writer once, for the kill tests: `node driver.js <out> <files.json>
 * [<step>]` kills itself (SIGKILL) just before the writer's step number <step>, or runs to the end
 * and prints what the writer recovered as JSON.
 */
import * as fs from 'fs';
import { writeDist } from '../../cli/dist-writer';

const [out, filesJson, killAt] = process.argv.slice(2);
const files = new Map(Object.entries(JSON.parse(fs.readFileSync(filesJson, 'utf8')) as Record<string, string>).map(([k, v]) => [k, { content: v }]));
let n = 0;
writeDist(out, files, {
  staleLockMs: 2000,
  beforeStep: () => {
    if (killAt !== undefined && n === Number(killAt)) process.kill(process.pid, 'SIGKILL');
    n++;
  },
}).then(
  (r) => { process.stdout.write(`${JSON.stringify({ steps: n, recovered: r.recovered })}\n`); },
  (e: unknown) => { process.stderr.write(`${(e as Error).message}\n`); process.exitCode = 1; },
);
