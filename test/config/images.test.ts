import { mirrorImage, splitImage } from '../../config';

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
});
