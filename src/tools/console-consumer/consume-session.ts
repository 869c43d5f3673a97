import { KtsError, oneLine } from '../../util/errors.js';
import type { ConsumedRecord } from '../common/consumed-record.js';
import type { ConsumeRequest } from './consumer-options.js';
import type { OutputChunks, RecordFormatter } from './output-chunks.js';

/** Errors of an output whose reader went away (`| head`). */
const CLOSED_OUTPUT = new Set(['EPIPE', 'ERR_STREAM_DESTROYED']);

/**
 * What both consume paths (no group, group member) share: formatting with
 * `--skip-message-on-error`, the `--max-messages` count, the `--timeout-ms` idle timer, SIGINT and
 * SIGTERM, a closed output, and writing with backpressure. `finished` resolves once consuming
 * should end, with the error that ended it or undefined.
 */
export class ConsumeSession {
  readonly finished: Promise<unknown>;
  processed = 0;
  stopping = false;
  private finish!: (failure?: unknown) => void;
  private remaining: number;
  private idle: NodeJS.Timeout | undefined;
  private outputClosed = false;
  private readonly onSignal = (): void => this.stop();
  /** A closed output ends consuming quietly, so a group member still commits and leaves (Java's checkError). */
  private readonly onOutputError = (err: NodeJS.ErrnoException): void => {
    if (err.code !== undefined && CLOSED_OUTPUT.has(err.code)) {
      this.outputClosed = true;
      this.stop();
    } else this.stop(new KtsError(`Error: cannot write the output: ${oneLine(err)}`));
  };
  /** The output's other error listeners (the CLI's exit on EPIPE), set aside while the session runs. */
  private readonly otherErrorListeners: Array<(...args: unknown[]) => void>;

  constructor(
    private readonly request: ConsumeRequest,
    private readonly formatter: RecordFormatter,
    private readonly output: NodeJS.WritableStream,
    /** Say so when the output closes, as Kafka's console consumer does; otherwise end quietly. */
    private readonly closedOutputNotice = false,
  ) {
    this.finished = new Promise((resolve) => (this.finish = resolve));
    this.remaining = request.maxMessages ?? Infinity;
    process.once('SIGINT', this.onSignal).once('SIGTERM', this.onSignal);
    this.otherErrorListeners = output.listeners('error') as Array<(...args: unknown[]) => void>;
    output.removeAllListeners('error');
    output.on('error', this.onOutputError);
    if (this.remaining <= 0) this.stop();
  }

  stop(failure?: unknown): void {
    if (this.stopping) return;
    this.stopping = true;
    this.finish(failure);
  }

  /** Data arrived: restarts the `--timeout-ms` idle timer. */
  touch(): void {
    if (this.request.timeoutMs === undefined) return;
    clearTimeout(this.idle);
    this.idle = setTimeout(() => this.stop(), this.request.timeoutMs);
  }

  /**
   * Formats one record into `out` and counts it; false when it could not be formatted and that
   * ends consuming. Stops the session once `--max-messages` records were processed.
   */
  format(record: ConsumedRecord, out: OutputChunks): boolean {
    try {
      this.formatter(record, out);
    } catch (err) {
      if (!this.request.skipMessageOnError) {
        this.stop(new KtsError(`Error processing message, terminating consumer process: ${oneLine(err)}`));
        return false;
      }
      process.stderr.write(`Error processing message, skipping this message: ${oneLine(err)}\n`);
    }
    this.processed++;
    if (--this.remaining <= 0) this.stop();
    return true;
  }

  /** Writes what `out` holds, resolving once the output can take more. */
  write(out: OutputChunks): Promise<void> {
    if (out.empty) return Promise.resolve();
    const data = out.take();
    return new Promise((resolve) => {
      if (this.output.write(data)) resolve();
      else this.output.once('drain', resolve);
    });
  }

  /**
   * Stops the timer and handlers; prints Kafka's `Processed a total of N messages` unless the
   * output was closed (with `closedOutputNotice`: Kafka's notice, then the count, as Kafka does).
   */
  close(): void {
    clearTimeout(this.idle);
    process.off('SIGINT', this.onSignal).off('SIGTERM', this.onSignal);
    this.output.off('error', this.onOutputError);
    for (const listener of this.otherErrorListeners) this.output.on('error', listener);
    if (this.outputClosed && this.closedOutputNotice) process.stderr.write('Unable to write to standard out, closing consumer.\n');
    if (!this.outputClosed || this.closedOutputNotice) process.stderr.write(`Processed a total of ${this.processed} messages\n`);
  }
}
