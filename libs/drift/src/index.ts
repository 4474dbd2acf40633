export * from './change';
export * from './rules';
export * from './diff';
export * from './glob';
export * from './render-text';
export * from './fleet-baseline';
export * from './fleet-summary';
export * from './explain';
