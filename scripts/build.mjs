// Bundles the CLI into build/main.js with esbuild: `npm run synth` then starts compiled
// JavaScript in well under a second, where a type-checking runner takes seconds. Dependencies
// stay external (loaded from node_modules); type checking is `npm run typecheck`.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
// the playbooks and templates under ansible/files/ are imported as their text; the tests that
// bundle the CLI and jest's transform read the same list
const textLoader = JSON.parse(readFileSync(new URL('./text-loader.json', import.meta.url), 'utf8'));

await build({
  entryPoints: ['main.ts'],
  outfile: 'build/main.js',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  external: Object.keys(pkg.dependencies ?? {}),
  loader: textLoader,
  logLevel: 'warning',
});
