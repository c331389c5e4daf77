import { DeadlineHeap } from './deadline-heap.ts';

export type AgendaItem =
  | { kind: 'maintenance_start' | 'maintenance_end'; deviceId: string }
  | { kind: 'test_end'; deviceId: string; until: number };

/** Timed chores other than liveness deadlines: maintenance windows and the end of a test. */
export class Agenda {
  private readonly heap = new DeadlineHeap<AgendaItem>();

  add(at: number, item: AgendaItem): void {
    this.heap.push({ at, key: item.deviceId, payload: item });
  }

  due(now: number): AgendaItem[] {
    return [...this.heap.due(now)].map((e) => e.payload);
  }
}
