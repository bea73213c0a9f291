// The pinned upstream CRD files: the build (esbuild's text loader, scripts/text-loader.json) and
// jest (scripts/jest-text-transform.cjs) import each as its text, byte for byte.
declare module '*.yaml' {
  const text: string;
  export default text;
}
