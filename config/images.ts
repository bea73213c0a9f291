/**
 * Image references and registry mirrors: an image is pulled from the mirror configured for its
 * registry (e.g. a Harbor proxy-cache project per upstream registry), or from where it is.
 */

/** The registry host of an image reference, and the path below it, as container runtimes read it. */
export function splitImage(ref: string): { readonly registry: string; readonly path: string } {
  const slash = ref.indexOf('/');
  const first = slash < 0 ? '' : ref.slice(0, slash);
  // a first segment with a dot or a port, or localhost, names a registry; otherwise it is Docker Hub
  if (first && (first.includes('.') || first.includes(':') || first === 'localhost')) {
    return { registry: first, path: ref.slice(slash + 1) };
  }
  return { registry: 'docker.io', path: slash < 0 ? `library/${ref}` : ref };
}

/** The reference to pull: the mirror's prefix for the image's registry, or the reference unchanged. */
export function mirrorImage(ref: string, mirrors: Readonly<Record<string, string>>): string {
  const { registry, path } = splitImage(ref);
  const prefix = mirrors[registry];
  return prefix ? `${prefix}/${path}` : ref;
}

/**
 * Whether a reference names its registry, as CRI-O needs: kubespray writes
 * `unqualified-search-registries = []` into /etc/containers/registries.conf, so a short name
 * (`postgres:17.6`, `goharbor/harbor-core:v2.15.1`) is refused instead of looked up on Docker Hub.
 * The first path segment must be a host: it has a dot or a port, or is `localhost`
 * (containers/image's reference normalization).
 */
export function isFullyQualified(ref: string): boolean {
  const slash = ref.indexOf('/');
  if (slash < 0) return false;
  const first = ref.slice(0, slash);
  return first.includes('.') || first.includes(':') || first === 'localhost';
}

/** The parts of an image reference: registry host, repository path below it, tag and digest (when present). */
export interface ImageRef {
  readonly registry: string;
  readonly repository: string;
  readonly tag?: string;
  readonly digest?: string;
}

/** Splits a reference into registry, repository, tag and digest (short names are read as Docker Hub's). */
export function parseImageRef(ref: string): ImageRef {
  const at = ref.indexOf('@');
  const digest = at < 0 ? undefined : ref.slice(at + 1);
  const named = at < 0 ? ref : ref.slice(0, at);
  const { registry, path } = splitImage(named);
  const colon = path.lastIndexOf(':'); // the path has no port: a colon here starts the tag
  return colon < 0
    ? { registry, repository: path, ...(digest ? { digest } : {}) }
    : { registry, repository: path.slice(0, colon), tag: path.slice(colon + 1), ...(digest ? { digest } : {}) };
}

/**
 * The reference an image was mirrored from (the inverse of mirrorImage): the registry whose
 * mirror prefix the reference starts with, or the reference unchanged. For tests and tools that
 * look images up by where they come from.
 */
export function unmirrorImage(ref: string, mirrors: Readonly<Record<string, string>>): string {
  const hits = Object.entries(mirrors).filter(([, prefix]) => ref.startsWith(`${prefix}/`)).sort((a, b) => b[1].length - a[1].length);
  if (hits.length === 0) return ref;
  const [registry, prefix] = hits[0];
  return `${registry}/${ref.slice(prefix.length + 1)}`;
}
