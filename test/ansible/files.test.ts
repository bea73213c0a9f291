/**
 * The playbooks and templates where they are edited, ansible/files/, checked by the tools an editor
 * runs on them: yamllint with that folder's .yamllint (ansible-lint's YAML settings) and
 * ansible-lint's production profile. One process per tool, each over the whole folder; a missing
 * tool skips its test with a visible SKIPPED warning.
 */
import * as fs from 'fs';
import * as path from 'path';
import { PLAYBOOK_FILES } from '../../ansible/playbooks';
import { itWithTools, run } from './support';

const FILES_DIR = path.join(__dirname, '..', '..', 'ansible', 'files');

/** Every file under dir, as sorted POSIX paths relative to it. */
function filesUnder(dir: string, prefix = ''): string[] {
  return fs
    .readdirSync(path.join(dir, prefix), { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? filesUnder(dir, `${prefix}${e.name}/`) : [`${prefix}${e.name}`]))
    .sort();
}

describe('ansible/files/', () => {
  it('holds exactly the files the renderer ships, plus the yamllint settings', () => {
    expect(filesUnder(FILES_DIR)).toEqual(['.yamllint', ...PLAYBOOK_FILES.keys()].sort());
  });

  itWithTools('yamllint')('passes yamllint, warnings included', () => {
    const r = run('yamllint', ['--strict', '--format', 'parsable', '--config-file', '.yamllint', '.'], FILES_DIR);
    expect(`${r.stdout}${r.stderr}`).toBe('');
    expect(r.status).toBe(0);
  });

  itWithTools('ansible-lint')(
    'passes the production profile of ansible-lint',
    () => {
      // named one by one: given a folder, ansible-lint 6 takes it for a role
      const files = filesUnder(FILES_DIR);
      const r = run('ansible-lint', ['--offline', '--nocolor', '--profile', 'production', ...files], FILES_DIR, 300_000);
      expect(`${r.stdout}${r.stderr}`).toMatch(new RegExp(`Passed with production profile: 0 failure\\(s\\), 0 warning\\(s\\) on ${files.length} files`));
      expect(r.status).toBe(0);
    },
    300_000,
  );
});
