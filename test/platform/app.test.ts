import { objectsOf, manifestFiles } from '../support/manifests';

describe('dist/manifests', () => {
  const files = manifestFiles();

  it('has one file per chart in apply order, and a kustomization listing them', () => {
    expect([...files.keys()]).toEqual([
      '00-namespaces.yaml', '10-metallb.yaml', '20-nfs-storage.yaml', '30-keycloak.yaml', '40-openbao.yaml',
      '50-harbor.yaml', '60-chartmuseum.yaml', '70-portal.yaml', 'kustomization.yaml',
    ]);
    expect(objectsOf(files.get('kustomization.yaml')!)).toEqual([{
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      resources: [
        '00-namespaces.yaml', '10-metallb.yaml', '20-nfs-storage.yaml', '30-keycloak.yaml', '40-openbao.yaml',
        '50-harbor.yaml', '60-chartmuseum.yaml', '70-portal.yaml',
      ],
    }]);
  });

  it('matches the snapshots, file by file', () => {
    for (const [name, yaml] of files) expect(yaml).toMatchSnapshot(name);
  });

  it('is deterministic', () => {
    expect(manifestFiles()).toEqual(files);
  });

  it('pulls every image through the configured registry mirrors, sidecar images too', () => {
    const mirrored = manifestFiles({ images: { mirrors: {
      'docker.io': 'harbor.k-paas.io/dockerhub', 'quay.io': 'harbor.k-paas.io/quay', 'registry.k8s.io': 'harbor.k-paas.io/k8s', 'ghcr.io': 'harbor.k-paas.io/ghcr',
    } } });
    const images = [...mirrored.values()].join('\n').match(/(?<=image: |_IMAGE\n\s+value: )\S+/g) ?? [];
    expect(images.length).toBeGreaterThan(20);
    // every image now comes from Harbor (the portal's already did)
    expect(images.filter((i) => !i.startsWith('harbor.k-paas.io/'))).toEqual([]);
    expect(images).toContain('harbor.k-paas.io/dockerhub/library/postgres:17.11');
    expect(images).toContain('harbor.k-paas.io/quay/keycloak/keycloak:26.7.5');
    expect(images).toContain('harbor.k-paas.io/k8s/sig-storage/nfs-subdir-external-provisioner:v4.0.2');
    // and nothing else changed
    const strip = (m: Map<string, string>) => [...m.values()].join('\n').replace(/(image: |_IMAGE\n\s+value: )\S+/g, '$1X');
    expect(strip(mirrored)).toBe(strip(files));
  });

  it('keeps cluster-scoped objects out of namespaces', () => {
    const all = [...files.entries()].filter(([n]) => n !== 'kustomization.yaml').flatMap(([, y]) => objectsOf(y));
    const clusterScoped = all.filter((o) => ['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'StorageClass'].includes(o.kind));
    expect(clusterScoped.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'Namespace/nfs-provisioner',
      'Namespace/keycloak',
      'Namespace/openbao',
      'Namespace/harbor',
      'Namespace/chartmuseum',
      'Namespace/cp-portal',
      'ClusterRole/kpaas:nfs-subdir-external-provisioner',
      'ClusterRoleBinding/kpaas:nfs-subdir-external-provisioner',
      'StorageClass/cp-storageclass',
      'StorageClass/cp-storageclass-retain',
      'ClusterRoleBinding/kpaas:oidc:admins',
      'ClusterRoleBinding/kpaas:oidc:developers',
      'ClusterRoleBinding/kpaas:oidc:operators',
      'ClusterRoleBinding/kpaas:openbao-auth-delegator',
      'ClusterRole/kpaas:openbao-agent-injector',
      'ClusterRoleBinding/kpaas:openbao-agent-injector',
      'ClusterRoleBinding/kpaas:cp-portal-cluster-manager',
    ]);
    for (const o of clusterScoped) expect(o.metadata.namespace).toBeUndefined();
  });
});
