export * from './change';
export * from './rules';
export * from './diff';
export * from './glob';
export * from './fleet-baseline';
export * from './fleet-summary';
