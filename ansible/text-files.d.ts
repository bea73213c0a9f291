// Files the build (esbuild's text loader) and jest (scripts/jest-text-transform.cjs) load as their
// text: the playbooks and templates under ansible/files/.
declare module '*.yml' {
  const text: string;
  export default text;
}
declare module '*.j2' {
  const text: string;
  export default text;
}
