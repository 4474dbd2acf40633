export * from './report';
export * from './summary';
export * from './markdown';
export * from './redact';
export { fenceFor, fenced } from './fence';
