const fs = require('fs');

module.exports = async () => {
  const dir = process.env.KPAAS_TEST_RENDERED;
  if (dir && dir.includes('kpaas-test-rendered-')) fs.rmSync(dir, { recursive: true, force: true });
};
