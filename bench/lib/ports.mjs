// Loopback ports for the benchmarks. Lives below bench/lib/ so that `npm run bench` does not run it.
import { connect, createServer } from 'node:net';

/** A port nothing listens on right now (127.0.0.1). */
export function freePort() {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Whether 127.0.0.1:`port` accepts a TCP connection now. */
export function accepts(port) {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}
