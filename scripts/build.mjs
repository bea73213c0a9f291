// Bundles the CLI into build/main.js with esbuild: `npm run synth` then starts compiled
// JavaScript in well under a second, where a type-checking runner takes seconds. Type checking is
// `npm run typecheck`.
//
// The bundle is self-contained and minified: Node parses one file instead of resolving and
// reading some 700 modules under node_modules, which is most of a small synth's time (README,
// "Performance"). Three parts of cdktf that synth never uses are replaced (scripts/shims.cjs, which
// jest's resolver applies too). None of them reaches the output: test/cli/bundle.test.ts checks that
// this bundle's dist is byte-identical to the --plain build's, and that each shim is in place.
//
//   node scripts/build.mjs               # build/main.js
//   node scripts/build.mjs --plain       # as before: dependencies external, not minified, no shims
//   node scripts/build.mjs --outfile F   # elsewhere than build/main.js (the tests build their own)
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { createRequire } from 'node:module';

const { shimOf } = createRequire(import.meta.url)('./shims.cjs');
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
// the playbooks and templates under ansible/files/ are imported as their text; the tests that
// bundle the CLI and jest's transform read the same list
const textLoader = JSON.parse(readFileSync(new URL('./text-loader.json', import.meta.url), 'utf8'));

const shimPlugin = {
  name: 'kpaas-shims',
  setup(b) {
    b.onLoad({ filter: /\.js$/ }, (args) => {
      const shim = shimOf(args.path);
      return shim ? { contents: readFileSync(shim.file, 'utf8'), loader: 'js' } : undefined;
    });
  },
};

/**
 * The pinned upstream CRD files (platform/envoy-gateway/crds/, some 3 MB of text) go into the bundle
 * gzipped: as plain string literals they would cost every synth ~26 MB of memory for the script
 * source, with or without Envoy Gateway. The module that imports them is required only when a synth
 * emits them, and then the text is restored byte for byte (test/cli/bundle.test.ts).
 */
const pinnedFilesPlugin = {
  name: 'kpaas-pinned-files',
  setup(b) {
    b.onLoad({ filter: /[\\/]platform[\\/]envoy-gateway[\\/]crds[\\/].*\.yaml$/ }, (args) => {
      const packed = gzipSync(readFileSync(args.path), { level: 9 }).toString('base64');
      return { contents: `module.exports = require('node:zlib').gunzipSync(Buffer.from(${JSON.stringify(packed)}, 'base64')).toString('utf8');`, loader: 'js' };
    });
  },
};

const args = process.argv.slice(2);
const plain = args.includes('--plain');
const outIndex = args.indexOf('--outfile');
const outfile = outIndex >= 0 ? args[outIndex + 1] : 'build/main.js';
if (!outfile) throw new Error('build.mjs: --outfile needs a file');

await build({
  entryPoints: ['main.ts'],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  loader: textLoader,
  logLevel: 'warning',
  ...(plain
    ? { external: Object.keys(pkg.dependencies ?? {}), plugins: [pinnedFilesPlugin] }
    : { minify: true, plugins: [shimPlugin, pinnedFilesPlugin], legalComments: 'none' }),
});
