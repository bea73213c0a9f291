// SQL files the build (esbuild's text loader, scripts/text-loader.json) and jest
// (scripts/jest-text-transform.cjs) load as their text: the portal's schema under platform/portal/sql/.
declare module '*.sql' {
  const text: string;
  export default text;
}
