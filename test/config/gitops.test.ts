/**
 * `gitops`: the repository, dist's folder in it and the revision, checked before anything is
 * written, each failure naming the field, the value and what is allowed.
 */
import { execFileSync } from 'child_process';
import { parseConfig } from '../../config';
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
