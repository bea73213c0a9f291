// Jest's counterpart of esbuild's text loader (scripts/build.mjs, scripts/text-loader.json): a
// playbook or template file imported from TypeScript is its text, byte for byte. The file is read
// again from disk because jest hands transforms the source with a leading `#!` line stripped (the
// backup script has one).
const { createHash } = require('node:crypto');
const { readFileSync } = require('node:fs');

// this file too: an edit to how the text becomes a module must not reuse cached output
const self = readFileSync(__filename);

module.exports = {
  process(_sourceText, sourcePath) {
    return { code: `module.exports = ${JSON.stringify(readFileSync(sourcePath, 'utf8'))};` };
  },
  getCacheKey(_sourceText, sourcePath) {
    return createHash('sha256').update('text\0').update(self).update('\0').update(sourcePath).update('\0').update(readFileSync(sourcePath)).digest('hex');
  },
};
