// Jest's TypeScript transform: esbuild, the transpiler that builds the CLI (scripts/build.mjs), so the
// tests run the code as it ships. Type checking is `tsc --noEmit` beside jest (npm test); here each
// file is only stripped of its types, alone (tsconfig has isolatedModules), which is about ten times
// cheaper per worker than ts-jest's TypeScript transpiler, on the 1.4 MB imports/k8s.ts above all.
const { createHash } = require('node:crypto');
const { readFileSync } = require('node:fs');
const path = require('node:path');
const { transformSync, version } = require('esbuild');

// esbuild reads the options of tsconfig.json that change the JavaScript (strict: "use strict", so a
// write to a frozen object throws; target: class fields) and ignores the type checker's
const tsconfigText = readFileSync(path.join(__dirname, '..', 'tsconfig.json'), 'utf8');
const tsconfigRaw = JSON.parse(tsconfigText);
const self = readFileSync(__filename);

module.exports = {
  process(sourceText, sourcePath) {
    // ts-jest and babel-jest move jest.mock() above the imports; esbuild does not, so a mock would
    // come after the module it replaces was loaded: say so instead of letting the test pass unmocked
    if (/\bjest\.(mock|unmock|enableAutomock|disableAutomock)\(/.test(sourceText) && !sourcePath.includes('node_modules')) {
      throw new Error(`${sourcePath}: jest.mock() is not hoisted by scripts/jest-esbuild-transform.cjs; use jest.spyOn, or jest.doMock() before a require()`);
    }
    const { code, map } = transformSync(sourceText, {
      loader: 'ts',
      format: 'cjs',
      target: 'node20',
      // `await import()` becomes require(), as tsc's CommonJS output does: jest's module registry
      // (and its per-file isolation) sees only require()
      supported: { 'dynamic-import': false },
      sourcemap: 'external',
      sourcesContent: false,
      sourcefile: sourcePath,
      tsconfigRaw,
    });
    return { code, map };
  },
  getCacheKey(sourceText, sourcePath, options) {
    return createHash('sha256')
      // tsconfig.json too: its options change the JavaScript, so an edit must not reuse cached output
      .update(`esbuild-${version}\0`).update(self).update('\0').update(tsconfigText).update('\0').update(options.configString).update('\0')
      .update(sourcePath).update('\0').update(sourceText)
      .digest('hex');
  },
};
