// ZooKeeper throughput: create / getData / setData operations per second with 1 and 16 clients
// (node-zookeeper-client, each client one request at a time), against `kts zookeeper-start` and
// Debian's Apache ZooKeeper 3.8 (`zkServer.sh start-foreground`) in the same run. Both servers run
// as separate processes with forceSync on, temp dataDirs, on 127.0.0.1.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import zookeeper from 'node-zookeeper-client';
import { freePort } from './lib/ports.mjs';

const KTS = fileURLToPath(new URL('../bin/kts', import.meta.url));
const ZK_SERVER = '/usr/share/zookeeper/bin/zkServer.sh';
const OPS = Number(process.env.OPS ?? 4000);

function ruok(port) {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port }, () => s.write('ruok'));
    let out = '';
    s.on('data', (d) => (out += d));
    s.on('end', () => resolve(out === 'imok'));
    s.on('error', () => resolve(false));
  });
}

async function startServer(kind) {
  const dir = mkdtempSync(join(tmpdir(), `kts-zk-bench-${kind}-`));
  const port = await freePort();
  const cfg = join(dir, 'zoo.cfg');
  writeFileSync(
    cfg,
    `tickTime=2000\ndataDir=${join(dir, 'data')}\nclientPort=${port}\nclientPortAddress=127.0.0.1\nmaxClientCnxns=0\nadmin.enableServer=false\n4lw.commands.whitelist=*\n`,
  );
  const child =
    kind === 'kts'
      ? spawn(process.execPath, [KTS, 'zookeeper-start', cfg], { stdio: 'ignore', env: { ...process.env, KTS_RUN_DIR: join(dir, 'run') } })
      : spawn(ZK_SERVER, ['start-foreground', cfg], {
          stdio: 'ignore',
          detached: true,
          env: { ...process.env, ZOOCFGDIR: dir, ZOO_LOG_DIR: dir, JMXDISABLE: 'true' },
        });
  const deadline = Date.now() + 60_000;
  while (!(await ruok(port))) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`${kind} did not start`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    port,
    async stop() {
      if (kind === 'kts') child.kill('SIGTERM');
      else process.kill(-child.pid, 'SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function client(port) {
  return new Promise((resolve, reject) => {
    const c = zookeeper.createClient(`127.0.0.1:${port}`, { sessionTimeout: 30000 });
    const t = setTimeout(() => reject(new Error('connect timeout')), 10000);
    c.once('connected', () => {
      clearTimeout(t);
      resolve(c);
    });
    c.connect();
  });
}

const call = (fn) => new Promise((res, rej) => fn((err, v) => (err ? rej(err) : res(v))));

async function measure(_port, clients, op) {
  const perClient = Math.ceil(OPS / clients.length);
  const t0 = process.hrtime.bigint();
  await Promise.all(
    clients.map(async (c, ci) => {
      for (let i = 0; i < perClient; i++) {
        const path = `/bench/c${ci}-${i}`;
        if (op === 'create') await call((cb) => c.create(path, Buffer.from('x'.repeat(100)), cb));
        else if (op === 'getData') await call((cb) => c.getData(path, cb));
        else await call((cb) => c.setData(path, Buffer.from('y'.repeat(100)), -1, cb));
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  return (perClient * clients.length) / seconds;
}

async function benchServer(kind) {
  const server = await startServer(kind);
  const results = {};
  try {
    for (const n of [1, 16]) {
      const clients = await Promise.all(Array.from({ length: n }, () => client(server.port)));
      await call((cb) => clients[0].create('/bench', cb)).catch(() => undefined);
      for (const op of ['create', 'getData', 'setData']) results[`${op} x${n}`] = await measure(server.port, clients, op);
      await call((cb) => clients[0].removeRecursive('/bench', cb));
      for (const c of clients) c.close();
    }
  } finally {
    await server.stop();
  }
  return results;
}

const kinds = existsSync(ZK_SERVER) ? ['kts', 'apache'] : ['kts'];
const all = {};
for (const kind of kinds) all[kind] = await benchServer(kind);
console.log(`# ZooKeeper ops/s, ${OPS} ops per case, forceSync=yes`);
console.log(`${'case'.padEnd(14)} ${kinds.map((k) => k.padStart(10)).join(' ')}`);
for (const key of Object.keys(all.kts)) {
  console.log(`${key.padEnd(14)} ${kinds.map((k) => all[k][key].toFixed(0).padStart(10)).join(' ')}`);
  for (const k of kinds) console.log(`RESULT bench=zookeeper server=${k} case=${JSON.stringify(key)} ops_per_s=${all[k][key].toFixed(0)}`);
}
