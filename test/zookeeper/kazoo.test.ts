import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApacheZooKeeper } from './apache-zookeeper.js';
import { runText } from '../helpers/process.js';
import { needs, PYTHON } from '../helpers/requirements.js';
import { clientScript, tempServer, type TempServer } from './helpers.js';

async function scenario(connectString: string): Promise<Record<string, unknown>> {
  const res = await runText(PYTHON, [clientScript('kazoo_scenario.py'), connectString], { timeoutMs: 30_000 });
  expect(res.code, res.stderr).toBe(0);
  return JSON.parse(res.stdout) as Record<string, unknown>;
}

describe('kazoo (Python, separate process)', needs('kazoo'), () => {
  let zk: TempServer;
  beforeAll(async () => {
    zk = await tempServer();
  });
  afterAll(() => zk?.dispose());

  it('creates, reads, lists, deletes; sequential names; one-shot watches; atomic multi; ephemerals; ACLs', async () => {
    const out = await scenario(zk.connectString);
    expect(out).toMatchObject({
      get: 'v1',
      children: ['child'],
      version_after_set: 1,
      bad_version: true,
      not_empty: true,
      node_exists: true,
      sequential: ['/app/job-0000000001', '/app/job-0000000002', '/app/job-0000000003'],
      data_events: [['CHANGED', '/app/child']],
      child_events: [['CHILD', '/app']],
      multi_failed: ['RolledBackError', 'BadVersionError', 'RuntimeInconsistency'],
      multi_left_nothing: true,
      multi_ok: ['/app/m1', 'ZnodeStat', 'bool'],
      eph_exists: true,
      eph_after_close: false,
      acl_denied: true,
      acl_owner_reads: 's',
    });
  });

  it('answers exactly as Apache ZooKeeper 3.8 does for the same scenario', needs('apache-zookeeper'), async () => {
    const apache = await startApacheZooKeeper();
    try {
      const theirs = await scenario(apache.connectString);
      const fresh = await tempServer();
      try {
        expect(await scenario(fresh.connectString)).toEqual(theirs);
      } finally {
        await fresh.dispose();
      }
    } finally {
      await apache.stop();
    }
  });
});
