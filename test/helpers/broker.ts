import { onTestFinished } from 'vitest';
import { startBroker, type StartBrokerOptions, type StartedBroker } from '../../src/broker/index.js';

/**
 * A broker for the running test: port 0 and a fresh temp log dir (unless `logDir` is given),
 * stopped when the test ends, passed or failed. A test may stop it earlier (a restart); stopping
 * twice is harmless. For one broker shared by a suite, `startBroker` in beforeAll and `stop` in afterAll.
 */
export async function brokerForTest(options?: StartBrokerOptions): Promise<StartedBroker> {
  const broker = await startBroker(options);
  onTestFinished(() => broker.stop());
  return broker;
}
