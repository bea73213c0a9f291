/**
 * OpenBao's HTTP API as `kpaas portal register` calls it: every fact of config/contracts/openbao-api.ts
 * is found in OpenBao's source at the pinned tag (where a fetched copy is at hand in ../.mirror),
 * and the health checks send only query parameters sys/health reads (the command's, and the
 * server's probes in dist/manifests).
 */
import { OPENBAO_API, openbaoHealthPath } from '../../config/contracts';
import type { OpenBaoFact, UpstreamText } from '../../config/contracts';
import { VERSIONS } from '../../config/versions';
import { HEALTH_PATH } from '../../cli/portal-register';
import { renderManifests, workloads } from '../support/k8s-manifests';
import { hasMirror, mirrorGit, showAt } from '../support/mirror';

/** Go's net/http status constants the facts name (RFC 9110/6585 numbers, written here on purpose). */
const GO_STATUS: Readonly<Record<string, number>> = {
  StatusOK: 200, StatusNoContent: 204, StatusForbidden: 403, StatusNotFound: 404,
  StatusTooManyRequests: 429, StatusNotImplemented: 501, StatusServiceUnavailable: 503,
};

type AnyFact = OpenBaoFact<string | number>;
const isEvidence = (v: unknown): v is UpstreamText => typeof v === 'object' && v !== null && 'source' in v && 'text' in v;

/** Every fact of the contract, by its dotted name. */
function factsOf(node: unknown, prefix = ''): Array<[string, AnyFact]> {
  if (isEvidence(node)) return [[prefix, node as AnyFact]];
  if (typeof node !== 'object' || node === null) return [];
  return Object.entries(node).flatMap(([k, v]) => factsOf(v, prefix ? `${prefix}.${k}` : k));
}

const FACTS = factsOf(OPENBAO_API);
/** Facts and the further places they rest on, each a place to find in the source. */
const EVIDENCE: Array<[string, UpstreamText]> = FACTS.flatMap(([name, f]) => [[name, f] as [string, UpstreamText], ...(f.also ?? []).map((e, i) => [`${name} (also ${i + 1})`, e] as [string, UpstreamText])]);

/** Whitespace-insensitive text: Go's alignment and line breaks do not matter. */
const flat = (s: string) => s.replace(/\s+/g, ' ').trim();

/** The query parameters of a health path. */
const paramsOf = (p: string) => [...new URL(p, 'https://x').searchParams.keys()];

describe('the contract', () => {
  it('has the facts the command uses, all from openbao/openbao at the pinned version', () => {
    expect(FACTS.length).toBeGreaterThan(25);
    expect([...new Set(EVIDENCE.map(([, e]) => `${e.source.repo}@${e.source.ref}`))]).toEqual([`openbao/openbao@${VERSIONS.openbao}`]);
  });

  it.each(FACTS)('%s: its text holds its value', (_name, f) => {
    if (typeof f.value === 'string') {
      expect(f.text).toContain(f.value);
    } else {
      const named = Object.entries(GO_STATUS).filter(([, n]) => n === f.value).map(([c]) => `http.${c}`);
      expect(named.some((c) => f.text.includes(c))).toBe(true);
    }
  });

  it('the command\'s health check is sys/health with the parameters the contract names', () => {
    expect(HEALTH_PATH.split('?')[0]).toBe(OPENBAO_API.health.path.value);
    expect(paramsOf(HEALTH_PATH)).toEqual([OPENBAO_API.health.standbyOk.value]);
  });

  it('the server\'s probes ask sys/health with the contract\'s parameter names', () => {
    expect(openbaoHealthPath()).toBe('sys/health');
    expect(openbaoHealthPath({ standbyOk: true, sealedCode: 204, uninitCode: 204 })).toBe('sys/health?standbyok=true&sealedcode=204&uninitcode=204');
    const probes = workloads(renderManifests({}).objects)
      .filter((w) => w.namespace === 'openbao')
      .flatMap((w) => w.podSpec.containers.flatMap((c) => [c.readinessProbe?.httpGet?.path, c.livenessProbe?.httpGet?.path]))
      .filter((p): p is string => typeof p === 'string' && p.includes(OPENBAO_API.health.path.value));
    // written out, not built with openbaoHealthPath: the server's probes are built with it
    expect(probes).toEqual([
      '/v1/sys/health?standbyok=true',
      '/v1/sys/health?standbyok=true&sealedcode=204&uninitcode=204',
    ]);
  });
});

const OPENBAO_REPO = 'openbao/openbao';
const present = hasMirror(OPENBAO_REPO);
if (!present) console.warn('SKIPPED: no fetched copy of openbao/openbao in ../.mirror; the OpenBao API contract is not compared with its source');

const sources = new Map<string, string>();
function show(ref: string, file: string): string {
  const key = `${ref}:${file}`;
  if (!sources.has(key)) sources.set(key, showAt({ repo: OPENBAO_REPO, ref, path: file }));
  return sources.get(key) as string;
}

/** The query parameters sys/health reads, as its handler names them. */
function healthParameters(): string[] {
  const text = show(VERSIONS.openbao, 'http/sys_health.go');
  return [...text.matchAll(/r\.URL\.Query\(\)\["([a-z]+)"\]|fetchStatusCode\(r, "([a-z]+)"\)/g)].map((m) => m[1] ?? m[2]);
}

const maybe = present ? describe : describe.skip;

maybe('the contract in OpenBao\'s source', () => {
  it('the pinned version is a tag of the repository', () => {
    expect(mirrorGit(OPENBAO_REPO, 'tag', '--list', VERSIONS.openbao).trim()).toBe(VERSIONS.openbao);
  });

  it.each(EVIDENCE)('%s: the file at the pinned tag says so', (_name, e) => {
    // a short failure: the file and the text not found in it, not the whole file
    const where = `${e.source.repo}@${e.source.ref}:${e.source.path}`;
    expect({ where, text: e.text, found: flat(show(e.source.ref, e.source.path)).includes(flat(e.text)) }).toEqual({ where, text: e.text, found: true });
  });

  it('sys/health reads the parameters the health checks send, and no others are sent', () => {
    const read = healthParameters();
    expect(read).toEqual(expect.arrayContaining(['standbyok', 'sealedcode', 'uninitcode']));
    const probes = workloads(renderManifests({}).objects)
      .filter((w) => w.namespace === 'openbao')
      .flatMap((w) => w.podSpec.containers.flatMap((c) => [c.readinessProbe, c.livenessProbe, c.startupProbe]))
      .map((p) => p?.httpGet?.path)
      .filter((p): p is string => typeof p === 'string' && p.startsWith(`${OPENBAO_API.prefix.value}${OPENBAO_API.health.path.value}`));
    expect(probes.length).toBeGreaterThan(0);
    const sent = [HEALTH_PATH, ...probes].flatMap((p) => paramsOf(p).map((q) => `${p}: ${q}`));
    expect(sent.filter((s) => !read.includes(s.split(': ')[1]))).toEqual([]);
  });
});
