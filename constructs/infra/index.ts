export * from './cloud-init';
export * from './cluster-network';
export * from './cluster-node';
export * from './cluster-security-rules';
export * from './network-load-balancer';
export * from './security-group';
