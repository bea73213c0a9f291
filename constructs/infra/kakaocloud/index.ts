export * from './cluster-node';
export * from './load-balancer';
export * from './lookup';
export * from './network';
export * from './security-group';
