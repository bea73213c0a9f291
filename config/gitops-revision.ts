/**
 * How Argo CD v3.5.1 reads a `gitops.revision` before it matches references, from the facts in
 * config/contracts/gitops.ts (ARGOCD_CONTRACT.semver*, argoSemver*): the loader refuses the names
 * it would read otherwise than Flux, which takes them as a branch.
 */

// our own grammar, written from the library's (Masterminds/semver v3.4.0, as Argo CD builds it)
const ID = '[0-9A-Za-z-]+';
const TAIL = `(?:-(${ID}(?:\\.${ID})*))?(?:\\+(${ID}(?:\\.${ID})*))?`;
/** A version to the library (its loose grammar, leading zeros allowed): a pin, matched as a name. */
const VERSION = new RegExp(`^v?[0-9]+(?:\\.[0-9]+)?(?:\\.[0-9]+)?${TAIL}$`);
/** One comparison: an operator, then a version whose parts may be wildcards (the library's class also holds "|"). */
const PART = '[0-9|xX*]+';
const COMPARISON = new RegExp(`^(?:!=|>=|=>|<=|=<|~>|[=<>~^])?v?(${PART})(?:\\.(${PART}))?(?:\\.(${PART}))?${TAIL}$`);
const WILDCARD = new Set(['x', 'X', '*']);

/** A pre-release the library accepts: no empty part, no numeric part with a leading zero. */
const preReleaseOk = (pre: string | undefined) => pre === undefined || pre.split('.').every((p) => p !== '' && !/^0[0-9]+$/.test(p));

/** Whether the library parses the version as one (Argo CD then matches it as a name). */
function isVersion(rev: string): boolean {
  const m = VERSION.exec(rev);
  return m !== null && preReleaseOk(m[1]);
}

/** Whether one comparison parses: the parts before the first wildcard or missing part must be numbers. */
function comparisonParses(c: string): boolean {
  const m = COMPARISON.exec(c);
  if (!m) return false;
  const parts = [m[1], m[2], m[3]];
  const firstOpen = parts.findIndex((p) => p === undefined || WILDCARD.has(p));
  const fixed = firstOpen === -1 ? parts : parts.slice(0, firstOpen);
  return fixed.every((p) => /^[0-9]+$/.test(p!)) && preReleaseOk(m[4]);
}

/**
 * Whether Argo CD reads the revision as a semver constraint, following the highest tag that
 * satisfies it instead of a reference of that name (ARGOCD_CONTRACT.semverFirst): not a version,
 * and every `||` alternative a `,`-separated list of comparisons that parse. Blanks separate
 * comparisons too, but a revision the loader gets this far holds none (git's name rule).
 */
export function argoReadsAsSemverConstraint(rev: string): boolean {
  if (isVersion(rev)) return false;
  return rev.split('||').every((alternative) => alternative.split(',').every(comparisonParses));
}
