import type { PlatformConfig } from './model';

const ANYWHERE = '0.0.0.0/0';

/** What the loader noticed while reading a configuration (an empty file or section), by config. */
const loadWarnings = new WeakMap<PlatformConfig, readonly string[]>();

/** Records the loader's warnings about `config`; configWarnings lists them first. */
export function recordLoadWarnings(config: PlatformConfig, warnings: readonly string[]): void {
  if (warnings.length > 0) loadWarnings.set(config, Object.freeze([...warnings]));
}

/** The loader's warnings alone (an empty file or section), for commands other than synth. */
export function loaderWarnings(config: PlatformConfig): string[] {
  return [...(loadWarnings.get(config) ?? [])];
}

/**
 * Settings that are valid (the seed uses them) but weaker than the seed's own hardening advice.
 * Also what the loader noticed (an empty file or section). The CLI prints them on stderr; they
 * never fail a synth.
 */
export function configWarnings(config: PlatformConfig): string[] {
  const loaded = [...(loadWarnings.get(config) ?? [])];
  const open: string[] = [];
  if (config.access.sshSourceCidrs.includes(ANYWHERE)) open.push('access.sshSourceCidrs (SSH)');
  if (config.access.apiSourceCidrs.includes(ANYWHERE)) open.push('access.apiSourceCidrs (Kubernetes API)');
  if (open.length === 0) return loaded;
  return [...loaded, `${open.join(' and ')} allow ${ANYWHERE}, as in the seed; restrict them to your admin network (the seed's hardening advice)`];
}
