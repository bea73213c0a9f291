/**
 * dist/architecture.svg: Graphviz (@viz-js/viz, wasm) draws the DOT's nodes, the same bytes on
 * every run, and fails loudly on a DOT it cannot draw.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { DOCS_ARCHITECTURE_SVG } from '../../cli/render';
import { renderSvg } from '../../diagram';
import { dotOf, FIVE_WORKERS } from './diagram-inputs';

/** The texts Graphviz drew, entities decoded (it writes `-` as `&#45;`). */
function svgTexts(svg: string): string[] {
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)))
    .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&'));
}

const sha = (text: string) => createHash('sha256').update(text).digest('hex');

describe('architecture.svg', () => {
  it('draws the added workers: their names and addresses are text in the SVG', async () => {
    const texts = svgTexts(await renderSvg(dotOf(FIVE_WORKERS)));
    for (const t of ['workers (5): worker node', 'worker-4', '172.16.0.31', 'worker-5', '172.16.0.40']) expect(texts).toContain(t);
    expect(svgTexts(await renderSvg(dotOf({})))).not.toContain('worker-4');
  });

  it('draws a large cluster as its ranges, not a row per node', async () => {
    const svg = await renderSvg(dotOf({ network: { subnet: { cidr: '172.16.0.0/21' } }, nodes: { workers: { count: 1000, ipRange: '172.16.1.1-172.16.4.250' } } }));
    const texts = svgTexts(svg);
    expect(texts).toContain('worker-4 to worker-999 (996 workers)');
    expect(texts).toContain('172.16.1.4-172.16.4.231');
    expect(texts.filter((t) => /^worker-\d+$/.test(t))).toEqual(['worker-1', 'worker-2', 'worker-3', 'worker-1000']);
  });

  it('is byte-identical on every run, with other drawings in between', async () => {
    const dot = dotOf({});
    const first = await renderSvg(dot);
    await renderSvg(dotOf(FIVE_WORKERS));
    const second = await renderSvg(dot);
    expect(sha(second)).toBe(sha(first));
    // nothing of the machine or the moment in it
    expect(first).not.toMatch(/\/tmp|\/work|\/home|\d{4}-\d{2}-\d{2}T/);
  });

  it('docs/architecture.svg, which the README shows, is the default cluster\'s drawing (run `npm run docs`)', async () => {
    const committed = fs.readFileSync(path.join(__dirname, '../..', DOCS_ARCHITECTURE_SVG), 'utf8');
    expect(committed === await renderSvg(dotOf({}))).toBe(true);
  });

  it('fails on a DOT Graphviz cannot read, with its message', async () => {
    await expect(renderSvg('digraph { "a" -> }')).rejects.toThrow(/^Graphviz could not draw architecture\.svg: error: syntax error in line 1/);
  });
});
