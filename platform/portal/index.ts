export * from './portal-chart';
export * from './portal-component';
export * from './portal-connections';
export * from './portal-names';
export * from './portal-secrets';
export * from './portal-service';
