import { GroupCommit } from '../platform/index.ts';
import type { AlarmPress, PressOutcome } from '../store/index.ts';

export interface PressWriter {
  recordMany(presses: readonly AlarmPress[]): Promise<PressOutcome[]>;
}

/**
 * Group commit for alarms (P1: stored before PUBACK; src/platform/group-commit.ts). A press's
 * promise settles only after the commit that holds it, and the broker writes the PUBACK only then
 * (src/ingest/broker/hooks.ts); a press whose own commit fails is rejected and its device gets no
 * PUBACK, so it retransmits.
 */
export class AlarmCommits extends GroupCommit<AlarmPress, PressOutcome> {
  constructor(writer: PressWriter, onCommit?: (presses: number) => void, maxBatch?: number) {
    super((presses) => writer.recordMany(presses), onCommit, maxBatch);
  }
}
