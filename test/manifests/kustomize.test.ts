/**
 * dist/manifests is applied with `kubectl apply -k` (or by Argo CD / Flux through kustomize), so
 * the kustomization must list every file, in apply order, and `kubectl kustomize` must build it
 * into exactly the objects the files hold.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments, parse } from 'yaml';
import { KUSTOMIZATION, MANIFEST_DIR, MANIFEST_FILE, isRecord, objectId, renderManifests } from '../support/k8s-manifests';
import type { K8sObject, RenderedManifests } from '../support/k8s-manifests';

const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' });
const hasKubectl = kubectl.status === 0;
if (!hasKubectl) console.warn('SKIPPED: kubectl not found; `kubectl kustomize dist/manifests` is not tried');
const withKubectl = hasKubectl ? it : it.skip;

/** Pinned upstream files (CRDs) keep upstream's names, in a folder named for their place in the order. */
const PINNED_FILE = /^manifests\/\d{2}-[a-z0-9]+(-[a-z0-9]+)*\/[a-z0-9._-]+\.yaml$/;

describe.each([
  ['default config', {}],
  ['envoy-gateway config, with the pinned CRD files in folders', { versions: { track: 'kpaas-1.7.0' as const }, ingress: { controller: 'envoy-gateway' as const } }],
])('dist/manifests/kustomization.yaml (%s)', (_title, input) => {
  let out: RenderedManifests;
  let kustomization: Record<string, unknown>;
  beforeAll(() => {
    out = renderManifests(input);
    const text = out.dist.get(KUSTOMIZATION)?.content;
    if (text === undefined) throw new Error(`${KUSTOMIZATION} was not rendered`);
    const parsed: unknown = parse(text);
    if (!isRecord(parsed)) throw new Error(`${KUSTOMIZATION} is not a mapping`);
    kustomization = parsed;
  });

  it('exists beside at least one manifest file', () => {
    expect(out.files.size).toBeGreaterThan(0);
    expect(kustomization).toMatchObject({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization' });
  });

  it('names every manifest file NN-name.yaml, so the file names show the apply order', () => {
    expect([...out.files.keys()].filter((f) => !MANIFEST_FILE.test(f) && !PINNED_FILE.test(f))).toEqual([]);
  });

  it('lists every manifest file in resources and nothing else, in file-name order', () => {
    const files = [...out.files.keys()].map((f) => f.slice(MANIFEST_DIR.length + 1));
    expect(kustomization.resources).toEqual([...files].sort());
  });

  withKubectl('builds with `kubectl kustomize` into exactly the objects the files hold', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kpaas-kustomize-'));
    try {
      for (const [rel, file] of out.dist) {
        if (!rel.startsWith(`${MANIFEST_DIR}/`)) continue;
        fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
        fs.writeFileSync(path.join(dir, rel), file.content);
      }
      const built = spawnSync('kubectl', ['kustomize', path.join(dir, MANIFEST_DIR)], { encoding: 'utf8', maxBuffer: 64 << 20 });
      expect({ status: built.status, stderr: built.stderr }).toEqual({ status: 0, stderr: '' });
      const objects = parseAllDocuments(built.stdout).map((d) => d.toJS() as K8sObject | null).filter((o): o is K8sObject => o !== null);
      const ids = (list: readonly K8sObject[]) => list.map((o) => `${o.apiVersion} ${objectId(o)}`).sort();
      expect(objects).toHaveLength(out.objects.length);
      expect(ids(objects)).toEqual(ids(out.objects.map((m) => m.object)));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
