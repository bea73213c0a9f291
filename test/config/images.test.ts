import { isFullyQualified, mirrorImage, parseImageRef, splitImage, unmirrorImage } from '../../config';

describe('image references', () => {
  it('splits registries the way container runtimes read them', () => {
    expect(splitImage('postgres:17.6')).toEqual({ registry: 'docker.io', path: 'library/postgres:17.6' });
    expect(splitImage('goharbor/harbor-core:v2.15.1')).toEqual({ registry: 'docker.io', path: 'goharbor/harbor-core:v2.15.1' });
    expect(splitImage('docker.io/hashicorp/vault-k8s:1.7.2')).toEqual({ registry: 'docker.io', path: 'hashicorp/vault-k8s:1.7.2' });
    expect(splitImage('quay.io/keycloak/keycloak:26.4.2')).toEqual({ registry: 'quay.io', path: 'keycloak/keycloak:26.4.2' });
    expect(splitImage('localhost:5000/app:1')).toEqual({ registry: 'localhost:5000', path: 'app:1' });
  });

  it('pulls from the mirror of the image\'s registry, and leaves others as they are', () => {
    const mirrors = { 'docker.io': 'harbor.k-paas.io/dockerhub', 'quay.io': 'harbor.k-paas.io/quay' };
    expect(mirrorImage('postgres:17.6', mirrors)).toBe('harbor.k-paas.io/dockerhub/library/postgres:17.6');
    expect(mirrorImage('quay.io/openbao/openbao:2.6.2', mirrors)).toBe('harbor.k-paas.io/quay/openbao/openbao:2.6.2');
    expect(mirrorImage('registry.k8s.io/sig-storage/nfs-subdir-external-provisioner:v4.0.2', mirrors)).toBe('registry.k8s.io/sig-storage/nfs-subdir-external-provisioner:v4.0.2');
  });

  it('tells fully qualified references from short names, as CRI-O without unqualified search registries does', () => {
    for (const ref of ['docker.io/library/postgres:17.6', 'quay.io/keycloak/keycloak:26.4.2', 'localhost:5000/app:1', 'localhost/app:1', 'harbor.k-paas.io/cp-portal-repository/cp-portal-ui:v1.6.2']) {
      expect([ref, isFullyQualified(ref)]).toEqual([ref, true]);
    }
    for (const ref of ['postgres:17.6', 'mariadb', 'goharbor/harbor-core:v2.15.1', 'library/postgres:17.6']) {
      expect([ref, isFullyQualified(ref)]).toEqual([ref, false]);
    }
  });

  it('parses registry, repository, tag and digest', () => {
    expect(parseImageRef('docker.io/library/postgres:17.6')).toEqual({ registry: 'docker.io', repository: 'library/postgres', tag: '17.6' });
    expect(parseImageRef('localhost:5000/team/app:1.2')).toEqual({ registry: 'localhost:5000', repository: 'team/app', tag: '1.2' });
    expect(parseImageRef('mariadb')).toEqual({ registry: 'docker.io', repository: 'library/mariadb' });
    const digest = `sha256:${'a'.repeat(64)}`;
    expect(parseImageRef(`quay.io/openbao/openbao:2.6.2@${digest}`)).toEqual({ registry: 'quay.io', repository: 'openbao/openbao', tag: '2.6.2', digest });
  });

  it('finds where a mirrored image comes from (longest mirror prefix first), and leaves others alone', () => {
    const mirrors = { 'docker.io': 'harbor.k-paas.io/dockerhub', 'quay.io': 'harbor.k-paas.io/dockerhub/quay' };
    expect(unmirrorImage(mirrorImage('docker.io/library/postgres:17.6', mirrors), mirrors)).toBe('docker.io/library/postgres:17.6');
    expect(unmirrorImage(mirrorImage('quay.io/openbao/openbao:2.6.2', mirrors), mirrors)).toBe('quay.io/openbao/openbao:2.6.2');
    expect(unmirrorImage('ghcr.io/helm/chartmuseum:v0.16.6', mirrors)).toBe('ghcr.io/helm/chartmuseum:v0.16.6');
  });
});
