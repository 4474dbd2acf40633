export * from './scan-jobs';
export * from './queue-dispatcher';
export * from './scan-worker';
export * from './scan-queue.module';
