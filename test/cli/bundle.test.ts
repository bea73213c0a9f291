/**
 * The bundled CLI (scripts/build.mjs): self-contained, minified, with three parts of cdktf
 * replaced (scripts/shims.cjs: its archive support, its Testing helpers, the stack trace each
 * token records). None of that may change the output: the bundle's dist must be byte-identical to
 * the in-process render (test/support/rendered.ts), the one the snapshot tests (test/platform,
 * test/stacks, test/ansible) check, and, since jest's resolver applies the same shims, to the dist
 * of the `--plain` build, which runs cdktf unshimmed from node_modules. The bundle is built outside
 * the checkout and run there, so it works without node_modules.
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { stringify } from 'yaml';
import { listFiles } from '../../cli/dist-writer';
import { withDrawing } from '../../cli/render';
import type { KpaasConfigInput } from '../../config';
import { renderedDist } from '../support/rendered';

const ROOT = path.resolve(__dirname, '../..');

let scratch: string;
let main: string;
/** The --plain build: beside node_modules (its dependencies are external), cdktf not shimmed. */
let plainDir: string;
beforeAll(() => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'kpaas-bundle-'));
  main = path.join(scratch, 'bin', 'main.js');
  execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs'), '--outfile', main], { cwd: ROOT });
  fs.mkdirSync(path.join(ROOT, 'build'), { recursive: true });
  plainDir = fs.mkdtempSync(path.join(ROOT, 'build', 'bundle-test-plain-'));
  execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs'), '--plain', '--outfile', path.join(plainDir, 'main.js')], { cwd: ROOT });
});
afterAll(() => {
  fs.rmSync(scratch, { recursive: true, force: true });
  fs.rmSync(plainDir, { recursive: true, force: true });
});

type SynthedDist = Map<string, { content: string; mode: number }>;

/** `kpaas synth` of `yaml` by the bundle, in a folder of its own; its dist's files and modes. */
function synthByBundle(name: string, yaml: string | undefined, bundle = main): SynthedDist {
  const cwd = path.join(scratch, name);
  fs.mkdirSync(cwd);
  if (yaml !== undefined) fs.writeFileSync(path.join(cwd, 'kpaas.config.yaml'), yaml);
  const r = spawnSync(process.execPath, [bundle, 'synth'], { cwd, encoding: 'utf8', env: { ...process.env, TMPDIR: scratch } });
  expect({ status: r.status, stderr: r.status === 0 ? '' : r.stderr }).toEqual({ status: 0, stderr: '' });
  const dist = path.join(cwd, 'dist');
  return new Map(listFiles(dist).map((rel) => {
    const p = path.join(dist, rel);
    return [rel, { content: fs.readFileSync(p, 'utf8'), mode: fs.statSync(p).mode & 0o111 }];
  }));
}

/**
 * The differences between the bundle's dist and the in-process render, as lines (none: equal).
 * The in-process render is renderAll's, with architecture.svg drawn from its DOT as synth does:
 * so the bundled Graphviz (its wasm inside the bundle) must draw what the package draws here.
 */
async function differences(input: KpaasConfigInput, bundled: SynthedDist): Promise<string[]> {
  const expected = await withDrawing(new Map(renderedDist(input)));
  const out: string[] = [];
  for (const [rel, file] of expected) {
    const got = bundled.get(rel);
    if (!got) out.push(`${rel}: missing from the bundle's dist`);
    else {
      if (got.content !== file.content) {
        let i = 0;
        while (got.content[i] === file.content[i]) i++;
        out.push(`${rel}: differs at character ${i}: ${JSON.stringify(got.content.slice(i, i + 40))} instead of ${JSON.stringify(file.content.slice(i, i + 40))}`);
      }
      if ((got.mode !== 0) !== Boolean(file.executable)) out.push(`${rel}: executable ${got.mode !== 0}, expected ${Boolean(file.executable)}`);
    }
  }
  for (const rel of bundled.keys()) if (!expected.has(rel)) out.push(`${rel}: only in the bundle's dist`);
  return out;
}

describe('the bundled CLI (build/main.js)', () => {
  it('carries the three shims and requires no package at run time', () => {
    const text = fs.readFileSync(main, 'utf8');
    for (const shim of ['archiver', 'cdktf testing', 'cdktf token stack traces']) {
      expect(text).toContain(`kpaas-build-shim: ${shim}`);
    }
    // only Node's own modules are left to require(): everything else is in the file
    const required = new Set([...text.matchAll(/\brequire\("([^"]+)"\)/g)].map((m) => m[1]));
    const builtins = new Set(require('module').builtinModules as string[]);
    expect([...required].filter((m) => !builtins.has(m.replace(/^node:/, '')))).toEqual([]);
  });

  let defaults: SynthedDist;

  it('writes the default cluster byte for byte as the in-process render does', async () => {
    const bundled = (defaults = synthByBundle('default', undefined));
    expect(bundled.size).toBeGreaterThan(30);
    expect(bundled.get('architecture.svg')?.content).toContain('<svg');
    expect(await differences({}, bundled)).toEqual([]);
  });

  const SCALED: KpaasConfigInput = {
    cloud: { provider: 'openstack' },
    network: { subnet: { cidr: '172.16.0.0/22' } },
    nodes: { workers: { count: 40, ipRange: '172.16.1.1-172.16.1.250' } },
  };
  // the config file holds the same input the in-process render is given
  const SCALED_YAML = stringify(SCALED);
  let scaled: SynthedDist;

  it('writes a scaled openstack cluster byte for byte as the in-process render does', async () => {
    scaled = synthByBundle('scaled', SCALED_YAML);
    expect(scaled.get('terraform/infra/cdk.tf.json')?.content).toContain('"worker-40"');
    expect(await differences(SCALED, scaled)).toEqual([]);
  });

  // jest's resolver applies the shims too, so the comparisons above cannot see one change output
  it.each([
    ['the default (kakaocloud) cluster', undefined, () => defaults],
    ['a scaled openstack cluster', SCALED_YAML, () => scaled],
  ])('the shims change nothing: the --plain build, cdktf unshimmed from node_modules, writes %s byte for byte', (_name, yaml, shimmed) => {
    const plain = synthByBundle(`plain-${yaml === undefined ? 'default' : 'scaled'}`, yaml, path.join(plainDir, 'main.js'));
    expect(fs.readFileSync(path.join(plainDir, 'main.js'), 'utf8')).not.toContain('kpaas-build-shim');
    expect(plain.size).toBeGreaterThan(30);
    const bundled = shimmed();
    expect(bundled).toBeDefined();
    expect([...plain.keys()].sort()).toEqual([...bundled.keys()].sort());
    for (const [rel, file] of plain) expect({ rel, ...bundled.get(rel) }).toEqual({ rel, ...file });
  });

  it('writes the envoy-gateway cluster byte for byte, the pinned CRD files restored from the bundle\'s gzipped copies', async () => {
    const input: KpaasConfigInput = { versions: { track: 'kpaas-1.7.0' }, ingress: { controller: 'envoy-gateway' } };
    const bundled = synthByBundle('envoy-gateway', stringify(input));
    expect(bundled.get('manifests/14-gateway-api-crds/gateway.networking.k8s.io_httproutes.yaml')?.content).toContain('kind: HTTPRoute');
    expect(await differences(input, bundled)).toEqual([]);
    // gzipped in the file: some 3 MB of CRD text would otherwise be parsed by every synth
    expect(fs.readFileSync(main, 'utf8')).not.toContain('name: httproutes.gateway.networking.k8s.io');
  });
});
