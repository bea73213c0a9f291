export * from './dist-files';
export * from './dist-writer';
export * from './program';
export * from './render';
