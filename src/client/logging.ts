import { logLevel, type logCreator } from 'kafkajs';

/** kafkajs logs nothing unless asked; with `verbose`, one line per entry on stderr (stdout is for data). */
export function kafkaLogging(verbose: boolean): { logLevel: logLevel; logCreator: logCreator } {
  if (!verbose) return { logLevel: logLevel.NOTHING, logCreator: () => () => {} };
  return {
    logLevel: logLevel.INFO,
    logCreator:
      () =>
      ({ namespace, label, log }) => {
        // The logger name and stack traces are noise on a terminal; the rest says which broker and why.
        const { message, timestamp: _timestamp, logger: _logger, stack: _stack, ...extra } = log;
        const details = Object.keys(extra).length > 0 ? ` ${JSON.stringify(extra)}` : '';
        process.stderr.write(`[kafkajs ${label}] ${namespace ? `${namespace}: ` : ''}${message}${details}\n`);
      },
  };
}
