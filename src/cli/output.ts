import { isCentinelaError } from '../domain/errors.ts';

export interface OutputOptions {
  json?: boolean;
}

/** Prints a result: JSON on one line with --json, else the human text. */
export function print(options: OutputOptions, data: unknown, human: string): void {
  process.stdout.write(options.json ? `${JSON.stringify(data)}\n` : `${human}\n`);
}

/** Every command fails the same way: a one-line reason on stderr and a non-zero exit. */
export function fail(options: OutputOptions, err: unknown): never {
  const message = (isCentinelaError(err) ? err.message : err instanceof Error ? err.message : String(err)).split('\n')[0] ?? 'failed';
  const code = isCentinelaError(err) ? err.code : 'CENTINELA_ERR_INTERNAL';
  if (options.json) process.stdout.write(`${JSON.stringify({ error: { code, message } })}\n`);
  process.stderr.write(`centinela: ${message}\n`);
  process.exit(isCentinelaError(err) && err.fault === 'caller' ? 2 : 1);
}

/** Wraps a command's action so any error ends in `fail`. */
export function action<A extends unknown[]>(run: (...args: A) => Promise<void>) {
  return async (...args: A): Promise<void> => {
    const options = (args.at(-1) as { optsWithGlobals?: () => OutputOptions })?.optsWithGlobals?.() ?? {};
    try {
      await run(...args);
    } catch (err) {
      fail(options, err);
    }
  };
}
