/**
 * The host cluster's KV secret that `kpaas portal register` writes, against the contract with
 * cp-portal-api (config/contracts/portal-cluster-secret.ts): the path and keys it writes are the
 * contract's, and the contract's texts are in the component's files at the pinned ref where a
 * fetched copy of the repository is at hand (../.mirror).
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { clusterSecretData, PORTAL_KV_MOUNT } from '../../cli/portal-register';
import { parseConfig } from '../../config';
import { PORTAL_CLUSTER_SECRET } from '../../config/contracts';
import { portalClusterSecretPath } from '../../platform/portal/portal-names';

describe('the cluster secret kpaas portal register writes', () => {
  it('has the keys cp-portal-api reads, at the path it reads', () => {
    expect(Object.keys(clusterSecretData(parseConfig({ name: 'prod' }), 'token')).sort()).toEqual(['clusterApiUrl', 'clusterId', 'clusterToken']);
    expect(Object.keys(PORTAL_CLUSTER_SECRET.keys).sort()).toEqual(['clusterApiUrl', 'clusterId', 'clusterToken']);
    expect(`${PORTAL_KV_MOUNT}/${portalClusterSecretPath('prod')}`).toBe('secret/cluster/prod');
  });
});

const sources = [PORTAL_CLUSTER_SECRET.path.source, ...Object.values(PORTAL_CLUSTER_SECRET.keys).map((k) => k.source)];
const mirror = path.resolve(__dirname, '../../../.mirror', sources[0].repo.replace('/', '+'), 'repo');
const present = fs.existsSync(mirror);
if (!present) console.warn(`SKIPPED: no fetched copy of ${sources[0].repo} in ../.mirror; the cluster secret's contract is not compared with its code`);

describe('the contract in cp-portal-api\'s code', () => {
  (present ? it.each(sources.map((s) => [`${s.path}: ${s.note}`, s] as const)) : it.skip.each([['none', sources[0]] as const]))('%s', (_t, s) => {
    const text = execFileSync('git', [`--git-dir=${mirror}`, 'show', `${s.ref}:${s.path}`]).toString('utf8');
    expect(text).toContain(s.note);
  });

  it('says the path the KV mount and the template make', () => {
    expect(PORTAL_CLUSTER_SECRET.path.source.note).toContain(`"${PORTAL_KV_MOUNT}/${PORTAL_CLUSTER_SECRET.path.template}"`);
  });
});
