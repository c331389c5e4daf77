import type { TelemetryPoint, TelemetrySink } from './types.ts';

/** Writes each point to every sink (embedded always; InfluxDB when configured). */
export class FanOutTelemetry implements TelemetrySink {
  readonly name: string;

  constructor(
    private readonly sinks: TelemetrySink[],
    private readonly onRefused: (sink: string) => void,
  ) {
    this.name = sinks.map((s) => s.name).join('+');
  }

  write(point: TelemetryPoint): boolean {
    let all = true;
    for (const sink of this.sinks) {
      if (!sink.write(point)) {
        all = false;
        this.onRefused(sink.name);
      }
    }
    return all;
  }

  pending(): number {
    return Math.max(0, ...this.sinks.map((s) => s.pending()));
  }

  async flush(): Promise<void> {
    await Promise.all(this.sinks.map((s) => s.flush()));
  }

  async close(): Promise<void> {
    await Promise.all(this.sinks.map((s) => s.close()));
  }
}
