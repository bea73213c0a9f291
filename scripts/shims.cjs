// Modules of cdktf that synth never uses, replaced by the bundle (scripts/build.mjs) and, the same
// way, by jest's resolver (scripts/jest-resolver.cjs), so that the tests run the code as it ships:
// - its archive support (the `archiver` package, for TerraformAsset directories): it throws;
// - its Testing helpers (`cdktf/lib/testing`, with their jest adapters): empty;
// - the stack trace every token records where it is made (`captureStackTrace`, used only in the
//   text of errors about bad tokens): an empty trace. At 1000 workers this is a third of the CPU
//   time and of the memory of a synth; under jest, whose source maps make every trace costly, more.
// `filter` matches the resolved path (with `/` separators); `file` is what is loaded instead;
// `inTests: false` keeps the module under jest, for tests that use it (cdktf's Testing).
const path = require('node:path');

/** Marker the shims carry (a string, which minifying keeps), so that a test can find them in the bundle. */
const SHIM_MARKER = 'kpaas-build-shim';

const SHIMS = [
  { name: 'archiver', filter: /\/node_modules\/archiver\/index\.js$/, file: path.join(__dirname, 'shims', 'archiver.js') },
  { name: 'cdktf testing', filter: /\/node_modules\/cdktf\/lib\/testing\/(index|matchers)\.js$/, file: path.join(__dirname, 'shims', 'cdktf-testing.js'), inTests: false },
  { name: 'cdktf token stack traces', filter: /\/node_modules\/cdktf\/lib\/tokens\/private\/stack-trace\.js$/, file: path.join(__dirname, 'shims', 'cdktf-stack-trace.js') },
];

/** The shim of a resolved module path, if it has one. */
function shimOf(resolved) {
  const p = resolved.split(path.sep).join('/');
  return SHIMS.find((s) => s.filter.test(p));
}

module.exports = { SHIM_MARKER, SHIMS, shimOf };
