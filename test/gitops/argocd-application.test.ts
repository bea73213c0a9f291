/** ArgoCdApplication's own check: `directory.include` is matched as a glob by Argo CD. */
import { Chart, Testing } from 'cdk8s';
import { parseConfig } from '../../config';
import { ArgoCdApplication } from '../../gitops';

const repo = parseConfig({ gitops: { tool: 'argocd', repoURL: 'https://git.example.org/p.git', path: 'dist', revision: 'main' } }).gitops!;

describe('ArgoCdApplication', () => {
  it('fails on an include with glob characters, naming the Application, the value and what is allowed', () => {
    const chart = new Chart(Testing.app(), 'c');
    expect(() => new ArgoCdApplication(chart, 'x', { name: 'kpaas-x', component: 'x', repo, path: 'dist/manifests', include: '1*.yaml' }))
      .toThrow('Argo CD Application kpaas-x: include "1*.yaml" is not a plain file name; allowed: letters, digits, ".", "_" and "-"');
  });

  it('takes a plain file name as the one file it applies', () => {
    const chart = new Chart(Testing.app(), 'c');
    new ArgoCdApplication(chart, 'x', { name: 'kpaas-x', component: 'x', repo, path: 'dist/manifests', include: '10-metallb.yaml' });
    expect(Testing.synth(chart)[0].spec.source.directory).toEqual({ include: '10-metallb.yaml' });
  });
});
