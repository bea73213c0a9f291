/**
 * The source layout's one-way data flow (README, Layout): config → constructs → the outputs
 * (stacks/, platform/, ansible/, diagram/), which never import each other; cli/ composes them. A new import
 * against the flow fails here, with the file and the import.
 */
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..');

/** What each top-level folder may import from the project, besides itself and npm packages. */
const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  config: [],
  constructs: ['config', 'imports'],
  imports: [],
  stacks: ['config', 'constructs', 'imports'],
  platform: ['config', 'constructs', 'imports'],
  ansible: ['config'],
  gitops: ['config', 'constructs', 'imports'],
  diagram: ['config'],
  secrets: ['config', 'constructs', 'platform'],
  cli: ['config', 'constructs', 'imports', 'stacks', 'platform', 'ansible', 'gitops', 'diagram', 'secrets'],
};

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

/** Every relative import of a file, as the top-level folder it lands in. */
export function importedFolders(file: string, text: string): Array<{ spec: string; folder: string }> {
  // `from '..'`, `import('..')`, `require('..')` and a side-effect `import '..';` (quotes of either kind)
  const specs = [...text.matchAll(/(?:from\s+|import\s*\(\s*|require\s*\(\s*|^\s*import\s+)['"](\.[^'"]*)['"]/gm)].map((m) => m[1]);
  return specs.map((spec) => {
    const target = path.relative(ROOT, path.resolve(path.dirname(file), spec));
    return { spec, folder: target.split(path.sep)[0] };
  });
}

/** Imports against the flow, as `file: import (folder → folder)`. */
export function backEdges(files: ReadonlyArray<{ file: string; text: string }>): string[] {
  return files.flatMap(({ file, text }) => {
    const own = path.relative(ROOT, file).split(path.sep)[0];
    const allowed = ALLOWED[own];
    if (!allowed) return [];
    return importedFolders(file, text)
      .filter((i) => i.folder !== own && !allowed.includes(i.folder))
      .map((i) => `${path.relative(ROOT, file)}: imports ${i.spec} (${own} → ${i.folder})`);
  });
}

describe('source layout', () => {
  const files = Object.keys(ALLOWED).filter((d) => d !== 'imports').flatMap((d) => sourceFiles(path.join(ROOT, d)))
    .map((file) => ({ file, text: fs.readFileSync(file, 'utf8') }));

  it('reads every source folder', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(new Set(files.map((f) => path.relative(ROOT, f.file).split(path.sep)[0]))).toEqual(new Set(['config', 'constructs', 'stacks', 'platform', 'ansible', 'gitops', 'diagram', 'secrets', 'cli']));
  });

  it('has no import against the flow: outputs never import each other, constructs and config no output', () => {
    expect(backEdges(files)).toEqual([]);
  });

  it('fails on a seeded back-edge (stacks importing platform, constructs importing a service)', () => {
    const seeded = [
      { file: path.join(ROOT, 'stacks/x.ts'), text: "import { PLATFORM_SERVICES } from '../platform';\n" },
      { file: path.join(ROOT, 'constructs/k8s/x.ts'), text: "import type { X } from '../../platform/harbor/harbor-names';\n" },
      { file: path.join(ROOT, 'ansible/x.ts'), text: "import { y } from './inventory';\n" },
      { file: path.join(ROOT, 'gitops/x.ts'), text: "import { PLATFORM_SERVICES } from '../platform';\n" },
      { file: path.join(ROOT, 'platform/x.ts'), text: "import { renderGitops } from '../gitops';\n" },
      { file: path.join(ROOT, 'diagram/x.ts'), text: "import { PLATFORM_SERVICES } from '../platform';\n" },
      { file: path.join(ROOT, 'ansible/y.ts'), text: "import '../platform';\nimport { z } from \"../stacks\";\n" },
    ];
    expect(backEdges(seeded)).toEqual([
      "stacks/x.ts: imports ../platform (stacks → platform)",
      "constructs/k8s/x.ts: imports ../../platform/harbor/harbor-names (constructs → platform)",
      "gitops/x.ts: imports ../platform (gitops → platform)",
      "platform/x.ts: imports ../gitops (platform → gitops)",
      "diagram/x.ts: imports ../platform (diagram → platform)",
      "ansible/y.ts: imports ../platform (ansible → platform)",
      "ansible/y.ts: imports ../stacks (ansible → stacks)",
    ]);
  });

  it('keeps a service in its own folder: no generic construct names a platform service folder', () => {
    const named = files.filter((f) => f.file.includes(`${path.sep}constructs${path.sep}`) && /platform\/(harbor|keycloak|openbao|portal|chartmuseum|metallb|nfs-storage)\//.test(f.text));
    expect(named.map((f) => path.relative(ROOT, f.file))).toEqual([]);
  });
});
