export * from './check';
export * from './registry';
export * from './evaluate';
export * from './probe/probe-script';
export * from './probe/probe-output';
export * from './probe/shell-quote';
export * from './checks/apache-build.check';
export * from './checks/apache-modules.check';
