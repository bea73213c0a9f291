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
      'ClusterRole/kpaas:cp-portal',
      'ClusterRoleBinding/kpaas:cp-portal',
    ]);
    for (const o of clusterScoped) expect(o.metadata.namespace).toBeUndefined();
  });
});
