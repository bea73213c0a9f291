/** The one-line message the loader rejects an input with; fails the test when it is accepted. */
import { ConfigError, parseConfig } from '../../config';

export function configErrorOf(input: unknown): string {
  try {
    parseConfig(input as Parameters<typeof parseConfig>[0], 'kpaas.config.yaml');
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error('expected a ConfigError');
}
