export * from './canonical-json';
export * from './snapshot';
