import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { PYTHON } from '../../helpers/requirements.js';

const clientPath = (name: string) => fileURLToPath(new URL(`./clients/${name}`, import.meta.url));

export interface MemberEvent {
  event: string;
  partitions?: number[];
  partition?: number;
  offset?: number | string;
  value?: string;
  error?: string;
}

/** A group member running as its own process, reporting JSON lines on stdout. */
export class MemberProcess {
  readonly events: MemberEvent[] = [];
  stderr = '';
  #exited = false;
  readonly #exit: Promise<void>;

  private constructor(
    readonly name: string,
    private readonly child: ChildProcessWithoutNullStreams,
  ) {
    let buffered = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) if (line.trim()) this.events.push(JSON.parse(line) as MemberEvent);
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (this.stderr += chunk));
    this.#exit = new Promise((resolve) => child.on('exit', () => resolve()));
    void this.#exit.then(() => (this.#exited = true));
  }

  static confluent(name: string, args: string[]): MemberProcess {
    return new MemberProcess(name, spawn(PYTHON, [clientPath('confluent_member.py'), ...args]));
  }

  static kafkajs(name: string, args: string[]): MemberProcess {
    return new MemberProcess(name, spawn(process.execPath, [clientPath('kafkajs_member.mjs'), ...args]));
  }

  get exited(): boolean {
    return this.#exited;
  }

  /** The partitions it last reported owning; undefined before its first assignment. */
  get assignment(): number[] | undefined {
    return this.events.filter((e) => e.event === 'assignment').at(-1)?.partitions;
  }

  messages(): MemberEvent[] {
    return this.events.filter((e) => e.event === 'message');
  }

  /** SIGTERM: the client closes cleanly (LeaveGroup). Resolves when it has exited. */
  async close(timeoutMs = 15_000): Promise<void> {
    if (this.#exited) return;
    this.child.kill('SIGTERM');
    await Promise.race([this.#exit, new Promise((r) => setTimeout(r, timeoutMs))]);
    if (!this.#exited) this.crash();
    await this.#exit;
  }

  /** SIGKILL: no LeaveGroup, the coordinator has to notice the missing heartbeats. */
  crash(): void {
    if (!this.#exited) this.child.kill('SIGKILL');
  }
}

/** Every partition owned by exactly one of the members, by their latest reports. */
export function coversExactlyOnce(members: readonly MemberProcess[], partitions: number): boolean {
  const owned = members.flatMap((m) => m.assignment ?? []);
  return owned.length === partitions && new Set(owned).size === partitions && owned.every((p) => p >= 0 && p < partitions);
}

export function describeAssignments(members: readonly MemberProcess[]): string {
  return members
    .map(
      (m) => `${m.name}: ${JSON.stringify(m.assignment)}${m.exited ? ' (exited)' : ''}${m.stderr ? ` stderr=${m.stderr.slice(-300)}` : ''}`,
    )
    .join('; ');
}
