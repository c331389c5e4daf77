export { EventBus, type EventName, type Listener, type ListenOptions } from './bus.ts';
export { RELAYED_EVENTS, type RedisRelay, startRedisRelay } from './redis-relay.ts';
export type { EventMap } from './types.ts';
