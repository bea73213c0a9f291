import { Testing } from 'cdk8s';
import type { Construct } from 'constructs';
import { parseConfig } from '../../../config';
import { PlatformChart } from '../../../constructs/k8s';
import { KubeClusterRole, KubeConfigMap } from '../../../imports/k8s';

class DemoChart extends PlatformChart {
  public constructor(scope: Construct, id: string) {
    super(scope, id, { config: parseConfig({}), component: 'demo', version: 'v1.2.3', namespace: 'demo' });
    new KubeConfigMap(this, 'config', { metadata: { name: 'demo-config' } });
    new KubeClusterRole(this, 'role', { metadata: { name: 'kpaas:demo' }, rules: [] });
  }
}

describe('PlatformChart', () => {
  const objects = Testing.synth(new DemoChart(Testing.app(), 'demo'));

  it('labels every object and keeps names as written', () => {
    for (const o of objects) {
      expect(o.metadata.labels).toEqual({
        'app.kubernetes.io/name': 'demo',
        'app.kubernetes.io/part-of': 'k-paas',
        'app.kubernetes.io/managed-by': 'kpaas-cdk',
        'app.kubernetes.io/version': 'v1.2.3',
      });
    }
    expect(objects.map((o) => o.metadata.name)).toEqual(['demo-config', 'kpaas:demo']);
  });

  it('puts namespaced objects in the namespace and cluster-scoped ones in none', () => {
    expect(objects.map((o) => [o.kind, o.metadata.namespace])).toEqual([['ConfigMap', 'demo'], ['ClusterRole', undefined]]);
  });
});
