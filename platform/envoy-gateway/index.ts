export * from './envoy-gateway-chart';
export * from './envoy-gateway-connections';
export * from './envoy-gateway-controller';
export * from './envoy-gateway-crds';
export * from './envoy-gateway-names';
export * from './envoy-gateway-proxy';
export * from './envoy-gateway-service';
