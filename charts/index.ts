export * from './metallb-chart';
export * from './namespaces-chart';
export * from './nfs-storage-chart';
export * from './platform-app';
export * from './platform-namespaces';
export * from './keycloak-chart';
export * from './portal-chart';
export * from './platform-services';
