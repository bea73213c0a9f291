// kpaas build shim (scripts/shims.cjs): cdktf's Testing helpers and their jest adapters, unused
Object.defineProperty(module.exports, 'kpaasShim', { value: 'kpaas-build-shim: cdktf testing' });
