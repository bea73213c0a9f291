import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse, parseAllDocuments } from 'yaml';
import { checkOutDir, realLocation, renderAll } from '../../cli/render';
import { parseConfig } from '../../config';
import { TRACK_IDS, TRACKS } from '../../config/tracks';

describe('checkOutDir', () => {
  let work: string;
  let cwd: string;
  beforeEach(() => {
    work = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'kpaas-outdir-')));
    fs.mkdirSync(path.join(work, 'project'));
    fs.mkdirSync(path.join(work, 'outside'));
    cwd = path.join(work, 'project');
  });
  afterEach(() => fs.rmSync(work, { recursive: true, force: true }));

  it('resolves --out and the project directory to real paths below the working directory', () => {
    fs.mkdirSync(path.join(cwd, 'real'));
    fs.symlinkSync('real', path.join(cwd, 'link'));
    expect(checkOutDir('link/dist', '.', cwd)).toEqual({ outDir: path.join(cwd, 'real/dist'), projectDir: cwd });
    expect(realLocation(path.join(cwd, 'link/a/b'))).toBe(path.join(cwd, 'real/a/b'));
  });

  it('fails on an --out through a symbolic link that points outside the working directory', () => {
    fs.symlinkSync('../outside', path.join(cwd, 'escape'));
    expect(() => checkOutDir('escape/dist', '.', cwd)).toThrow(`--out escape/dist is not a folder below the working directory (it is ${path.join(work, 'outside/dist')} once links are resolved); dist refers to the state file and the secrets folder by relative paths, which must not depend on the machine's directories`);
  });

  it('fails on a configuration directory that is a link to outside the working directory', () => {
    fs.symlinkSync('../outside', path.join(cwd, 'conf'));
    expect(() => checkOutDir('dist', 'conf', cwd)).toThrow(/^the configuration's directory conf is not below the working directory \(it is .*outside once links are resolved\)/);
  });

  it('fails on an --out above the working directory', () => {
    expect(() => checkOutDir('../elsewhere', '.', cwd)).toThrow(/^--out \.\.\/elsewhere is not a folder below the working directory; /);
  });
});

describe('every release track with each ingress controller it allows', () => {
  const cases = TRACK_IDS.filter((id) => !TRACKS[id].unavailable)
    .flatMap((track) => TRACKS[track].ingress.controllers.map((controller) => [track, controller] as const));
  if (TRACK_IDS.some((id) => TRACKS[id].unavailable)) console.warn(`SKIPPED: tracks not available yet: ${TRACK_IDS.filter((id) => TRACKS[id].unavailable).join(', ')}`);

  it('covers both controllers', () => {
    expect(new Set(cases.map(([, c]) => c))).toEqual(new Set(['ingress-nginx', 'envoy-gateway']));
  });

  it.each(cases)('%s with %s synthesizes a dist for that controller only', (track, controller) => {
    const config = parseConfig({ versions: { track }, ingress: { controller } });
    const files = renderAll(config, { outDir: 'dist', projectDir: '.' });
    const nginx = controller === 'ingress-nginx';
    const manifests = [...files].filter(([name]) => name.startsWith('manifests/') && name !== 'manifests/kustomization.yaml');
    const kinds = new Set(manifests.flatMap(([, f]) => parseAllDocuments(f.content).map((d) => (d.toJS() as { kind?: string } | null)?.kind)));
    expect(kinds.has('Ingress')).toBe(nginx);
    expect(kinds.has('HTTPRoute')).toBe(!nginx);
    expect(kinds.has('Gateway')).toBe(!nginx);
    const kustomization = parse(files.get('manifests/kustomization.yaml')!.content);
    expect(kustomization.resources.map((r: string) => `manifests/${r}`)).toEqual(manifests.map(([name]) => name));
    const addons = parse(files.get('ansible/inventory/group_vars/k8s_cluster/addons.yml')!.content);
    if (TRACKS[track].kubesprayNames.ingressNginxPrefix) expect(addons.ingress_nginx_enabled).toBe(nginx);
    else expect(Object.keys(addons).filter((k) => k.startsWith('ingress_nginx_'))).toEqual([]);
    const images = files.get('images.txt')!.content;
    expect(images.includes('docker.io/envoyproxy/gateway:')).toBe(!nginx);
    expect(images.includes('/ingress-nginx/controller:')).toBe(nginx);
    expect(files.has('ansible/cp-cluster-vars.sh')).toBe(nginx && TRACKS[track].installer !== undefined);
  });
});
