/**
 * Rendered dists shared by the test files of one jest run: renderAll of a config input (as
 * `kpaas synth` renders it, into memory) is done once per run and kept as JSON in the folder
 * test/support/global-setup.js made (KPAAS_TEST_RENDERED); every later reader, in any worker,
 * reads the JSON instead of loading cdktf and cdk8s and rendering again. Outside such a run (no
 * folder) it just renders. The renderer is loaded only when something is rendered.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type { KpaasConfigInput } from '../../config';

export interface RenderedFile {
  readonly content: string;
  readonly executable?: boolean;
}

export interface RenderDirs {
  readonly outDir: string;
  readonly projectDir: string;
}

const DEFAULT_DIRS: RenderDirs = { outDir: 'dist', projectDir: '.' };

/** Every dist file of a config input, as renderAll returns them. */
export function renderedDist(input: KpaasConfigInput = {}, dirs: RenderDirs = DEFAULT_DIRS): Map<string, RenderedFile> {
  const cacheDir = process.env.KPAAS_TEST_RENDERED;
  const key = createHash('sha256').update(JSON.stringify({ input, dirs })).digest('hex').slice(0, 24);
  const file = cacheDir ? path.join(cacheDir, `${key}.json`) : undefined;
  if (file && fs.existsSync(file)) return new Map(JSON.parse(fs.readFileSync(file, 'utf8')) as Array<[string, RenderedFile]>);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { renderAll } = require('../../cli/render') as typeof import('../../cli/render');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { parseConfig } = require('../../config') as typeof import('../../config');
  const files = renderAll(parseConfig(input), dirs);
  if (file) {
    // written whole, then renamed: a reader in another worker never sees half a file
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify([...files]));
    fs.renameSync(tmp, file);
  }
  return new Map(files);
}
