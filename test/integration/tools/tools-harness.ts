import type { StartedBroker } from '../../../src/broker/index.js';
import { KTS_BIN, runKts, type RunResult } from '../../helpers/kts.js';
import { runProcess, type ProcessResult } from '../broker/helpers.js';

export type Tools = ReturnType<typeof toolsAgainst>;

/** The tools as a user runs them, against `broker`; the broker runs in the test process, so every run is asynchronous. */
export function toolsAgainst(broker: StartedBroker) {
  const server = ['--bootstrap-server', broker.bootstrapServers];
  return {
    kts: (args: string[], input?: string | Buffer): Promise<RunResult> => runKts([...args, ...server], { input, timeoutMs: 30_000 }),
    /** For byte-exact output: stdout as a Buffer. */
    ktsRaw: (args: string[], input?: string | Buffer): Promise<ProcessResult> =>
      runProcess(KTS_BIN, [...args, ...server], { input, timeoutMs: 30_000 }),
    /** Everything in a topic, then exit. */
    consume: (topic: string, ...extra: string[]): Promise<RunResult> =>
      runKts(['console-consumer', '--topic', topic, '--from-beginning', '--exit-at-end', ...extra, ...server], { timeoutMs: 30_000 }),
    kcat: (args: string[], input?: string | Buffer): Promise<ProcessResult> =>
      runProcess('kcat', ['-b', broker.bootstrapServers, ...args], { input, timeoutMs: 20_000 }),
  };
}
