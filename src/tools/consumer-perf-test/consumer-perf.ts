import { KtsError } from '../../util/errors.js';
import type { ConnectOptions } from '../../client/connect-options.js';
import type { FetcherOptions } from '../../client/consumer/consumer-config.js';
import { ConsumerError } from '../../client/consumer/consumer-errors.js';
import { GroupConsumer } from '../../client/consumer/group/group-consumer.js';
import type { GroupSettings } from '../console-consumer/consumer-settings.js';
import { javaFixed } from '../common/java-format.js';
import { consumerConnection, openConsumer } from '../common/native-consumer.js';
import { Poller, TIMED_OUT } from '../common/poller.js';

export interface ConsumerPerfJob {
  topic: string;
  messages: number;
  group: string;
  autoCommit: boolean;
  /** Fetcher settings from the consumer properties and the tool's own (fetch size, offset reset, no CRC checks). */
  fetch: Omit<FetcherOptions, 'bootstrap'>;
  groupSettings: GroupSettings;
  connect: ConnectOptions;
  /** --timeout: the longest wait between records before giving up. */
  timeoutMs: number;
  reportingIntervalMs: number;
  showDetailedStats: boolean;
  hideHeader: boolean;
  formatDate: (epochMs: number) => string;
  print: (line: string) => void;
  progress?: (consumed: number) => void;
}

/** The totals the final line reports (MB are MiB). */
export interface ConsumerPerfSummary {
  startTime: string;
  endTime: string;
  consumedMb: number;
  mbPerSec: number;
  consumedMessages: number;
  messagesPerSec: number;
  rebalanceTimeMs: number;
  fetchTimeMs: number;
  fetchMbPerSec: number;
  fetchMessagesPerSec: number;
  /** Fewer than the expected messages came before --timeout. */
  timedOut: boolean;
}

const POLL_MS = 100;
const MB = 1024 * 1024;

const FIELDS = ', rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec';

/**
 * ConsumerPerformance: a group member consumes `messages` records of one topic (or stops when
 * none came for `timeoutMs`), counting key and value bytes, and prints Kafka's CSV: a header, a
 * line per reporting interval with --show-detailed-stats, else one line of totals. Rebalance time
 * is what the member spent joining (from start or a revocation to each assignment).
 */
export async function consumerPerf(job: ConsumerPerfJob): Promise<ConsumerPerfSummary> {
  if (!job.hideHeader) {
    job.print(
      job.showDetailedStats
        ? `time, threadId, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec${FIELDS}`
        : `start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec${FIELDS}`,
    );
  }
  const connection = consumerConnection(job.connect, 'kts consumer-perf-test');
  const startMs = Date.now();
  let joinStartMs = startMs;
  let joinTimeMs = 0;
  let joinTimeInRound = 0;
  const consumer = await openConsumer(connection, () =>
    GroupConsumer.open({ ...job.fetch, ...connection, group: { ...job.groupSettings, groupId: job.group, autoCommit: job.autoCommit } }),
  );
  let messagesRead = 0;
  let bytesRead = 0;
  let endMs: number;
  try {
    consumer.subscribe(
      { topics: [job.topic] },
      () => {
        const elapsed = Date.now() - joinStartMs;
        joinTimeMs += elapsed;
        joinTimeInRound += elapsed;
      },
      () => {
        joinStartMs = Date.now();
      },
    );
    const poller = new Poller(() => consumer.next());
    let now = Date.now();
    let lastReportMs = now;
    let lastConsumedMs = now;
    let lastBytes = 0;
    let lastMessages = 0;
    while (messagesRead < job.messages && now - lastConsumedMs <= job.timeoutMs) {
      const fetched = await poller.poll(POLL_MS);
      now = Date.now();
      if (fetched === null) break;
      if (fetched === TIMED_OUT) continue;
      const before = messagesRead;
      consumer.read(fetched, (record) => {
        if (messagesRead >= job.messages) return false;
        messagesRead++;
        const key = record.key;
        const value = record.value;
        bytesRead += (key === null ? 0 : key.length) + (value === null ? 0 : value.length);
        if (now - lastReportMs >= job.reportingIntervalMs) {
          if (job.showDetailedStats) {
            job.print(progressLine(job, bytesRead, lastBytes, messagesRead, lastMessages, lastReportMs, now, joinTimeInRound));
          }
          joinTimeInRound = 0;
          lastReportMs = now;
          lastMessages = messagesRead;
          lastBytes = bytesRead;
        }
        return true;
      });
      if (messagesRead > before) {
        lastConsumedMs = now;
        job.progress?.(messagesRead);
      }
    }
    if (messagesRead < job.messages) {
      job.print(
        `WARNING: Exiting before consuming the expected number of messages: timeout (${job.timeoutMs} ms) exceeded. ` +
          'You can use the --timeout option to increase the timeout.',
      );
    }
    endMs = Date.now();
  } catch (err) {
    if (err instanceof ConsumerError) throw new KtsError(`Error: ${err.message}`);
    throw err;
  } finally {
    await consumer.close();
  }
  const elapsedSec = (endMs - startMs) / 1000;
  const fetchTimeMs = endMs - startMs - joinTimeMs;
  const consumedMb = bytesRead / MB;
  const summary: ConsumerPerfSummary = {
    startTime: job.formatDate(startMs),
    endTime: job.formatDate(endMs),
    consumedMb,
    mbPerSec: consumedMb / elapsedSec,
    consumedMessages: messagesRead,
    messagesPerSec: messagesRead / elapsedSec,
    rebalanceTimeMs: joinTimeMs,
    fetchTimeMs,
    fetchMbPerSec: consumedMb / (fetchTimeMs / 1000),
    fetchMessagesPerSec: messagesRead / (fetchTimeMs / 1000),
    timedOut: messagesRead < job.messages,
  };
  if (!job.showDetailedStats) job.print(totalLine(summary));
  return summary;
}

export function totalLine(s: ConsumerPerfSummary): string {
  return [
    s.startTime,
    s.endTime,
    javaFixed(s.consumedMb, 4),
    javaFixed(s.mbPerSec, 4),
    s.consumedMessages,
    javaFixed(s.messagesPerSec, 4),
    s.rebalanceTimeMs,
    s.fetchTimeMs,
    javaFixed(s.fetchMbPerSec, 4),
    javaFixed(s.fetchMessagesPerSec, 4),
  ].join(', ');
}

/** printConsumerProgress: the interval's rates, thread id 0 (the tool has one consumer). */
function progressLine(
  job: ConsumerPerfJob,
  bytesRead: number,
  lastBytesRead: number,
  messagesRead: number,
  lastMessagesRead: number,
  startMs: number,
  endMs: number,
  joinTimeInRound: number,
): string {
  const elapsedMs = endMs - startMs;
  const intervalMb = (bytesRead - lastBytesRead) / MB;
  const basic = [
    job.formatDate(endMs),
    0,
    javaFixed(bytesRead / MB, 4),
    javaFixed((1000 * intervalMb) / elapsedMs, 4),
    messagesRead,
    javaFixed(((messagesRead - lastMessagesRead) / elapsedMs) * 1000, 4),
  ];
  const fetchTimeMs = elapsedMs - joinTimeInRound;
  const extended = [
    joinTimeInRound,
    fetchTimeMs,
    javaFixed(fetchTimeMs <= 0 ? 0 : (1000 * intervalMb) / fetchTimeMs, 4),
    javaFixed(fetchTimeMs <= 0 ? 0 : (1000 * (messagesRead - lastMessagesRead)) / fetchTimeMs, 4),
  ];
  return [...basic, ...extended].join(', ');
}
