// Test files in an order that keeps both workers busy to the end: the files that start many
// processes (or one long one) first, longest first, each on its own worker as it becomes free;
// then jest's own order (previous durations, else file size) for the rest.
const Sequencer = require('@jest/test-sequencer').default;
const path = require('path');

/** Longest first; measured on the 2-core machines (README, Performance). */
const HEAVY = [
  // three ansible-playbook processes beside the worker: started first, they use what the workers leave
  'test/ansible/kubespray-contract.test.ts',
  'test/ansible/portal-images.test.ts',
  'test/secrets/secrets-crash.test.ts',
  'test/secrets/secrets-crash-disk.test.ts',
  'test/cli/synth.test.ts',
  'test/cli/dist-writer.test.ts',
  'test/ansible/tools.test.ts',
  'test/cli/errors.test.ts',
  'test/manifests/schema.test.ts',
  'test/secrets/secrets-command.test.ts',
];

class HeavyFirst extends Sequencer {
  async sort(tests) {
    const rank = (t) => {
      const i = HEAVY.indexOf(path.relative(t.context.config.rootDir, t.path).split(path.sep).join('/'));
      return i < 0 ? HEAVY.length : i;
    };
    const rest = await super.sort(tests);
    return [...rest].sort((a, b) => rank(a) - rank(b));
  }
}

module.exports = HeavyFirst;
