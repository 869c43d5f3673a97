import { describe, expect, it } from 'vitest';
import { ControllerEventQueue } from '../../../../src/broker/controller/controller-event-queue.js';

const tick = () => new Promise((r) => setTimeout(r, 1));

describe('ControllerEventQueue (Kafka’s ControllerEventManager)', () => {
  it('runs events one at a time, in order, even when they wait', async () => {
    const logs: string[] = [];
    const queue = new ControllerEventQueue(() => undefined);
    let running = 0;
    const event = (name: string) => ({
      name,
      process: async () => {
        running++;
        expect(running).toBe(1);
        await tick();
        logs.push(name);
        running--;
      },
    });
    for (const name of ['a', 'b', 'c']) queue.put(event(name));
    await queue.idle();
    expect(logs).toEqual(['a', 'b', 'c']);
  });

  it('logs a failing event in one line and goes on', async () => {
    const logs: string[] = [];
    const queue = new ControllerEventQueue((level, message) => logs.push(`${level} ${message}`));
    let after = false;
    queue.put({ name: 'Broken', process: () => Promise.reject(new Error('boom')) });
    queue.put({ name: 'Next', process: async () => void (after = true) });
    await queue.idle();
    expect(logs).toEqual(['error Controller event Broken failed: boom']);
    expect(after).toBe(true);
  });

  it('clearAndPut drops what is queued (preempting it) and resolves once its event ran', async () => {
    const queue = new ControllerEventQueue(() => undefined);
    const seen: string[] = [];
    let release!: () => void;
    queue.put({ name: 'Running', process: () => new Promise<void>((r) => (release = r)).then(() => void seen.push('running')) });
    queue.put({ name: 'Queued', process: async () => void seen.push('queued'), preempt: () => seen.push('preempted') });
    await tick();
    const expired = queue.clearAndPut({ name: 'Expire', process: async () => void seen.push('expire') });
    expect(seen).toEqual(['preempted']);
    release();
    await expired;
    expect(seen).toEqual(['preempted', 'running', 'expire']);
  });

  it('once closed, preempts what is queued and what comes, and waits for the running event', async () => {
    const queue = new ControllerEventQueue(() => undefined);
    const seen: string[] = [];
    queue.put({ name: 'Running', process: async () => (await tick(), void seen.push('running')) });
    queue.put({ name: 'Queued', process: async () => void seen.push('queued'), preempt: () => seen.push('preempted') });
    await queue.close();
    queue.put({ name: 'Late', process: async () => void seen.push('late'), preempt: () => seen.push('late preempted') });
    expect(seen).toEqual(['preempted', 'running', 'late preempted']);
  });
});
