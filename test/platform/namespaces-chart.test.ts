import { find, manifestFiles, objectsOf } from '../support/manifests';

describe('namespaces chart', () => {
  const objects = objectsOf(manifestFiles().get('00-namespaces.yaml')!);

  it('labels each namespace for Pod Security Admission against the cluster version', () => {
    expect(find(objects, 'Namespace', 'nfs-provisioner').metadata.labels).toMatchObject({
      'pod-security.kubernetes.io/enforce': 'baseline',
      'pod-security.kubernetes.io/enforce-version': 'v1.32',
      'pod-security.kubernetes.io/warn': 'restricted',
      'pod-security.kubernetes.io/audit': 'restricted',
    });
  });

  it('denies all traffic by default and allows DNS to every pod', () => {
    const deny = objects.find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'default-deny' && o.metadata.namespace === 'nfs-provisioner')!;
    expect(deny.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    const dns = objects.find((o) => o.metadata.name === 'allow-dns' && o.metadata.namespace === 'nfs-provisioner')!;
    expect(dns.spec.egress[0].ports).toEqual([{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }]);
    expect(dns.spec.egress[0].to[1]).toEqual({ ipBlock: { cidr: '169.254.25.10/32' } });
  });

  it('gives every namespace the one account its OpenBao role binds, with tokens off unless a pod asks, and an egress to OpenBao for labelled pods', () => {
    const namespaces = objects.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name);
    expect(namespaces).toEqual(['nfs-provisioner', 'keycloak', 'openbao', 'harbor', 'chartmuseum', 'cp-portal']);
    for (const ns of namespaces) {
      expect(objects.filter((o) => o.kind === 'ServiceAccount' && o.metadata.namespace === ns)).toEqual([
        expect.objectContaining({ metadata: expect.objectContaining({ name: 'openbao-client', namespace: ns }), automountServiceAccountToken: false }),
      ]);
      const allow = objects.find((o) => o.kind === 'NetworkPolicy' && o.metadata.namespace === ns && o.metadata.name === 'allow-openbao-client')!;
      expect(allow.spec.podSelector).toEqual({ matchLabels: { 'kpaas.io/openbao-client': 'true' } });
      expect(allow.spec.egress).toEqual([{
        to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'openbao' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'openbao', 'app.kubernetes.io/component': 'server' } } }],
        ports: [{ protocol: 'TCP', port: 8200 }],
      }]);
    }
  });
});
