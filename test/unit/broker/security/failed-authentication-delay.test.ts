import { describe, expect, it } from 'vitest';
import { FailedAuthenticationDelay } from '../../../../src/broker/security/failed-authentication-delay.js';

describe('FailedAuthenticationDelay', () => {
  it("runs one address's checks one at a time, in arrival order, each failure holding the turn", async () => {
    const delay = new FailedAuthenticationDelay(20);
    const started = new Map<string, number>();
    const check = (name: string, ok: boolean) => () => {
      started.set(name, performance.now());
      return ok;
    };
    const failed = (ok: boolean) => !ok;
    const ended = new Map<string, number>();
    const run = (address: string, name: string, ok: boolean) =>
      delay.inTurn(address, check(name, ok), failed).then(() => ended.set(name, performance.now()));
    await Promise.all([run('10.0.0.1', 'a', false), run('10.0.0.1', 'b', true), run('10.0.0.2', 'c', true)]);
    // b waited for a's check and its hold; c, from another address, waited for nothing.
    expect(started.get('b')! - started.get('a')!).toBeGreaterThanOrEqual(19);
    expect(ended.get('c')!).toBeLessThan(ended.get('a')!);
  });

  it('forgets an address once its last check has ended', async () => {
    const delay = new FailedAuthenticationDelay(5);
    const checks = Array.from({ length: 50 }, (_, i) =>
      delay.inTurn(
        `10.0.${i % 5}.1`,
        () => i % 2 === 0,
        (ok) => !ok,
      ),
    );
    expect(delay.addresses).toBe(5);
    await Promise.all(checks);
    expect(delay.addresses).toBe(0);
  });
});
