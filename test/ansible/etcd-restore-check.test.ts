/**
 * etcd-restore.yml's check of `-e kpaas_etcd_restore_snapshot` (its task "Check the snapshot asked
 * for"), run by ansible itself: the task as the synthesized playbook has it, once for each name, in
 * one ansible-playbook run of the rendered tree (connection local, no module process). Skipped
 * visibly without ansible-playbook.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseConfig } from '../../config';
import { etcdSnapshotName } from '../../ansible/kpaas-vars';
import { itWithTools, LOCAL_COPY_ACTION, removeTree, renderAnsibleAsCli, restoreCheckPlay, restoreVerdicts, run, writeTree } from './support';

const it = itWithTools('ansible-playbook');

/** The names asked for, with the verdict the check must give (a bucket is configured). */
const CASES: Readonly<Record<string, 'accepted' | 'refused'>> = {
  // a snapshot of the master the check runs on, and one of another member, each in its own folder
  [`master-2/${etcdSnapshotName('master-2', '20260103T020000')}`]: 'accepted',
  [`master-1/${etcdSnapshotName('master-1', '20260101T020000')}`]: 'accepted',
  // a snapshot on the master, by absolute path
  [`/backup/etcd/${etcdSnapshotName('master-2', '20260103T020000')}`]: 'accepted',
  // not a name the backup writes or keeps: another member's file in this member's folder, no folder,
  // another time form, another suffix, another prefix
  [`master-2/${etcdSnapshotName('master-1', '20260101T020000')}`]: 'refused',
  [etcdSnapshotName('master-2', '20260103T020000')]: 'refused',
  [`master-2/${etcdSnapshotName('master-2', '2026-01-03')}`]: 'refused',
  [`master-2/${etcdSnapshotName('master-2', '20260103T020000')}.gz`]: 'refused',
  'master-2/snap-master-2-20260103T020000.db': 'refused',
  // a name with a line end after it (Python's `$` would accept it)
  [`master-2/${etcdSnapshotName('master-2', '20260103T020000')}\n`]: 'refused',
};

describe("etcd-restore.yml's snapshot check", () => {
  let dir = '';
  afterAll(() => dir && removeTree(dir));

  it('accepts <node>/<that node\'s snapshot file> and absolute paths, and refuses every other name', () => {
    const config = parseConfig({ cloud: { provider: 'openstack' }, name: 'prod', backup: { objectStorage: { bucket: 'kpaas-backups' } } });
    dir = writeTree(renderAnsibleAsCli(config));
    fs.mkdirSync(path.join(dir, 'action_plugins'));
    fs.writeFileSync(path.join(dir, 'action_plugins', 'copy.py'), LOCAL_COPY_ACTION);
    const out = path.join(dir, 'verdicts.txt');
    fs.writeFileSync(path.join(dir, 'check.yml'), JSON.stringify([restoreCheckPlay(dir, 'master-2', Object.keys(CASES), out)]));
    const r = run('ansible-playbook', ['-i', 'inventory', 'check.yml'], dir);
    expect(`${r.status} ${r.stderr}`).toBe('0 ');
    expect(restoreVerdicts(out)).toEqual(CASES);
  }, 60_000);
});
