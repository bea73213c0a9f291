import type { PlatformConfig } from './model';
import { TRACKS } from './tracks';

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
 * Settings that are valid (the seed uses them) but weaker than the seed's own hardening advice,
 * and a release track whose Kubernetes is past its end of life on `today` (the date in the
 * catalog, config/tracks.ts, with the track to move to). Also what the loader noticed (an empty
 * file or section). The CLI prints them on stderr; they never fail a synth.
 */
export function configWarnings(config: PlatformConfig, today: Date = new Date()): string[] {
  const warnings = [...(loadWarnings.get(config) ?? [])];
  const open: string[] = [];
  if (config.access.sshSourceCidrs.includes(ANYWHERE)) open.push('access.sshSourceCidrs (SSH)');
  if (config.access.apiSourceCidrs.includes(ANYWHERE)) open.push('access.apiSourceCidrs (Kubernetes API)');
  if (open.length > 0) warnings.push(`${open.join(' and ')} allow ${ANYWHERE}, as in the seed; restrict them to your admin network (the seed's hardening advice)`);
  const eol = endOfLifeWarning(config, today);
  if (eol) warnings.push(eol);
  return warnings;
}

/** The end-of-life warning of the chosen track on `today`, or undefined while its Kubernetes is supported. */
export function endOfLifeWarning(config: PlatformConfig, today: Date = new Date()): string | undefined {
  const track = TRACKS[config.versions.track];
  const { minor, endOfLife } = track.kubernetes;
  const day = today.toISOString().slice(0, 10);
  if (day <= endOfLife) return undefined;
  // the next track may be past its own end of life too: say so rather than advise it as safe
  const target = track.moveTo ? TRACKS[track.moveTo] : undefined;
  const targetEol = target && day > target.kubernetes.endOfLife ? `, itself past its end of life on ${target.kubernetes.endOfLife}` : '';
  const next = target ? `; move to versions.track "${target.id}" (Kubernetes ${target.kubernetes.minor}${targetEol}, docs/upgrades.md)` : '';
  return `versions.track "${track.id}": Kubernetes ${minor} (${config.versions.kubernetes}) reached its end of life on ${endOfLife} and gets no more security fixes${next}`;
}
