import type { Logger } from './logger.ts';

type Closer = { name: string; close: () => Promise<void> | void };

/**
 * Closes parts in the reverse order they were started, so that intake stops before the
 * stores it writes to. Each closer runs once; a failing closer is logged and the rest go on.
 */
export class Shutdown {
  private readonly closers: Closer[] = [];
  private closing: Promise<void> | undefined;

  constructor(private readonly logger: Logger) {}

  add(name: string, close: Closer['close']): void {
    this.closers.push({ name, close });
  }

  close(): Promise<void> {
    this.closing ??= this.run();
    return this.closing;
  }

  private async run(): Promise<void> {
    for (const closer of [...this.closers].reverse()) {
      try {
        await closer.close();
      } catch (err) {
        this.logger.error({ err, part: closer.name }, 'failed to close part');
      }
    }
  }

  /** Wires SIGTERM and SIGINT to a graceful close; a second signal exits at once. */
  onSignals(exit: (code: number) => void = process.exit): void {
    let signalled = false;
    const handler = (signal: NodeJS.Signals) => {
      if (signalled) exit(1);
      signalled = true;
      this.logger.info({ signal }, 'shutting down');
      this.close().then(
        () => exit(0),
        () => exit(1),
      );
    };
    process.once('SIGTERM', handler);
    process.once('SIGINT', handler);
  }
}
