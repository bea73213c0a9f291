/**
 * The pinned upstream CRD files (platform/envoy-gateway/envoy-gateway-crds.ts): each vendored copy
 * has the SHA-256 the catalog records, dist/manifests holds it byte for byte, and it defines what
 * the platform relies on (BackendTLSPolicy and ListenerSet as standard v1 in Gateway API v1.6.1).
 * Where a fetched copy of the upstream repositories is at hand (../.mirror, not part of the
 * project), each file is also compared with the release tag's; SKIPPED otherwise.
 */
import { execFileSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { renderAll } from '../../../cli/render';
import { parseConfig, VERSIONS } from '../../../config';
import { ENVOY_GATEWAY_CRDS, GATEWAY_API_CRDS, type PinnedRelease } from '../../../platform/envoy-gateway';

const ROOT = path.resolve(__dirname, '../../..');
const DIR = path.join(ROOT, 'platform/envoy-gateway');
const sha256 = (text: string | Buffer) => createHash('sha256').update(text).digest('hex');
const RELEASES: readonly PinnedRelease[] = [GATEWAY_API_CRDS, ENVOY_GATEWAY_CRDS];

/** Problems of a release's files against the catalog: hash of the copy on disk, and of the text the build imports. */
function catalogProblems(release: PinnedRelease, read: (file: string) => Buffer): string[] {
  return release.files.flatMap((f) => {
    const disk = sha256(read(path.join(DIR, release.vendored, f.name)));
    return [
      disk !== f.sha256 && `${release.vendored}/${f.name}: sha256 ${disk}, the catalog says ${f.sha256}`,
      sha256(f.text) !== f.sha256 && `${f.name}: the imported text is not the pinned file`,
    ].filter((x): x is string => typeof x === 'string');
  });
}

describe.each(RELEASES.map((r) => [r.folder, r] as const))('pinned files %s', (_folder, release) => {
  it('are the vendored copies, byte for byte, each with the SHA-256 the catalog records', () => {
    expect(release.files.length).toBeGreaterThan(0);
    expect(catalogProblems(release, (f) => fs.readFileSync(f))).toEqual([]);
    // every vendored file is in the catalog
    expect(fs.readdirSync(path.join(DIR, release.vendored)).sort()).toEqual(release.files.map((f) => f.name).sort());
  });

  it('fails on a copy that differs from the pinned file (seeded: one byte changed)', () => {
    const tampered = (f: string) => { const b = Buffer.from(fs.readFileSync(f)); b[b.length - 2] ^= 1; return b; };
    expect(catalogProblems(release, tampered)).toHaveLength(release.files.length);
  });

  it('name their upstream source at the pinned release', () => {
    for (const f of release.files) expect(f.source).toMatch(new RegExp(`^[\\w-]+/[\\w-]+@${release.version.replace(/\./g, '\\.')}:\\S+/${f.name.replace(/\./g, '\\.')}$`));
  });

  const mirror = path.resolve(ROOT, '..', '.mirror', release === GATEWAY_API_CRDS ? 'kubernetes-sigs+gateway-api' : 'envoyproxy+gateway', 'repo');
  const haveMirror = fs.existsSync(mirror);
  if (!haveMirror) console.warn(`SKIPPED: ${mirror} not found; the pinned files are not compared with the upstream tag`);
  (haveMirror ? it : it.skip)('are the files of the upstream release tag', () => {
    for (const f of release.files) {
      const [, ref, file] = /^[^@]+@([^:]+):(.+)$/.exec(f.source)!;
      expect(sha256(execFileSync('git', [`--git-dir=${mirror}`, 'show', `${ref}:${file}`], { maxBuffer: 64 * 1024 * 1024 }))).toBe(f.sha256);
    }
  });
});

describe('the pinned files in dist/manifests', () => {
  const files = renderAll(parseConfig({ versions: { track: 'kpaas-1.7.0' }, ingress: { controller: 'envoy-gateway' } }), { outDir: 'dist', projectDir: '.' });

  it('are emitted unchanged, in their folders, before the manifests that use their kinds', () => {
    const names = [...files.keys()].filter((k) => k.startsWith('manifests/'));
    for (const r of RELEASES) {
      for (const f of r.files) expect(sha256(files.get(`manifests/${r.folder}/${f.name}`)!.content)).toBe(f.sha256);
    }
    expect(names.indexOf(`manifests/${ENVOY_GATEWAY_CRDS.folder}/${ENVOY_GATEWAY_CRDS.files[0].name}`)).toBeLessThan(names.indexOf('manifests/15-envoy-gateway.yaml'));
    expect(names.indexOf(`manifests/${GATEWAY_API_CRDS.folder}/${GATEWAY_API_CRDS.files[0].name}`)).toBeLessThan(names.indexOf('manifests/15-envoy-gateway.yaml'));
  });

  it('are absent with ingress-nginx', () => {
    const nginx = renderAll(parseConfig({ versions: { track: 'kpaas-1.7.0' } }), { outDir: 'dist', projectDir: '.' });
    expect([...nginx.keys()].filter((k) => k.includes('-crds/'))).toEqual([]);
  });

  it('hold the standard channel of Gateway API v1.6.1, with BackendTLSPolicy and ListenerSet served as v1', () => {
    const crds = GATEWAY_API_CRDS.files.flatMap((f) => parseAllDocuments(f.text).map((d) => d.toJS()))
      .filter((o: any) => o?.kind === 'CustomResourceDefinition');
    for (const crd of crds) {
      expect(crd.metadata.annotations['gateway.networking.k8s.io/channel']).toBe('standard');
      expect(crd.metadata.annotations['gateway.networking.k8s.io/bundle-version']).toBe(VERSIONS.gatewayApi);
    }
    const served = (kind: string) => crds.find((c: any) => c.spec.names.kind === kind)?.spec.versions.filter((v: any) => v.served && v.storage).map((v: any) => v.name);
    expect(served('BackendTLSPolicy')).toEqual(['v1']);
    expect(served('ListenerSet')).toEqual(['v1']);
    expect(served('HTTPRoute')).toEqual(['v1']);
  });
});
