import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { runText } from './process.js';
import { PYTHON } from './requirements.js';
import { waitUntil } from './wait.js';

const SCRIPT = fileURLToPath(new URL('../integration/broker/clients/eos_copier.py', import.meta.url));

/** Writes v-0..v-<count-1> round-robin over the topic's partitions (confluent-kafka, idempotent). */
export async function seed(bootstrap: string, topic: string, count: number): Promise<void> {
  const r = await runText(PYTHON, [SCRIPT, 'seed', bootstrap, topic, String(count)], { timeoutMs: 90_000 });
  if (r.code !== 0) throw new Error(`seeding ${topic} failed: ${r.stderr}`);
}

/** A running consume-transform-produce copier (confluent-kafka), its output kept. */
export class Copier {
  readonly #child: ChildProcess;
  #output = '';
  readonly exited: Promise<number | null>;

  constructor(
    bootstrap: string,
    args: { source: string; sink: string; group: string; transactionalId: string; count: number; abortEvery: number },
  ) {
    this.#child = spawn(
      PYTHON,
      [SCRIPT, 'copy', bootstrap, args.source, args.sink, args.group, args.transactionalId, String(args.count), String(args.abortEvery)],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const collect = (d: Buffer) => {
      this.#output += d.toString();
    };
    this.#child.stdout!.on('data', collect);
    this.#child.stderr!.on('data', collect);
    this.exited = new Promise((resolve) => this.#child.on('close', (code) => resolve(code)));
  }

  get output(): string {
    return this.#output;
  }

  /** The records its committed offsets cover, as it last reported. */
  get committed(): number {
    const all = [...this.#output.matchAll(/^committed (\d+)$/gm)];
    return all.length > 0 ? Number(all.at(-1)![1]) : 0;
  }

  async waitForCommitted(records: number, timeoutMs = 90_000): Promise<void> {
    await waitUntil(
      () => {
        if (this.#child.exitCode !== null) {
          throw new Error(`the copier exited (${this.#child.exitCode}) before committing ${records} records:\n${this.#output}`);
        }
        return this.committed >= records;
      },
      () => `the copier to commit ${records} records:\n${this.#output}`,
      timeoutMs,
    );
  }

  /** Like waitForCommitted, but the copier exiting also ends the wait. */
  async waitForCommittedOrExit(records: number, timeoutMs = 120_000): Promise<void> {
    await waitUntil(
      () => this.committed >= records || this.#child.exitCode !== null,
      () => `the copier to commit ${records} records:\n${this.#output}`,
      timeoutMs,
    );
  }

  async waitForDone(timeoutMs = 150_000): Promise<void> {
    await waitUntil(
      () => /^done$/m.test(this.#output),
      () => `the copier to finish:\n${this.#output}`,
      timeoutMs,
    );
    await this.exited;
  }

  kill9(): void {
    this.#child.kill('SIGKILL');
  }
}

/** read_committed, every partition: the values as a list. */
export async function readCommitted(bootstrap: string, topic: string, count: number): Promise<string[]> {
  const r = await runText(PYTHON, [SCRIPT, 'read', bootstrap, topic, String(count)], { timeoutMs: 90_000 });
  if (r.code !== 0) throw new Error(`reading ${topic} failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as string[];
}

/** read_uncommitted, every partition: aborted records included. */
export async function readUncommitted(bootstrap: string, topic: string, count: number): Promise<string[]> {
  const r = await runText(PYTHON, [SCRIPT, 'read', bootstrap, topic, String(count), 'read_uncommitted'], { timeoutMs: 90_000 });
  if (r.code !== 0) throw new Error(`reading ${topic} failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as string[];
}

/** Exactly once: every seeded value copied, none twice, nothing else. */
export function expectExactlyOnce(copied: readonly string[], count: number, copiers: readonly Copier[] = []): void {
  const expected = Array.from({ length: count }, (_, i) => `v-${i}-copied`).sort();
  const duplicates = copied.filter((v, i) => copied.indexOf(v) !== i);
  const outputs = copiers.map((c, i) => `copier ${i + 1}:\n${c.output.replace(/^%.*\n/gm, '')}`).join('\n');
  expect(duplicates, `values copied twice\n${outputs}`).toEqual([]);
  expect([...copied].sort()).toEqual(expected);
}
