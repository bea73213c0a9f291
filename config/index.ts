export * from './errors';
export * from './loader';
export * from './model';
export * from './net';
export * from './schema';
export * from './versions';
