import { HARBOR_CONNECTIONS } from '../../../platform/harbor/harbor-connections';
import { HARBOR_ADDRESSES, HARBOR_SELECTORS } from '../../../platform/harbor/harbor-names';
import { HARBOR } from '../../../platform/harbor/harbor-service';

describe('Harbor addresses', () => {
  it('gives every component one Service in the harbor namespace, with the URLs the components are configured with', () => {
    const { core, portal, registry, jobservice, trivy, redis, database } = HARBOR_ADDRESSES;
    expect([core.url('http'), portal.url('http'), registry.url('registry'), registry.url('controller'), jobservice.url('http'), trivy.url('api-server'), redis.address('redis'), database.address('postgres')]).toEqual([
      'http://harbor-core.harbor.svc:80',
      'http://harbor-portal.harbor.svc:80',
      'http://harbor-registry.harbor.svc:5000',
      'http://harbor-registry.harbor.svc:8080',
      'http://harbor-jobservice.harbor.svc:80',
      'http://harbor-trivy.harbor.svc:8080',
      'harbor-redis.harbor.svc:6379',
      'harbor-postgres.harbor.svc:5432',
    ]);
  });

  it('are the endpoints the descriptor declares', () => {
    expect(HARBOR.endpoints).toBe(HARBOR_ADDRESSES);
  });

  it('puts every connection to a Harbor component on a port its Service leads to (the pods\' port, matched after DNAT)', () => {
    const components = Object.keys(HARBOR_SELECTORS) as Array<keyof typeof HARBOR_SELECTORS>;
    const inbound = HARBOR_CONNECTIONS.filter((c) => c.to.kind === 'pods');
    expect(inbound.length).toBe(19);
    const problems = inbound.flatMap((c) => {
      const labels = c.to.kind === 'pods' ? c.to.labels : {};
      const target = components.find((k) => JSON.stringify(HARBOR_SELECTORS[k]) === JSON.stringify(labels));
      if (!target) return [`${c.name}: no Harbor component has labels ${JSON.stringify(labels)}`];
      const ports = HARBOR_ADDRESSES[target].ports.map((p) => p.targetPort);
      return ports.includes(c.port) ? [] : [`${c.name}: port ${c.port} is not a target port of ${HARBOR_ADDRESSES[target].name} (${ports.join(', ')})`];
    });
    expect(problems).toEqual([]);
  });
});
