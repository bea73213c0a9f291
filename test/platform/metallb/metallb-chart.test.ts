import { Testing } from 'cdk8s';
import { parse } from 'yaml';
import { MetallbChart } from '../../../platform/metallb/metallb-chart';
import { METALLB } from '../../../platform/metallb/metallb-service';
import { INSTALLER_VARS } from '../../../ansible';
import { parseConfig } from '../../../config';
import { find, manifestFiles, objectsOf } from '../../support/manifests';
import { renderAnsibleAsCli } from '../../ansible/support';

describe('MetalLB chart', () => {
  const objects = objectsOf(manifestFiles().get('10-metallb.yaml')!);

  it('pools the seed range with auto-assign', () => {
    expect(find(objects, 'IPAddressPool', 'kpaas-pool')).toMatchObject({
      apiVersion: 'metallb.io/v1beta1',
      metadata: { namespace: 'metallb-system' },
      spec: { addresses: ['172.16.0.210-172.16.0.250'], autoAssign: true },
    });
  });

  it('gives the ingress IP only to the ingress controller, asked for or not', () => {
    // MetalLB v0.14.9 offers a pool with serviceAllocation only to the Services it matches: the
    // K-PaaS installer's ingress-nginx Service requests no address and still gets this one
    expect(find(objects, 'IPAddressPool', 'ingress-nginx').spec).toEqual({
      addresses: ['172.16.0.201/32'],
      autoAssign: true,
      serviceAllocation: { namespaces: ['ingress-nginx'] },
    });
  });

  it("matches the K-PaaS installer route's pools by name and address, so MetalLB sees no overlap", () => {
    // dist/ansible/installer/zz-kpaas.yml makes the installer create only the ingress pool; the
    // manifests then update that same object and add kpaas-pool (an extra pool over the same
    // addresses, like the installer's `primary`, would be refused by MetalLB's webhook)
    const installer = parse(renderAnsibleAsCli(parseConfig({})).get(INSTALLER_VARS)!).metallb_config;
    const pools = objects.filter((o) => o.kind === 'IPAddressPool');
    for (const [name, pool] of Object.entries<any>(installer.address_pools)) {
      expect(find(objects, 'IPAddressPool', name).spec.addresses).toEqual(pool.ip_range);
    }
    const ranges = pools.flatMap((p) => p.spec.addresses.map((a: string) => [p.metadata.name, a]));
    expect(ranges).toEqual([['kpaas-pool', '172.16.0.210-172.16.0.250'], ['ingress-nginx', '172.16.0.201/32']]);
  });

  it('advertises both pools over L2 from the workers only', () => {
    expect(find(objects, 'L2Advertisement', 'kpaas-l2').spec).toEqual({
      ipAddressPools: ['kpaas-pool', 'ingress-nginx'],
      nodeSelectors: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['worker-1', 'worker-2', 'worker-3'] }] }],
    });
    expect(objects).toHaveLength(3);
  });

  it('adds extra ranges to the pool and follows the workers and the ingress IP', () => {
    const o = objectsOf(manifestFiles({
      metallb: { extraRanges: ['172.16.0.100-172.16.0.120', '172.16.0.130-172.16.0.131'] },
      ingress: { ip: '172.16.0.205' },
      nodes: { workers: { names: ['app-1', 'app-2', 'app-3'] } },
    }).get('10-metallb.yaml')!);
    expect(find(o, 'IPAddressPool', 'kpaas-pool').spec.addresses).toEqual(['172.16.0.210-172.16.0.250', '172.16.0.100-172.16.0.120', '172.16.0.130-172.16.0.131']);
    expect(find(o, 'IPAddressPool', 'ingress-nginx').spec.addresses).toEqual(['172.16.0.205/32']);
    expect(find(o, 'L2Advertisement', 'kpaas-l2').spec.nodeSelectors[0].matchExpressions[0].values).toEqual(['app-1', 'app-2', 'app-3']);
  });
});

describe('MetallbChart and its descriptor', () => {
  const config = parseConfig({});
  const context = { config, connections: [], services: [METALLB] };

  it('is three CRs in the namespace the cluster layer makes, and nothing else', () => {
    const chart = METALLB.chart(Testing.app(), context);
    expect(chart).toBeInstanceOf(MetallbChart);
    expect(chart.namespace).toBe(METALLB.externalNamespace);
    expect(METALLB.namespace).toBeUndefined();
    expect(Testing.synth(chart).map((o) => `${o.apiVersion} ${o.kind} ${o.metadata.namespace}/${o.metadata.name}`)).toEqual([
      'metallb.io/v1beta1 IPAddressPool metallb-system/kpaas-pool',
      'metallb.io/v1beta1 IPAddressPool metallb-system/ingress-nginx',
      'metallb.io/v1beta1 L2Advertisement metallb-system/kpaas-l2',
    ]);
  });

  it('runs no pods of its own: no images, Services, connections, hosts or Secrets', () => {
    expect(METALLB.images(config)).toEqual([]);
    expect(METALLB.endpoints).toEqual({});
    expect(METALLB.connections(config)).toEqual([]);
    expect(METALLB.hosts(config)).toEqual([]);
    expect(METALLB.secrets(config)).toEqual({ certificates: [], secrets: [] });
    expect(METALLB.openbao).toBeUndefined();
  });

  it('advertises the pools it makes, by their objects\' names', () => {
    const chart = new MetallbChart(Testing.app(), 'm', { config });
    expect(chart.l2Advertisement.toJson().spec.ipAddressPools).toEqual([chart.defaultPool.name, chart.ingressPool.name]);
  });
});
