// Before the test files: a folder for the rendered dists they share (test/support/rendered.ts),
// removed after the run (global-teardown.js). Workers inherit the variable.
const fs = require('fs');
const os = require('os');
const path = require('path');

module.exports = async () => {
  process.env.KPAAS_TEST_RENDERED = fs.mkdtempSync(path.join(os.tmpdir(), 'kpaas-test-rendered-'));
};
