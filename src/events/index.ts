export { EventBus, type EventName, type Listener } from './bus.ts';
export type { EventMap } from './types.ts';
