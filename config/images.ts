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
