export * from './chartmuseum-chart';
export * from './chartmuseum-connections';
export * from './chartmuseum-names';
export * from './chartmuseum-secrets';
export * from './chartmuseum-service';
