import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { KTS_BIN } from '../../helpers/kts.js';

/** One JoinGroup/SyncGroup round as `kts console-consumer --verbose` reports it. */
export interface Join {
  generation: number;
  memberId: string;
  leader: boolean;
  /** `topic-partition` names, in the order assigned. */
  partitions: string[];
}

const JOINED = /joined group '[^']*' in generation (\d+) as (\S+)( \(leader\))?, assigned: (.*)$/;

/** A long-running process (a group member) whose stdout lines and stderr are collected as they come. */
export class RunningProcess {
  readonly lines: string[] = [];
  stderr = '';
  readonly exit: Promise<number | null>;
  #exited = false;

  constructor(
    readonly name: string,
    private readonly child: ChildProcessWithoutNullStreams,
  ) {
    let partial = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      const parts = (partial + chunk).split('\n');
      partial = parts.pop()!;
      this.lines.push(...parts);
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (this.stderr += chunk));
    this.exit = new Promise((resolve) => child.on('close', (code) => resolve(code)));
    void this.exit.then(() => (this.#exited = true));
  }

  /** `kts console-consumer --verbose` with `args`, against `bootstrap`. */
  static consoleConsumer(name: string, bootstrap: string, args: string[]): RunningProcess {
    const argv = ['console-consumer', '--bootstrap-server', bootstrap, '--verbose', ...args];
    return new RunningProcess(name, spawn(KTS_BIN, argv, { env: { ...process.env, NO_COLOR: '1' } }));
  }

  static kcat(name: string, bootstrap: string, args: string[]): RunningProcess {
    return new RunningProcess(name, spawn('kcat', ['-b', bootstrap, ...args]));
  }

  /** Stops reading the process's stdout: once the pipe is full, its writes wait. */
  pauseOutput(): void {
    this.child.stdout.pause();
  }

  resumeOutput(): void {
    this.child.stdout.resume();
  }

  get exited(): boolean {
    return this.#exited;
  }

  /** Every join the member reported, oldest first. */
  get joins(): Join[] {
    return this.stderr.split('\n').flatMap((line) => {
      const m = JOINED.exec(line);
      if (m === null) return [];
      return [
        { generation: Number(m[1]), memberId: m[2]!, leader: m[3] !== undefined, partitions: m[4] === 'nothing' ? [] : m[4]!.split(', ') },
      ];
    });
  }

  /** The partitions of the latest join, once positions were found and reading began (`starting at`). */
  get assignment(): string[] | undefined {
    const lines = this.stderr.split('\n');
    const last = lines.findLastIndex((l) => JOINED.test(l));
    if (last < 0) return undefined;
    const started = lines[last]!.endsWith('assigned: nothing') || lines.slice(last + 1).some((l) => l.includes('starting at '));
    return started ? this.joins.at(-1)!.partitions : undefined;
  }

  /** Sends `signal` and resolves with the exit code; SIGKILL after `timeoutMs`. */
  async stop(signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 15_000): Promise<number | null> {
    if (!this.#exited) this.child.kill(signal);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    try {
      return await this.exit;
    } finally {
      clearTimeout(timer);
    }
  }

  describe(): string {
    return `${this.name}: ${this.lines.length} lines, joins ${JSON.stringify(this.joins)}${this.exited ? ' (exited)' : ''}; stderr: ${this.stderr.slice(-400)}`;
  }
}
