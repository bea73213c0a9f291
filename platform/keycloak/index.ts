export * from './keycloak-chart';
export * from './keycloak-connections';
export * from './keycloak-names';
export * from './keycloak-realm';
export * from './keycloak-secrets';
export * from './keycloak-service';
