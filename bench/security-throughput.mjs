// The cost of TLS and SASL on the embedded broker: one `kts server-start` with a PLAINTEXT, an
// SSL, a SASL_PLAINTEXT (SCRAM-SHA-256) and a SASL_SSL (PLAIN) listener; kcat produces COUNT x SIZE
// messages (acks=1) to a fresh topic through each, then consumes them: a warm-up round, then REPEAT
// rounds, the listeners' order rotated each round so that none always goes first.
// Prints MB/s per listener and the ratio to PLAINTEXT measured in the same round.
// Needs kcat and openssl. Env: COUNT (default 400000), SIZE (default 100), REPEAT (default 4).
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stopChild } from './lib/mock-cluster.mjs';
import { accepts, freePort } from './lib/ports.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const COUNT = Number(process.env.COUNT ?? 400_000);
const SIZE = Number(process.env.SIZE ?? 100);
const REPEAT = Number(process.env.REPEAT ?? 4);
const dir = mkdtempSync(join(tmpdir(), 'kts-bench-security-'));
const openssl = (...args) => execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });

openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=bench-ca');
openssl('req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'broker.key', '-subj', '/CN=localhost', '-out', 'broker.csr');
writeFileSync(join(dir, 'san.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
openssl(
  'x509',
  '-req',
  '-in',
  'broker.csr',
  '-CA',
  'ca.pem',
  '-CAkey',
  'ca.key',
  '-CAcreateserial',
  '-days',
  '2',
  '-out',
  'broker.pem',
  '-extfile',
  'san.ext',
);
writeFileSync(join(dir, 'keystore.pem'), readFileSync(join(dir, 'broker.pem'), 'utf8') + readFileSync(join(dir, 'broker.key'), 'utf8'));
writeFileSync(join(dir, 'messages.txt'), `${'x'.repeat(SIZE)}\n`.repeat(COUNT));

const ports = { PLAINTEXT: await freePort(), SSL: await freePort(), SASL_PLAINTEXT: await freePort(), SASL_SSL: await freePort() };
const password = 'bench-secret';
const plain = `org.apache.kafka.common.security.plain.PlainLoginModule required user_bench="${password}";`;
const overrides = {
  listeners: Object.entries(ports)
    .map(([name, port]) => `${name}://127.0.0.1:${port}`)
    .join(','),
  'log.dirs': join(dir, 'logs'),
  'num.partitions': '1',
  'sasl.enabled.mechanisms': 'PLAIN,SCRAM-SHA-256',
  'listener.name.sasl_plaintext.plain.sasl.jaas.config': plain,
  'listener.name.sasl_ssl.plain.sasl.jaas.config': plain,
  'ssl.keystore.type': 'PEM',
  'ssl.keystore.location': join(dir, 'keystore.pem'),
};
const broker = spawn(
  join(root, 'bin/kts'),
  ['server-start', ...Object.entries(overrides).flatMap(([k, v]) => ['--override', `${k}=${v}`])],
  { stdio: ['ignore', 'ignore', 'inherit'] },
);
for (const port of Object.values(ports)) {
  const deadline = Date.now() + 15_000;
  while (!(await accepts(port))) {
    if (Date.now() > deadline) throw new Error(`broker not listening on ${port}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const kts = (...args) => execFileSync(join(root, 'bin/kts'), args, { stdio: ['ignore', 'ignore', 'inherit'] });
writeFileSync(
  join(dir, 'admin.properties'),
  `security.protocol=SASL_PLAINTEXT\nsasl.mechanism=PLAIN\nsasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="bench" password="${password}";\n`,
);
kts(
  'configs',
  '--bootstrap-server',
  `127.0.0.1:${ports.SASL_PLAINTEXT}`,
  '--command-config',
  join(dir, 'admin.properties'),
  '--alter',
  '--user',
  'bench',
  '--add-config',
  `SCRAM-SHA-256=[password=${password}]`,
);

const security = {
  PLAINTEXT: [],
  SSL: ['-X', 'security.protocol=SSL', '-X', `ssl.ca.location=${join(dir, 'ca.pem')}`],
  SASL_PLAINTEXT: [
    '-X',
    'security.protocol=SASL_PLAINTEXT',
    '-X',
    'sasl.mechanisms=SCRAM-SHA-256',
    '-X',
    'sasl.username=bench',
    '-X',
    `sasl.password=${password}`,
  ],
  SASL_SSL: [
    '-X',
    'security.protocol=SASL_SSL',
    '-X',
    'sasl.mechanisms=PLAIN',
    '-X',
    'sasl.username=bench',
    '-X',
    `sasl.password=${password}`,
    '-X',
    `ssl.ca.location=${join(dir, 'ca.pem')}`,
  ],
};

function timed(args) {
  const start = process.hrtime.bigint();
  const r = spawnSync('kcat', args, { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`kcat ${args.join(' ')} failed: ${r.stderr}`);
  return Number(process.hrtime.bigint() - start) / 1e9;
}

const mb = (COUNT * SIZE) / 1e6;
const results = Object.fromEntries(Object.keys(ports).map((l) => [l, { produce: [], consume: [] }]));
try {
  const listeners = Object.entries(ports);
  for (let round = 0; round <= REPEAT; round++) {
    for (let i = 0; i < listeners.length; i++) {
      const [listener, port] = listeners[(i + round) % listeners.length];
      const topic = `bench-${listener.toLowerCase()}-${round}`;
      const base = ['-b', `127.0.0.1:${port}`, ...security[listener], '-t', topic];
      const produced = mb / timed([...base, '-P', '-p', '0', '-X', 'acks=1', '-l', join(dir, 'messages.txt')]);
      const consumed = mb / timed([...base, '-C', '-p', '0', '-o', 'beginning', '-e', '-q', '-c', String(COUNT)]);
      // Round 0 warms the broker up (JIT, page cache) and is not counted.
      if (round === 0) continue;
      results[listener].produce.push(produced);
      results[listener].consume.push(consumed);
    }
  }
} finally {
  await stopChild(broker);
  rmSync(dir, { recursive: true, force: true });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`${COUNT} x ${SIZE} B, ${REPEAT} rounds after a warm-up, medians (MB/s; ratio to PLAINTEXT)`);
for (const [listener, r] of Object.entries(results)) {
  const p = median(r.produce);
  const c = median(r.consume);
  const pr = p / median(results.PLAINTEXT.produce);
  const cr = c / median(results.PLAINTEXT.consume);
  const range = (xs) => `${Math.min(...xs).toFixed(1)}-${Math.max(...xs).toFixed(1)}`;
  console.log(
    `${listener.padEnd(15)} produce ${p.toFixed(1).padStart(6)} (${pr.toFixed(2)}; ${range(r.produce)})   consume ${c.toFixed(1).padStart(6)} (${cr.toFixed(2)}; ${range(r.consume)})`,
  );
}
