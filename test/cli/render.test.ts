import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { checkOutDir, realLocation } from '../../cli/render';

describe('checkOutDir', () => {
  let work: string;
  let cwd: string;
  beforeEach(() => {
    work = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'kpaas-outdir-')));
    fs.mkdirSync(path.join(work, 'project'));
    fs.mkdirSync(path.join(work, 'outside'));
    cwd = path.join(work, 'project');
  });
  afterEach(() => fs.rmSync(work, { recursive: true, force: true }));

  it('resolves --out and the project directory to real paths below the working directory', () => {
    fs.mkdirSync(path.join(cwd, 'real'));
    fs.symlinkSync('real', path.join(cwd, 'link'));
    expect(checkOutDir('link/dist', '.', cwd)).toEqual({ outDir: path.join(cwd, 'real/dist'), projectDir: cwd });
    expect(realLocation(path.join(cwd, 'link/a/b'))).toBe(path.join(cwd, 'real/a/b'));
  });

  it('fails on an --out through a symbolic link that points outside the working directory', () => {
    fs.symlinkSync('../outside', path.join(cwd, 'escape'));
    expect(() => checkOutDir('escape/dist', '.', cwd)).toThrow(`--out escape/dist is not a folder below the working directory (it is ${path.join(work, 'outside/dist')} once links are resolved); dist refers to the state file and the secrets folder by relative paths, which must not depend on the machine's directories`);
  });

  it('fails on a configuration directory that is a link to outside the working directory', () => {
    fs.symlinkSync('../outside', path.join(cwd, 'conf'));
    expect(() => checkOutDir('dist', 'conf', cwd)).toThrow(/^the configuration's directory conf is not below the working directory \(it is .*outside once links are resolved\)/);
  });

  it('fails on an --out above the working directory', () => {
    expect(() => checkOutDir('../elsewhere', '.', cwd)).toThrow(/^--out \.\.\/elsewhere is not a folder below the working directory; /);
  });
});
