import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DistFiles, diffDist, listFiles, writeDist } from '../../cli';

describe('writeDist', () => {
  let work: string;
  beforeEach(() => { work = fs.mkdtempSync(path.join(os.tmpdir(), 'kpaas-writer-')); });
  afterEach(() => fs.rmSync(work, { recursive: true, force: true }));

  const files = (entries: Record<string, string>): DistFiles => new Map(Object.entries(entries).map(([k, v]) => [k, { content: v }]));

  it('replaces the whole tree and sets modes explicitly', () => {
    const out = path.join(work, 'dist');
    writeDist(out, files({ 'a/one.txt': '1', 'gone.txt': 'x' }));
    writeDist(out, new Map([['a/one.txt', { content: '2' }], ['run.sh', { content: '#!/bin/sh\n', executable: true }]]));
    expect(listFiles(out)).toEqual(['a/one.txt', 'run.sh']);
    expect(fs.readFileSync(path.join(out, 'a/one.txt'), 'utf8')).toBe('2');
    expect(fs.statSync(path.join(out, 'run.sh')).mode & 0o777).toBe(0o755);
    expect(fs.statSync(path.join(out, 'a/one.txt')).mode & 0o777).toBe(0o644);
    expect(fs.statSync(out).mode & 0o777).toBe(0o755);
  });

  it('fails halfway through writing and leaves the previous tree and no temporary folder', () => {
    const out = path.join(work, 'dist');
    writeDist(out, files({ 'keep.txt': 'old' }));
    // "a" is written as a file, then "a/b" needs it to be a folder: the write fails midway
    expect(() => writeDist(out, files({ a: 'file', 'a/b': 'nested', 'keep.txt': 'new' }))).toThrow(/EEXIST|ENOTDIR/);
    expect(listFiles(out)).toEqual(['keep.txt']);
    expect(fs.readFileSync(path.join(out, 'keep.txt'), 'utf8')).toBe('old');
    expect(fs.readdirSync(work)).toEqual(['dist']);
  });

  it('diffs without writing', () => {
    const out = path.join(work, 'dist');
    writeDist(out, files({ 'a.txt': '1', 'b.txt': '2' }));
    expect(diffDist(out, files({ 'a.txt': '1', 'b.txt': '2' }))).toEqual([]);
    expect(diffDist(out, files({ 'a.txt': 'changed', 'c.txt': '3' }))).toEqual([
      { path: 'a.txt', kind: 'changed' }, { path: 'b.txt', kind: 'extra' }, { path: 'c.txt', kind: 'missing' },
    ]);
    expect(diffDist(out, new Map([['a.txt', { content: '1', executable: true }], ['b.txt', { content: '2' }]]))).toEqual([{ path: 'a.txt', kind: 'changed' }]);
  });
});
