export * from './metallb-chart';
export * from './metallb-service';
