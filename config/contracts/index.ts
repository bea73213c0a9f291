/**
 * Contracts with upstream software: facts read from the source of the programs the platform
 * configures (at the versions we pin), as data with a reference to the upstream file. The
 * contract tests (test/contracts/) hold dist against them.
 */
export * from './connections';
export * from './envoy-gateway';
export * from './gitops';
export * from './harbor-env';
export * from './images';
export * from './ingress-nginx-annotations';
export * from './key-formats';
export * from './keycloak-env';
export * from './openbao-api';
export * from './openbao-injector-env';
export * from './portal-cluster-secret';
export * from './portal-db-pools';
export * from './portal-env';
export * from './portal-rbac';
export * from './portal-ports';
export * from './terraform-s3-backend';
export * from './etcd-tools';
