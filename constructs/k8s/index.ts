export * from './labels';
export * from './network-peers';
export * from './platform-chart';
export * from './platform-namespace';
export * from './pod-security';
export * from './platform-ingress';
export * from './postgres-database';
export * from './keycloak-realm';
