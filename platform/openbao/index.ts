export * from './openbao-agent-injector';
export * from './openbao-chart';
export * from './openbao-config';
export * from './openbao-connections';
export * from './openbao-names';
export * from './openbao-secrets';
export * from './openbao-server';
export * from './openbao-service';
