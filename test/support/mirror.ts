/**
 * Fetched copies of upstream repositories (../.mirror next to the checkout, `owner+name/repo`,
 * bare): where the contract tests read the files their facts cite.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import type { UpstreamTexts } from '../../config/contracts/images';

/** The git directory of a repository's fetched copy (`owner/name`). */
export function mirrorOf(repo: string): string {
  return path.resolve(__dirname, '../../../.mirror', repo.replace('/', '+'), 'repo');
}

/** Whether a fetched copy of the repository is at hand. */
export function hasMirror(repo: string): boolean {
  return fs.existsSync(mirrorOf(repo));
}

/** Runs git in the repository's fetched copy and returns its output. */
export function mirrorGit(repo: string, ...args: string[]): string {
  return execFileSync('git', [`--git-dir=${mirrorOf(repo)}`, ...args], { maxBuffer: 64 << 20 }).toString('utf8');
}

/** A file of the repository at a ref. */
export function showAt(source: { readonly repo: string; readonly ref: string; readonly path: string }): string {
  return mirrorGit(source.repo, 'show', `${source.ref}:${source.path}`);
}

/** The texts of a record that its file at the recorded ref does not hold: none when the record says what the file says. */
export function textsMissing(read: UpstreamTexts): string[] {
  const file = showAt(read.source);
  return read.texts.filter((text) => !file.includes(text));
}
