export * from './change';
export * from './rules';
export * from './diff';
export * from './glob';
export * from './render-text';
