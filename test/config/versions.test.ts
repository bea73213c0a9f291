/**
 * VERSION_SOURCES (config/versions.ts): every platform image version says where its release was
 * found and what was read at it, and a version bump fails here until that record names the new
 * release. The record and the image facts (config/contracts/images.ts) cite the same Dockerfile.
 */
import { IMAGE_FACTS } from '../../config/contracts';
import { VERSIONS, VERSION_SOURCES } from '../../config/versions';
import type { PlatformImageVersion } from '../../config/versions';

/** A version as tags and file names write it: `v2.15.2`, `2.15.2`, `26_7_5`. */
function spellings(version: string): string[] {
  const bare = version.replace(/^v/, '');
  return [version, bare, bare.replace(/\./g, '_')];
}

/** `owner/repo@ref` with an optional `:path`, or a documentation page (host/path). */
const REFERENCE = /^([\w.-]+\/[\w.-]+@[\w.-]+(:[^\s]+)?|[a-z0-9.-]+\.[a-z]+\/[^\s]+)$/;

const keys = Object.keys(VERSION_SOURCES) as PlatformImageVersion[];

describe('VERSION_SOURCES', () => {
  it('covers the platform image versions it is typed for', () => {
    expect(keys.sort()).toEqual(['harbor', 'harborRedis', 'harborTrivyAdapter', 'keycloak', 'mariadb', 'openbao', 'openbaoAgentInjector', 'postgres']);
  });

  it.each(keys)('names the release %s is pinned to, so a bump fails until the record is read again', (key) => {
    const { release } = VERSION_SOURCES[key];
    const text = `${release.at} ${release.what ?? ''}`;
    expect({ key, version: VERSIONS[key], named: spellings(VERSIONS[key]).some((s) => text.includes(s)) }).toEqual({ key, version: VERSIONS[key], named: true });
  });

  it('writes every source as repo@ref:path or a documentation page', () => {
    const sources = keys.flatMap((k) => [VERSION_SOURCES[k].release, ...VERSION_SOURCES[k].read].map((s) => `${k}: ${s.at}`));
    expect(sources.filter((s) => !REFERENCE.test(s.slice(s.indexOf(': ') + 2)))).toEqual([]);
  });

  it('cites the Dockerfile the image facts were read from, for the official database images and OpenBao', () => {
    const cited = (key: PlatformImageVersion, repository: string) => {
      const facts = IMAGE_FACTS.find((f) => f.repository === repository)!;
      const at = `${facts.dockerfile.repo}@${facts.dockerfile.ref}:${facts.dockerfile.path}`;
      return { tag: facts.tag, cited: VERSION_SOURCES[key].read.some((s) => s.at === at) };
    };
    expect(cited('postgres', 'library/postgres')).toEqual({ tag: VERSIONS.postgres, cited: true });
    expect(cited('mariadb', 'library/mariadb')).toEqual({ tag: VERSIONS.mariadb, cited: true });
    // images.ts OPENBAO_TAG: the key formats were read at the same tag
    expect(cited('openbao', 'openbao/openbao')).toEqual({ tag: VERSIONS.openbao.replace(/^v/, ''), cited: true });
  });
});
