import type { PlatformConfig } from './model';

const ANYWHERE = '0.0.0.0/0';

/**
 * Settings that are valid (the seed uses them) but weaker than the seed's own hardening advice.
 * The CLI prints them on stderr; they never fail a synth.
 */
export function configWarnings(config: PlatformConfig): string[] {
  const open: string[] = [];
  if (config.access.sshSourceCidrs.includes(ANYWHERE)) open.push('access.sshSourceCidrs (SSH)');
  if (config.access.apiSourceCidrs.includes(ANYWHERE)) open.push('access.apiSourceCidrs (Kubernetes API)');
  if (open.length === 0) return [];
  return [`${open.join(' and ')} allow ${ANYWHERE}, as in the seed; restrict them to your admin network (the seed's hardening advice)`];
}
