// kpaas build shim (scripts/shims.cjs): the trace a token records only for the text of an error about it
'use strict';
Object.defineProperty(exports, '__esModule', { value: true });
exports.captureStackTrace = function captureStackTrace() { return []; };
exports.captureStackTrace.shim = 'kpaas-build-shim: cdktf token stack traces';
