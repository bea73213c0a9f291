// kpaas build shim (scripts/shims.cjs): cdktf's archive assets are never used by synth
module.exports = function archiver() {
  throw new Error('kpaas: cdktf archive assets (TerraformAsset of type ARCHIVE) are not in this build');
};
module.exports.shim = 'kpaas-build-shim: archiver';
