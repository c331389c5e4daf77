export * from './alarm.ts';
export * from './errors.ts';
export * from './mexico.ts';
export * from './registry.ts';
export * from './roles.ts';
export * from './wire.ts';
