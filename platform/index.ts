export * from './app';
export * from './namespaces-chart';
export * from './platform-namespaces';
export * from './services-table';
