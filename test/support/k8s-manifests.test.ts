/**
 * The helpers the manifest policies rely on, on small fixtures: parsing, workloads and their pod
 * templates, label selectors, image pinning. A wrong helper would make a policy pass vacuously.
 */
import {
  containers,
  describeObject,
  imagePinProblem,
  isEmptySelector,
  manifestFiles,
  parseManifestFile,
  selectorMatches,
  workloadId,
  workloads,
} from './k8s-manifests';

const pod = (name: string) => ({
  metadata: { labels: { app: name } },
  spec: { initContainers: [{ name: 'init', image: 'busybox:1.37' }], containers: [{ name: 'main', image: 'nginx:1.27' }] },
});

const YAML = `
apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: demo }
spec: { replicas: 3, selector: { matchLabels: { app: web } }, template: ${JSON.stringify(pod('web'))} }
---
apiVersion: batch/v1
kind: CronJob
metadata: { name: backup, namespace: demo }
spec: { schedule: "0 3 * * *", jobTemplate: { spec: { template: ${JSON.stringify(pod('backup'))} } } }
---
apiVersion: apps/v1
kind: DaemonSet
metadata: { name: agent, namespace: demo }
spec: { selector: { matchLabels: { app: agent } }, template: ${JSON.stringify(pod('agent'))} }
---
apiVersion: v1
kind: Namespace
metadata: { name: demo }
---
`;

describe('parseManifestFile', () => {
  const objects = parseManifestFile('manifests/10-demo.yaml', YAML);

  it('reads every document of a multi-document file, skipping empty ones', () => {
    expect(objects.map((o) => [o.index, describeObject(o)])).toEqual([
      [0, 'manifests/10-demo.yaml: Deployment demo/web'],
      [1, 'manifests/10-demo.yaml: CronJob demo/backup'],
      [2, 'manifests/10-demo.yaml: DaemonSet demo/agent'],
      [3, 'manifests/10-demo.yaml: Namespace demo'],
    ]);
  });

  it('fails on YAML errors, duplicate keys and documents that are not objects', () => {
    expect(() => parseManifestFile('manifests/x.yaml', 'a: [')).toThrow('manifests/x.yaml');
    expect(() => parseManifestFile('manifests/x.yaml', 'kind: A\nkind: B\napiVersion: v1\nmetadata: {}')).toThrow('manifests/x.yaml');
    expect(() => parseManifestFile('manifests/x.yaml', '- 1\n- 2')).toThrow('not a Kubernetes object');
    expect(() => parseManifestFile('manifests/x.yaml', 'apiVersion: v1\nkind: ConfigMap')).toThrow('has no metadata');
  });

  it('finds workloads, their pod templates (also through a CronJob) and replicas', () => {
    const ws = workloads(objects);
    expect(ws.map((w) => [w.kind, workloadId(w), w.podLabels, w.replicas, w.longRunning])).toEqual([
      ['Deployment', 'demo/web', { app: 'web' }, 3, true],
      ['CronJob', 'demo/backup', { app: 'backup' }, undefined, false],
      ['DaemonSet', 'demo/agent', { app: 'agent' }, undefined, true],
    ]);
    expect(containers(ws).map((c) => [c.id, c.init])).toEqual([
      ['demo/web/init', true], ['demo/web/main', false],
      ['demo/backup/init', true], ['demo/backup/main', false],
      ['demo/agent/init', true], ['demo/agent/main', false],
    ]);
  });
});

describe('manifestFiles', () => {
  it('takes manifests/ without kustomization.yaml, in file-name order', () => {
    const dist = new Map([
      ['manifests/kustomization.yaml', { content: 'k' }],
      ['manifests/20-b.yaml', { content: 'b' }],
      ['terraform/infra/cdk.tf.json', { content: '{}' }],
      ['manifests/00-a.yaml', { content: 'a' }],
    ]);
    expect([...manifestFiles(dist)]).toEqual([['manifests/00-a.yaml', 'a'], ['manifests/20-b.yaml', 'b']]);
  });
});

describe('selectorMatches', () => {
  const labels = { app: 'web', tier: 'front' };

  it('selects everything with an empty or absent selector', () => {
    expect(selectorMatches(undefined, labels)).toBe(true);
    expect(selectorMatches({}, labels)).toBe(true);
    expect(isEmptySelector({})).toBe(true);
    expect(isEmptySelector({ matchLabels: {} })).toBe(true);
    expect(isEmptySelector({ matchLabels: { app: 'web' } })).toBe(false);
  });

  it('ANDs matchLabels and every operator of matchExpressions', () => {
    expect(selectorMatches({ matchLabels: { app: 'web' } }, labels)).toBe(true);
    expect(selectorMatches({ matchLabels: { app: 'web', tier: 'back' } }, labels)).toBe(false);
    expect(selectorMatches({ matchExpressions: [{ key: 'tier', operator: 'In', values: ['front', 'back'] }] }, labels)).toBe(true);
    expect(selectorMatches({ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['front'] }] }, labels)).toBe(false);
    expect(selectorMatches({ matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['a'] }] }, labels)).toBe(true);
    expect(selectorMatches({ matchExpressions: [{ key: 'app', operator: 'Exists' }] }, labels)).toBe(true);
    expect(selectorMatches({ matchExpressions: [{ key: 'app', operator: 'DoesNotExist' }] }, labels)).toBe(false);
    expect(selectorMatches({ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'zone', operator: 'Exists' }] }, labels)).toBe(false);
    expect(selectorMatches({ matchExpressions: [{ key: 'app', operator: 'Near' }] }, labels)).toBe(false);
  });
});

describe('imagePinProblem', () => {
  it('accepts version tags and digests', () => {
    expect(imagePinProblem('registry.k8s.io/sig-storage/nfs-subdir-external-provisioner:v4.0.2')).toBeUndefined();
    expect(imagePinProblem('registry.local:5000/team/app:1.2.3-alpine')).toBeUndefined();
    expect(imagePinProblem(`nginx@sha256:${'a'.repeat(64)}`)).toBeUndefined();
    expect(imagePinProblem(`nginx:1.27@sha256:${'0'.repeat(64)}`)).toBeUndefined();
  });

  it('fails latest, a missing tag (a registry port is not a tag), a moving tag and no image', () => {
    expect(imagePinProblem('nginx:latest')).toBe('is tagged latest');
    expect(imagePinProblem('nginx')).toBe('has no tag (means latest)');
    expect(imagePinProblem('registry.local:5000/team/app')).toBe('has no tag (means latest)');
    expect(imagePinProblem('nginx:stable')).toBe('has a tag that is not a version');
    expect(imagePinProblem(undefined)).toBe('is missing');
  });
});
