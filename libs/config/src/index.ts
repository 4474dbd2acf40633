export * from './app-config';
export * from './config.module';
export * from './schedules';
export * from './secret-key';
export * from './node-flags';
