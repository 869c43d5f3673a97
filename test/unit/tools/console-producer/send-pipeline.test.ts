import type { Message } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { SendPipeline, type PipelineOptions } from '../../../../src/tools/console-producer/send-pipeline.js';

const options = (o: Partial<PipelineOptions> = {}): PipelineOptions => ({
  batchBytes: 100,
  batchRecords: 1000,
  lingerMs: 60_000,
  maxInFlight: 1,
  bufferMemory: 10_000,
  sync: false,
  ...o,
});

/** A send that completes when the test says so, recording what it was given. */
function controlledSend() {
  const calls: Array<{ values: unknown[]; settle: (err?: Error) => void }> = [];
  const send = (messages: Message[]) =>
    new Promise<void>((resolve, reject) => {
      calls.push({ values: messages.map((m) => m.value), settle: (err) => (err ? reject(err) : resolve()) });
    });
  return { calls, send };
}

const flushMicrotasks = () => new Promise((r) => setImmediate(r));

describe('SendPipeline', () => {
  it('sends when a batch reaches its byte or record limit, and the rest on close', async () => {
    const { calls, send } = controlledSend();
    const p = new SendPipeline(send, options({ batchBytes: 30, batchRecords: 3, maxInFlight: 5 }));
    p.add({ value: 'a' }, 10);
    p.add({ value: 'b' }, 10);
    expect(calls).toHaveLength(0);
    p.add({ value: 'c' }, 10);
    p.add({ value: 'd' }, 1);
    p.add({ value: 'e' }, 1);
    p.add({ value: 'f' }, 1);
    p.add({ value: 'g' }, 1);
    expect(calls.map((c) => c.values)).toEqual([['a', 'b', 'c'], ['d', 'e', 'f']]);
    const closed = p.close();
    await flushMicrotasks();
    expect(calls.map((c) => c.values)).toEqual([['a', 'b', 'c'], ['d', 'e', 'f'], ['g']]);
    for (const c of calls) c.settle();
    expect(await closed).toEqual({ acknowledged: 7, failed: 0 });
  });

  it('keeps at most maxInFlight sends running and asks the reader to wait when batches queue up', async () => {
    const { calls, send } = controlledSend();
    const p = new SendPipeline(send, options({ batchBytes: 1, maxInFlight: 1 }));
    p.add({ value: '1' }, 1);
    p.add({ value: '2' }, 1);
    expect(p.needsRoom).toBe(false);
    p.add({ value: '3' }, 1);
    expect(calls).toHaveLength(1);
    expect(p.needsRoom).toBe(true);
    let roomy = false;
    const waiting = p.waitForRoom().then(() => (roomy = true));
    await flushMicrotasks();
    expect(roomy).toBe(false);
    calls[0]!.settle();
    await waiting;
    expect(calls).toHaveLength(2);
    calls[1]!.settle();
    await flushMicrotasks();
    calls[2]!.settle();
    expect(await p.close()).toEqual({ acknowledged: 3, failed: 0 });
  });

  it('counts failed records and keeps the first error', async () => {
    const { calls, send } = controlledSend();
    const p = new SendPipeline(send, options({ batchBytes: 1, maxInFlight: 2 }));
    p.add({ value: '1' }, 1);
    p.add({ value: '2' }, 1);
    calls[0]!.settle(new Error('first'));
    calls[1]!.settle(new Error('second'));
    const outcome = await p.close();
    expect(outcome.acknowledged).toBe(0);
    expect(outcome.failed).toBe(2);
    expect((outcome.firstError as Error).message).toBe('first');
  });

  it('sends a partly filled batch after the linger time', async () => {
    const { calls, send } = controlledSend();
    const p = new SendPipeline(send, options({ lingerMs: 5 }));
    p.add({ value: 'x' }, 1);
    expect(calls).toHaveLength(0);
    await new Promise((r) => setTimeout(r, 50));
    expect(calls).toHaveLength(1);
    calls[0]!.settle();
    expect(await p.close()).toEqual({ acknowledged: 1, failed: 0 });
  });

  it('sync mode: one record per send, the reader waits for each acknowledgement', async () => {
    const { calls, send } = controlledSend();
    const p = new SendPipeline(send, options({ sync: true }));
    p.add({ value: 'x' }, 1);
    expect(calls).toHaveLength(1);
    expect(p.needsRoom).toBe(true);
    calls[0]!.settle();
    await p.waitForRoom();
    expect(p.needsRoom).toBe(false);
    expect(await p.close()).toEqual({ acknowledged: 1, failed: 0 });
  });

  it('does not wait for itself when one batch is bigger than the buffer', async () => {
    const { calls, send } = controlledSend();
    const p = new SendPipeline(send, options({ batchBytes: 1000, bufferMemory: 10 }));
    p.add({ value: 'big' }, 50);
    expect(p.needsRoom).toBe(true);
    const waiting = p.waitForRoom();
    await flushMicrotasks();
    expect(calls).toHaveLength(1);
    calls[0]!.settle();
    await waiting;
    expect(await p.close()).toEqual({ acknowledged: 1, failed: 0 });
  });
});
