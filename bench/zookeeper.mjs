// ZooKeeper throughput, against `kts zookeeper-start` and Debian's Apache ZooKeeper 3.8
// (`zkServer.sh start-foreground`) in the same run; both servers as separate processes with
// forceSync on, temp dataDirs, on 127.0.0.1.
// 1. Servers: create / getData / setData operations per second with 1 and 16 clients
//    (node-zookeeper-client, each client one request at a time).
// 2. Clients: kts's ZooKeeperClient (src/zookeeper/client) beside node-zookeeper-client on the same
//    server, one session each, with 1 and 64 requests in flight.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import zookeeper from 'node-zookeeper-client';
import { ZooKeeperClient } from '../dist/zookeeper/client/zookeeper-client.js';
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
      ? spawn(KTS, ['zookeeper-start', cfg], { stdio: 'ignore', env: { ...process.env, KTS_RUN_DIR: join(dir, 'run') } })
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
const VALUE = Buffer.from('x'.repeat(100));
const NEW_VALUE = Buffer.from('y'.repeat(100));

/** The three operations through node-zookeeper-client's callbacks or kts's promises. */
function nodeZkOps(c) {
  return {
    create: (path) => call((cb) => c.create(path, VALUE, cb)),
    getData: (path) => call((cb) => c.getData(path, cb)),
    setData: (path) => call((cb) => c.setData(path, NEW_VALUE, -1, cb)),
  };
}

function ktsOps(zk) {
  return {
    create: (path) => zk.create(path, VALUE),
    getData: (path) => zk.getData(path),
    setData: (path) => zk.setData(path, NEW_VALUE),
  };
}

/**
 * Ops per second of `op` run by every worker one at a time (so as many in flight as workers), on
 * the nodes `${prefix}/w<k>-<i>` that a create case with `layout` workers (default: as many) made.
 */
async function measure(workers, op, prefix, layout = workers.length) {
  const perWorker = Math.ceil(OPS / workers.length);
  const perNode = Math.ceil(OPS / layout);
  const t0 = process.hrtime.bigint();
  await Promise.all(
    workers.map(async (ops, wi) => {
      for (let i = 0; i < perWorker; i++) {
        const n = wi * perWorker + i;
        await ops[op](`${prefix}/w${Math.floor(n / perNode)}-${n % perNode}`);
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  return (perWorker * workers.length) / seconds;
}

async function benchServer(kind) {
  const server = await startServer(kind);
  const servers = {};
  const clients = {};
  try {
    for (const n of [1, 16]) {
      const nodeClients = await Promise.all(Array.from({ length: n }, () => client(server.port)));
      await call((cb) => nodeClients[0].create('/bench', cb)).catch(() => undefined);
      const workers = nodeClients.map(nodeZkOps);
      for (const op of ['create', 'getData', 'setData']) servers[`${op} x${n}`] = await measure(workers, op, '/bench');
      await call((cb) => nodeClients[0].removeRecursive('/bench', cb));
      for (const c of nodeClients) c.close();
    }
    const nodeClient = await client(server.port);
    const kts = await ZooKeeperClient.connect({ connectString: `127.0.0.1:${server.port}`, sessionTimeoutMs: 30000 });
    const libraries = { kts: ktsOps(kts), 'node-zookeeper-client': nodeZkOps(nodeClient) };
    // One write in flight is fsync-bound whichever the client; with 64 the server batches fsyncs.
    const cases = [
      ['create', 64],
      ['getData', 1],
      ['getData', 64],
      ['setData', 64],
    ];
    for (const [name, ops] of Object.entries(libraries)) {
      const prefix = `/clients-${name}`;
      await kts.create(prefix, null);
      for (const [op, inFlight] of cases) {
        const key = `${op}, ${inFlight} in flight`;
        clients[key] ??= {};
        clients[key][name] = await measure(
          Array.from({ length: inFlight }, () => ops),
          op,
          // Every case reads and writes the nodes the create case made with 64 workers.
          prefix,
          64,
        );
      }
    }
    await kts.close();
    nodeClient.close();
  } finally {
    await server.stop();
  }
  return { servers, clients };
}

const kinds = existsSync(ZK_SERVER) ? ['kts', 'apache'] : ['kts'];
const all = {};
for (const kind of kinds) all[kind] = await benchServer(kind);
console.log(`# ZooKeeper servers, ops/s, node-zookeeper-client, ${OPS} ops per case, forceSync=yes`);
console.log(`${'case'.padEnd(14)} ${kinds.map((k) => k.padStart(10)).join(' ')}`);
for (const key of Object.keys(all.kts.servers)) {
  console.log(`${key.padEnd(14)} ${kinds.map((k) => all[k].servers[key].toFixed(0).padStart(10)).join(' ')}`);
  for (const k of kinds)
    console.log(`RESULT bench=zookeeper server=${k} case=${JSON.stringify(key)} ops_per_s=${all[k].servers[key].toFixed(0)}`);
}
console.log(`\n# ZooKeeper clients, ops/s, one session each, ${OPS} ops per case`);
for (const k of kinds) {
  console.log(`## server: ${k}`);
  console.log(`${'case'.padEnd(26)} ${'kts'.padStart(10)} ${'node-zk'.padStart(10)} ${'kts/node-zk'.padStart(12)}`);
  for (const [key, r] of Object.entries(all[k].clients)) {
    const ratio = r.kts / r['node-zookeeper-client'];
    console.log(
      `${key.padEnd(26)} ${r.kts.toFixed(0).padStart(10)} ${r['node-zookeeper-client'].toFixed(0).padStart(10)} ${ratio.toFixed(2).padStart(12)}`,
    );
    for (const [name, v] of Object.entries(r)) {
      console.log(`RESULT bench=zookeeper-client server=${k} client=${name} case=${JSON.stringify(key)} ops_per_s=${v.toFixed(0)}`);
    }
  }
}
