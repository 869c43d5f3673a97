import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { PYTHON } from './requirements.js';

const SCRIPT = fileURLToPath(new URL('./librdkafka_mock_cluster.py', import.meta.url));

export interface MockCluster {
  bootstrap: string;
  stop(): Promise<void>;
}

/**
 * librdkafka's mock cluster in a Python process (needs('confluent-kafka')): a broker with
 * transactions (FindCoordinator for transactional ids, InitProducerId, AddPartitionsToTxn, EndTxn)
 * that kts's broker does not have yet.
 */
export async function startMockCluster(): Promise<MockCluster> {
  const child = spawn(PYTHON, [SCRIPT], { stdio: ['pipe', 'pipe', 'inherit'] });
  const bootstrap = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the mock cluster did not start within 10 s')), 10_000);
    child.stdout.once('data', (d: Buffer) => {
      clearTimeout(timer);
      resolve(d.toString().trim());
    });
    child.once('exit', (code) => reject(new Error(`the mock cluster exited with ${code}`)));
  });
  return {
    bootstrap,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        child.once('exit', () => (clearTimeout(timer), resolve()));
        child.stdin.end();
      }),
  };
}
