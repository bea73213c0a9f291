/** What the diagram tests share: the DOT synth writes for a config input, and a scaled config. */
import { renderArchitectureDot } from '../../cli/render';
import { parseConfig, type KpaasConfigInput } from '../../config';

/** dist/architecture.dot for a config input, by the function renderAll calls (the rest of dist is not rendered). */
export function dotOf(input: KpaasConfigInput): string {
  return renderArchitectureDot(parseConfig(input));
}

/** Five workers: the seed's three and two more. */
export const FIVE_WORKERS: KpaasConfigInput = { nodes: { workers: { ips: ['172.16.0.12', '172.16.0.78', '172.16.0.30', '172.16.0.31', '172.16.0.40'] } } };
