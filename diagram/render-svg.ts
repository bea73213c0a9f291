/**
 * dist/architecture.svg from its DOT source, by Graphviz compiled to WebAssembly (@viz-js/viz,
 * pinned to one exact version: its Graphviz and so its output are fixed). Offline and
 * deterministic: the module carries the wasm inside, and Graphviz's SVG has no timestamp, path or
 * random ID; text widths come from Graphviz's built-in font metrics, not the machine's fonts.
 */
import { setFlagsFromString } from 'v8';
import type { Viz } from '@viz-js/viz';

/** The drawing in dist. */
export const ARCHITECTURE_SVG = 'architecture.svg';

let viz: Promise<Viz> | undefined;

/**
 * Loads Graphviz when something is drawn (the other commands never pay for it), compiled by V8's
 * baseline wasm compiler only. By default V8 also recompiles Graphviz's hot functions with its
 * optimizing compiler, in the background: for one drawing that costs more CPU than it saves
 * (measured in a bare Node process, loading, starting and one drawing of the default cluster: about
 * 200 ms CPU and 70 MiB peak RSS with it, 100 ms and 55 MiB without). The flag concerns
 * WebAssembly alone, and Graphviz is the only wasm in the bundle; wasm computes the same
 * results under either compiler (test/cli/bundle.test.ts compares the bundle's drawing with the
 * one made here).
 */
async function startGraphviz(): Promise<Viz> {
  setFlagsFromString('--liftoff-only');
  const { instance } = await import('@viz-js/viz');
  return instance();
}

/**
 * Graphviz's warning for a character outside ASCII, whose width its built-in metrics lack: the box
 * around it may come out a little narrow, nothing worse. Only a configured value can bring one
 * (a flavor name, say); the diagram's own text is ASCII (test/diagram checks).
 */
const NON_ASCII_WIDTH = /no value for width of non-ASCII character/;

/**
 * The SVG of a DOT graph. Instantiating the WebAssembly module is asynchronous; it is done once
 * per process. Graphviz's errors and warnings fail (the DOT is ours, so either is a bug), except
 * the one about a non-ASCII character's width.
 */
export async function renderSvg(dot: string): Promise<string> {
  viz ??= startGraphviz();
  const result = (await viz).render(dot, { format: 'svg', engine: 'dot' });
  const problems = result.errors.filter((e) => !NON_ASCII_WIDTH.test(e.message)).map((e) => `${e.level ?? 'error'}: ${e.message.trim()}`);
  if (result.status !== 'success' || problems.length) {
    throw new Error(`Graphviz could not draw ${ARCHITECTURE_SVG}: ${problems.join('; ') || 'no output'}`);
  }
  return result.output;
}
