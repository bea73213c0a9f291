// Writes config/catalog/kubespray-images-<track>.json: the container images kubespray pulls for a
// release track, evaluated offline by the track's ansible-core over kubespray's own download
// defaults and the dist/ansible inventory of the track's default configuration (one
// ansible-playbook process per track; see cli/kubespray-images-eval.ts). Synth reads those files;
// test/cli/images.test.ts evaluates the default track again and compares.
//
//   node scripts/kubespray-images.mjs [TRACK ...] [--upstream DIR]
//
// TRACK defaults to every track with a catalog; DIR defaults to ../shared/upstream.
import { build } from 'esbuild';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
let upstream = resolve(root, '../shared/upstream');
const tracks = [];
for (let i = 0; i < args.length; i += 1) {
  if (args[i] === '--upstream') upstream = resolve(args[(i += 1)]);
  else tracks.push(args[i]);
}

const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const textLoader = JSON.parse(readFileSync(join(root, 'scripts/text-loader.json'), 'utf8'));
// bundled into build/ (git-ignored), where the dependencies resolve from node_modules
const outfile = join(root, 'build', `kubespray-images-eval-${process.pid}.cjs`);
mkdirSync(dirname(outfile), { recursive: true });
try {
  await build({
    entryPoints: [join(root, 'cli/kubespray-images-eval.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: Object.keys(pkg.dependencies ?? {}),
    loader: textLoader,
    logLevel: 'warning',
  });
  const evaluation = createRequire(join(root, 'package.json'))(outfile);
  for (const track of tracks.length > 0 ? tracks : evaluation.CATALOG_TRACKS) {
    const started = Date.now();
    const catalog = evaluation.evaluateKubesprayImages(track, upstream);
    const file = join(root, 'config/catalog', `kubespray-images-${track}.json`);
    writeFileSync(file, evaluation.catalogText(catalog));
    console.log(`${track}: ${catalog.images.length} images from ${catalog.source} into ${file.slice(root.length + 1)} in ${Date.now() - started} ms`);
  }
} catch (e) {
  console.error(`error: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
} finally {
  rmSync(outfile, { force: true });
}
