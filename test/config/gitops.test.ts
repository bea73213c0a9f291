/**
 * `gitops`: the repository, dist's folder in it and the revision, checked before anything is
 * written, each failure naming the field, the value and what is allowed.
 */
import { execFileSync } from 'child_process';
import { argoReadsAsSemverConstraint, parseConfig } from '../../config';
import { ARGOCD_CONTRACT } from '../../config/contracts/gitops';
import { fluxGitRef } from '../../gitops';
import type { GitRepositorySpecRef } from '../../imports/source.toolkit.fluxcd.io';
import { configErrorOf } from '../support/config-error';

const SOURCE = 'kpaas.config.yaml';
const GOOD = { tool: 'argocd', repoURL: 'https://git.example.org/platform/prod.git', path: 'dist', revision: 'main' } as const;
const URLS = 'allowed: https://host/path or ssh://user@host/path';
const PATHS = 'allowed: dist\'s folder relative to the repository\'s root, e.g. "dist" or "clusters/prod/dist" ("." for the root)';
const REVISIONS = 'allowed: a branch (e.g. "main"), a full reference (e.g. "refs/tags/v1.0.0") or a 40-character commit';

/** The ConfigError message of a `gitops` section with some fields changed. */
const errorOf = (gitops: Record<string, unknown>): string => configErrorOf({ gitops: { ...GOOD, ...gitops } });

describe('gitops settings', () => {
  it('is absent unless configured', () => {
    expect(parseConfig({}).gitops).toBeUndefined();
  });

  it('keeps the repository and revision as written and normalizes the path', () => {
    expect(parseConfig({ gitops: GOOD }).gitops).toEqual(GOOD);
    expect(parseConfig({ gitops: { ...GOOD, path: './clusters//prod/dist/' } }).gitops?.path).toBe('clusters/prod/dist');
    expect(parseConfig({ gitops: { ...GOOD, path: './' } }).gitops?.path).toBe('.');
    const ssh = { tool: 'flux', repoURL: 'ssh://git@git.example.org:2222/platform/prod.git', path: '.', revision: '0123456789abcdef0123456789abcdef01234567' } as const;
    expect(parseConfig({ gitops: ssh }).gitops).toEqual(ssh);
  });

  it('fails without the required fields', () => {
    expect(() => parseConfig({ gitops: { tool: 'flux' } }, SOURCE)).toThrow([
      `${SOURCE}: gitops.repoURL: is required (a string)`,
      `${SOURCE}: gitops.path: is required (a string)`,
      `${SOURCE}: gitops.revision: is required (a string)`,
    ].join('\n'));
  });

  it('fails on another tool', () => {
    expect(errorOf({ tool: 'jenkins' })).toBe(`${SOURCE}: gitops.tool: "jenkins" is not allowed; allowed: "argocd", "flux"`);
  });

  it('fails on an scp-style address, naming the ssh:// form to use', () => {
    expect(errorOf({ repoURL: 'git@github.com:org/repo.git' })).toBe(
      `${SOURCE}: gitops.repoURL: "git@github.com:org/repo.git" is an scp-style address, which Flux's GitRepository refuses; write it as "ssh://git@github.com/org/repo.git" (${URLS})`,
    );
  });

  it('fails on http, other schemes, no URL, no repository, a query', () => {
    expect(errorOf({ repoURL: 'http://git.example.org/p.git' })).toBe(`${SOURCE}: gitops.repoURL: "http://git.example.org/p.git" uses "http"; ${URLS}`);
    expect(errorOf({ repoURL: 'file:///srv/git/p.git' })).toBe(`${SOURCE}: gitops.repoURL: "file:///srv/git/p.git" uses "file"; ${URLS}`);
    expect(errorOf({ repoURL: 'git.example.org/p.git' })).toBe(`${SOURCE}: gitops.repoURL: "git.example.org/p.git" is not a URL; ${URLS}`);
    expect(errorOf({ repoURL: 'https://git.example.org/' })).toBe(`${SOURCE}: gitops.repoURL: "https://git.example.org/" names no repository (nothing after the host); ${URLS}`);
    expect(errorOf({ repoURL: 'https://git.example.org/p.git?ref=main' })).toBe(`${SOURCE}: gitops.repoURL: "https://git.example.org/p.git?ref=main" has a query or fragment, which Git does not use; ${URLS}`);
    expect(errorOf({ repoURL: '' })).toBe(`${SOURCE}: gitops.repoURL: "" is empty; ${URLS}`);
  });

  it('fails on credentials in the URL without showing them', () => {
    for (const repoURL of ['https://ops:glpat-s3cr3t@git.example.org/p.git', 'https://glpat-s3cr3t@git.example.org/p.git', 'ssh://git:s3cr3t@git.example.org/p.git']) {
      const message = errorOf({ repoURL });
      expect(message).toBe(`${SOURCE}: gitops.repoURL: holds credentials (not shown); dist is committed to Git and must carry no secret: give the URL without them and register the credentials with the tool (docs/gitops.md); ${URLS}`);
      expect(message).not.toMatch(/s3cr3t/);
    }
  });

  it('fails on a path that is empty, absolute, leaves the repository or uses backslashes', () => {
    expect(errorOf({ path: '' })).toBe(`${SOURCE}: gitops.path: "" is empty; ${PATHS}`);
    expect(errorOf({ path: '/srv/dist' })).toBe(`${SOURCE}: gitops.path: "/srv/dist" is absolute; ${PATHS}`);
    expect(errorOf({ path: 'clusters/../../dist' })).toBe(`${SOURCE}: gitops.path: "clusters/../../dist" leaves the repository through ".."; ${PATHS}`);
    expect(errorOf({ path: 'clusters\\prod' })).toBe(`${SOURCE}: gitops.path: "clusters\\\\prod" contains "\\"; separate folders with "/"; ${PATHS}`);
  });

  it('fails on a revision that is empty or no reference name', () => {
    expect(errorOf({ revision: '' })).toBe(`${SOURCE}: gitops.revision: "" is empty; ${REVISIONS}`);
    expect(errorOf({ revision: 'release 1' })).toBe(`${SOURCE}: gitops.revision: "release 1" contains " ", which Git does not allow in a reference name (git check-ref-format); ${REVISIONS}`);
    expect(errorOf({ revision: 'main..next' })).toBe(`${SOURCE}: gitops.revision: "main..next" has "..", which Git does not allow in a reference name (git check-ref-format); ${REVISIONS}`);
    expect(errorOf({ revision: '--upload-pack=x' })).toBe(`${SOURCE}: gitops.revision: "--upload-pack=x" starts with "-", which git commands would read as an option; ${REVISIONS}`);
  });

  it('fails on HEAD for Flux only (Argo CD reads it as the default branch)', () => {
    expect(parseConfig({ gitops: { ...GOOD, revision: 'HEAD' } }).gitops?.revision).toBe('HEAD');
    expect(errorOf({ tool: 'flux', revision: 'HEAD' })).toBe(`${SOURCE}: gitops.revision: "HEAD" is Argo CD's name for the default branch; Flux's GitRepository needs the branch's name; ${REVISIONS}`);
  });

  it('writes a commit given in capitals as git prints it, so Flux takes it as the commit Argo CD does', () => {
    const upper = '0123456789ABCDEF0123456789abcdef01234567';
    for (const tool of ['argocd', 'flux'] as const) expect(parseConfig({ gitops: { ...GOOD, tool, revision: upper } }).gitops?.revision).toBe(upper.toLowerCase());
    expect(fluxGitRef(parseConfig({ gitops: { ...GOOD, tool: 'flux', revision: upper } }).gitops!.revision)).toEqual({ commit: upper.toLowerCase() });
  });

  it('fails on 7 or more hex digits other than a full commit (Argo CD may take them as an abbreviated commit)', () => {
    const hex = (rev: string) => `${SOURCE}: gitops.revision: "${rev}" is 7 or more hex digits, which Argo CD takes as an abbreviated commit when no reference has that name (Flux: the branch only); write the full 40-character commit, or write the branch as "refs/heads/${rev}"; ${REVISIONS}`;
    for (const rev of ['deadbeef', 'DeadBeef', '0123456', '0123456789abcdef0123456789abcdef012345678']) {
      expect(errorOf({ revision: rev })).toBe(hex(rev));
      expect(errorOf({ tool: 'flux', revision: rev })).toBe(hex(rev));
    }
    // a SHA-256 commit too (Argo CD's commit rule is 40 digits); the long value is shown shortened
    expect(errorOf({ revision: '0123456789abcdef'.repeat(4) })).toContain('characters) is 7 or more hex digits, which Argo CD takes as an abbreviated commit');
    // shorter, not only hex, or a full reference: a name to both
    for (const rev of ['cafe', '012345', 'deadbeefx', 'refs/heads/deadbeef']) expect(parseConfig({ gitops: { ...GOOD, revision: rev } }).gitops?.revision).toBe(rev);
  });

  it('fails on a branch name Argo CD reads as a semver constraint over the tags', () => {
    const semver = (rev: string) => `${SOURCE}: gitops.revision: ${JSON.stringify(rev)} is a semver constraint to Argo CD, which follows the highest tag satisfying it (Flux: the branch); write the branch as ${JSON.stringify(`refs/heads/${rev}`)}, or a tag as "refs/tags/<tag>"; ${REVISIONS}`;
    for (const rev of ['1.x', 'v2.X', 'x', '>=1.0', '<2', '=1.0', '!=1.0.0', '1.0,<2', '1.x||2.x']) expect(errorOf({ tool: 'flux', revision: rev })).toBe(semver(rev));
    expect(errorOf({ revision: '1.x' })).toBe(semver('1.x'));
    // "~" and "^" constraints are no reference names at all
    expect(errorOf({ revision: '~1.2' })).toBe(`${SOURCE}: gitops.revision: "~1.2" contains "~", which Git does not allow in a reference name (git check-ref-format); ${REVISIONS}`);
    // a version is a name to Argo CD (a pin), and so is a constraint in a full reference
    for (const rev of ['v1.0.0', '1.2', 'release-1.x', 'refs/heads/1.x', 'refs/tags/v1.0.0']) expect(parseConfig({ gitops: { ...GOOD, revision: rev } }).gitops?.revision).toBe(rev);
  });

  it('reports every bad field at once', () => {
    expect(errorOf({ repoURL: 'http://x/y', path: '../d', revision: '' }).split('\n').map((l) => l.split(': ')[1])).toEqual(['gitops.repoURL', 'gitops.path', 'gitops.revision']);
  });
});

describe('gitops.revision agrees with git check-ref-format', () => {
  // git's own rule (one-level names allowed, as branches are given); leading "-" is ours on top
  const SAMPLES = [
    'main', 'release/1.2', 'refs/tags/v1.0.0', 'refs/heads/feature/x', 'v1.0.0', 'a.b', 'HEAD', 'x@y',
    'a..b', 'a b', 'a~1', 'a^', 'a:b', 'a?', 'a*', 'a[b', 'a\\b', 'a@{1}', '@', '/a', 'a/', 'a//b', 'a.', '.a', 'a/.b', 'a.lock', 'a/b.lock/c', 'a\tb',
  ];
  let git = true;
  try {
    execFileSync('git', ['--version'], { stdio: 'ignore' });
  } catch {
    git = false;
    console.warn('SKIPPED: git not found; the revision rule is not compared with git check-ref-format');
  }
  (git ? it : it.skip)('accepts exactly the names git accepts', () => {
    const ours = (rev: string) => {
      try {
        parseConfig({ gitops: { ...GOOD, revision: rev } });
        return true;
      } catch {
        return false;
      }
    };
    const gits = (rev: string) => {
      try {
        execFileSync('git', ['check-ref-format', '--allow-onelevel', rev], { stdio: 'ignore' });
        return true;
      } catch {
        return false;
      }
    };
    expect(SAMPLES.map((s) => [s, ours(s)])).toEqual(SAMPLES.map((s) => [s, gits(s)]));
  });
});

describe('gitops.revision means the same to Argo CD and Flux', () => {
  /** What Argo CD v3.5.1 checks out for a targetRevision (ARGOCD_CONTRACT: commitSha, semverFirst, revisionRef, truncatedSha). */
  const argoReads = (rev: string): Record<string, string> => {
    if (ARGOCD_CONTRACT.commitSha.value.test(rev)) return { commit: rev.toLowerCase() };
    if (argoReadsAsSemverConstraint(rev)) return { highestTagSatisfying: rev };
    if (rev === 'HEAD') return { defaultBranch: '' };
    // a short name: the branch (or a tag of that name, which only a full reference tells apart: docs/gitops.md)
    const ref = { ref: rev.startsWith('refs/') ? rev : `refs/heads/${rev}` };
    return ARGOCD_CONTRACT.truncatedSha.value.test(rev) ? { ...ref, elseCommitStartingWith: rev } : ref;
  };
  /** What source-controller checks out for a GitRepository ref (FLUX_CONTRACT: refCommit, refName, branchIsHeads, commitIsHash). */
  const fluxReads = (ref: GitRepositorySpecRef): Record<string, string> =>
    ref.commit ? { commit: ref.commit.toLowerCase() } : ref.name ? { ref: ref.name } : { ref: `refs/heads/${ref.branch}` };

  const SAMPLES = [
    'main', 'release/1.2', 'refs/tags/v1.0.0', 'refs/heads/feature/x', 'v1.0.0', '1.2', 'a.b', 'x@y', 'HEAD', 'feature/1.x',
    '0123456789abcdef0123456789abcdef01234567', '0123456789ABCDEF0123456789ABCDEF01234567', 'deadbeef', 'DEADBEEF', 'cafe', '012345', '0123456',
    'refs/heads/deadbeef', '1.x', 'x', 'xx', 'v1.X', '>=1.0', '1.0,<2', '1||2', 'refs/heads/1.x', 'release-1.x', 'a..b', '',
  ];
  const accepted = (tool: 'argocd' | 'flux') => SAMPLES.flatMap((rev) => {
    try {
      return [[rev, parseConfig({ gitops: { ...GOOD, tool, revision: rev } }).gitops!.revision]];
    } catch {
      return [];
    }
  });

  it('gives every accepted revision one meaning in both tools (HEAD: Argo CD only)', () => {
    const flux = accepted('flux');
    expect(flux.length).toBeGreaterThan(15);
    expect(accepted('argocd')).toEqual(accepted('argocd').filter(([rev]) => rev === 'HEAD' || flux.some(([f]) => f === rev)));
    expect(flux.map(([rev, written]) => [rev, fluxReads(fluxGitRef(written))])).toEqual(flux.map(([rev, written]) => [rev, argoReads(written)]));
  });

  it('fails on a seeded revision the tools read apart', () => {
    for (const rev of ['0123456789ABCDEF0123456789ABCDEF01234567', 'deadbeef', '1.x']) expect(fluxReads(fluxGitRef(rev))).not.toEqual(argoReads(rev));
  });
});

describe('which revisions Argo CD reads as a semver constraint (Masterminds/semver v3.4.0, ARGOCD_CONTRACT.argoSemver*)', () => {
  // classified by reading the library at that tag: NewVersion (loose) first, then NewConstraint
  const CONSTRAINTS = ['1.x', '1.X', 'v1.x', 'x', 'X', '*', 'x.1', '>=1.0', '=>1.0', '<2', '=<2', '=1.0', '!=1.0.0', '>1.0.0-rc.1', '1.2.x+build', '1.0,<2', '>=1.0,<2.0,!=1.5', '1.x||2.x', '1||2', '~1.2', '^1.2', '~>1.2'];
  const NAMES = ['main', 'v1.0', '1', '1.2.3', '1.2.3-rc.1', '01.2', 'v1.0.0+meta', 'xx', '1x', '1|2', '1.2.3.4', 'release-1.x', 'refs/heads/1.x', '1.0.0-01', 'V1.x', '1.x,', 'x||', '>=', 'deadbeef', ''];

  it('agrees with the library on each sample', () => {
    expect([...CONSTRAINTS, ...NAMES].map((r) => [r, argoReadsAsSemverConstraint(r)])).toEqual([...CONSTRAINTS.map((r) => [r, true]), ...NAMES.map((r) => [r, false])]);
  });
});
