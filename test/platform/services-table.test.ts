import * as fs from 'fs';
import * as path from 'path';
import { PLATFORM_SERVICES, platformServicesMarkdown, platformStorage } from '../../platform';
import { parseConfig } from '../../config';

const DOC = path.resolve(__dirname, '../../docs/platform-services.md');

describe('docs/platform-services.md', () => {
  const markdown = platformServicesMarkdown(parseConfig({}), PLATFORM_SERVICES);

  it('is the generated table for the default config (regenerate with npm run docs)', () => {
    expect(fs.readFileSync(DOC, 'utf8')).toBe(markdown);
  });

  it('lists the seed\'s hosts-file entries at the worker LB, and the API name at the master LB', () => {
    const block = /## DNS entries[\s\S]*?```\n([\s\S]*?)```/.exec(markdown)?.[1];
    expect(block).toBe([
      '<worker LB public IP>  k-paas.io',
      '<worker LB public IP>  keycloak.k-paas.io',
      '<worker LB public IP>  openbao.k-paas.io',
      '<worker LB public IP>  harbor.k-paas.io',
      '<worker LB public IP>  chartmuseum.k-paas.io',
      '<worker LB public IP>  portal.k-paas.io',
      '<master LB public IP>  cluster-endpoint',
      '',
    ].join('\n'));
  });

  it('has a row per platform service, in apply order, with its host and namespace', () => {
    const rows = markdown.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| service')).map((l) => l.split(' | ').slice(0, 3));
    expect(rows).toEqual([
      ['| MetalLB', '—', 'metallb-system'],
      ['| NFS storage', '—', 'nfs-provisioner'],
      ['| Keycloak', 'keycloak.k-paas.io', 'keycloak'],
      ['| OpenBao', 'openbao.k-paas.io', 'openbao'],
      ['| Harbor', 'harbor.k-paas.io', 'harbor'],
      ['| ChartMuseum', 'chartmuseum.k-paas.io', 'chartmuseum'],
      ['| CP-Portal', 'portal.k-paas.io', 'cp-portal'],
    ]);
  });

  it('reads the storage from the manifests, so it follows the charts', () => {
    const storage = platformStorage(parseConfig({}), PLATFORM_SERVICES);
    expect(storage.get('cp-portal')).toEqual(['5Gi RWO on `cp-storageclass-retain` (`data-cp-portal-mariadb-N`)']);
    // Keycloak keeps its tables in the portal's MariaDB
    expect(storage.get('keycloak')).toBeUndefined();
  });

  it('follows the configured domain, ingress IP and NFS export', () => {
    const other = platformServicesMarkdown(parseConfig({ domain: 'paas.example.com', ingress: { ip: '172.16.0.202' }, storage: { nfsPath: '/srv/nfs' } }), PLATFORM_SERVICES);
    expect(other).toContain('| CP-Portal | portal.paas.example.com | cp-portal |');
    expect(other).toContain('<worker LB public IP>  chartmuseum.paas.example.com');
    expect(other).toContain('holds `172.16.0.202` for the ingress controller');
    expect(other).toContain('the export `172.16.0.192:/srv/nfs` on master-1');
  });
});
