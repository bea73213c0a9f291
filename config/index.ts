export * from './errors';
export * from './loader';
export * from './model';
export * from './net';
export * from './reference';
export * from './schema';
export * from './versions';
export * from './warnings';
