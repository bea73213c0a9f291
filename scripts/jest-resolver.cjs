// Jest's module resolution, with the bundle's shims (scripts/shims.cjs) in place of the modules they
// replace, except cdktf's Testing, which tests use: the tests run cdktf as synth ships it (and skip
// recording a source-mapped stack trace for every token).
const { shimOf } = require('./shims.cjs');

module.exports = (request, options) => {
  const resolved = options.defaultResolver(request, options);
  const shim = shimOf(resolved);
  return shim && shim.inTests !== false ? shim.file : resolved;
};
