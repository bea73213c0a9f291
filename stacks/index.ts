export * from './infra-stack';
export * from './kpaas-stack';
