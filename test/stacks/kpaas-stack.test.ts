import { App, Testing } from 'cdktf';
import { KpaasStack } from '../../stacks/kpaas-stack';

/** A bare stack of the base class, to ask for versions in any order. */
class Bare extends KpaasStack {}

const requiredOf = (ask: readonly string[]) => {
  const stack = new Bare(Testing.app() as App, 'bare');
  for (const c of ask) stack.requireTerraform(c);
  return (JSON.parse(Testing.synth(stack)) as { terraform?: { required_version?: string } }).terraform?.required_version;
};

describe('KpaasStack.requireTerraform', () => {
  it.each([
    [['>= 1.6.3', '>= 1.14.0'], '>= 1.14.0'],
    [['>= 1.14.0', '>= 1.6.3'], '>= 1.14.0'],
    [['>= 1.6.3', '>= 1.6.10'], '>= 1.6.10'],
    [['>= 1.6.3'], '>= 1.6.3'],
  ] as const)('asked for %j, requires %s (the higher, compared by number)', (ask, want) => {
    expect(requiredOf(ask)).toBe(want);
  });

  it.each(['~> 1.6', '>= 1.6', '>=1.6.3', '1.6.3', '>= 1.6.3, < 2.0.0'])('fails on %j, a constraint it cannot merge, naming it', (c) => {
    expect(() => requiredOf([c])).toThrow(`required_version ${JSON.stringify(c)}: only ">= x.y.z" is merged`);
  });
});
