import { describe, expect, it } from 'vitest';
import { deleteGroupsReport } from '../../../../src/tools/consumer-groups/delete-groups.js';
import { deleteOffsetsSummary } from '../../../../src/tools/consumer-groups/delete-offsets.js';
import {
  assignmentText,
  deleteOffsetsTable,
  formatAge,
  listTable,
  membersTable,
  offsetsTable,
  resetTable,
  stateTable,
} from '../../../../src/tools/consumer-groups/tables.js';

describe('kafka-consumer-groups text layouts, byte for byte', () => {
  it('--describe: widths of at least 15 grow with the longest value, missing values are "-"', () => {
    const text = offsetsTable([
      {
        group: 'billing',
        topic: 'orders',
        partition: 0,
        currentOffset: 13,
        logEndOffset: 14,
        lag: 1,
        consumerId: 'consumer-billing-1-0a1b2c3d',
        host: '/127.0.0.1',
        clientId: 'consumer-billing-1',
      },
      {
        group: 'billing',
        topic: 'orders',
        partition: 1,
        logEndOffset: 7,
        consumerId: 'consumer-billing-1-0a1b2c3d',
        host: '/127.0.0.1',
        clientId: 'consumer-billing-1',
      },
      { group: 'billing', topic: 'payments-eu-west', partition: 2, currentOffset: 5 },
    ]);
    expect(text).toBe(
      '\nGROUP           TOPIC            PARTITION  CURRENT-OFFSET  LOG-END-OFFSET  LAG             CONSUMER-ID                 HOST            CLIENT-ID' +
        '\nbilling         orders           0          13              14              1               consumer-billing-1-0a1b2c3d /127.0.0.1      consumer-billing-1' +
        '\nbilling         orders           1          -               7               -               consumer-billing-1-0a1b2c3d /127.0.0.1      consumer-billing-1' +
        '\nbilling         payments-eu-west 2          5               -               -               -                           -               -' +
        '\n',
    );
  });

  it('--describe with time lag: CLIENT-ID is padded and TIME-LAG follows', () => {
    const text = offsetsTable(
      [
        {
          group: 'g',
          topic: 't',
          partition: 0,
          currentOffset: 1,
          logEndOffset: 3,
          lag: 2,
          consumerId: 'c',
          host: 'h',
          clientId: 'k',
          timeLagMs: 65_000,
        },
        {
          group: 'g',
          topic: 't',
          partition: 1,
          currentOffset: 3,
          logEndOffset: 3,
          lag: 0,
          consumerId: 'c',
          host: 'h',
          clientId: 'k',
          timeLagMs: 0,
        },
        { group: 'g', topic: 't', partition: 2 },
      ],
      true,
    );
    expect(text.split('\n')).toEqual([
      '',
      'GROUP           TOPIC           PARTITION  CURRENT-OFFSET  LOG-END-OFFSET  LAG             CONSUMER-ID     HOST            CLIENT-ID       TIME-LAG',
      'g               t               0          1               3               2               c               h               k               1m05s',
      'g               t               1          3               3               0               c               h               k               0ms',
      'g               t               2          -               -               -               -               -               -               -',
      '',
    ]);
  });

  it('--members: trailing spaces as Kafka prints them; GROUP-INSTANCE-ID only with a static member', () => {
    const member = {
      group: 'g',
      consumerId: 'member-1',
      groupInstanceId: '',
      host: '/10.0.0.1',
      clientId: 'app',
      assignment: [{ topic: 't', partition: 0 }],
    };
    expect(membersTable([member], false)).toBe(
      '\nGROUP           CONSUMER-ID     HOST            CLIENT-ID       #PARTITIONS     \n' +
        'g               member-1        /10.0.0.1       app             1               \n',
    );
    expect(membersTable([member, { ...member, consumerId: 'member-2', groupInstanceId: 'pod-2', assignment: [] }], true)).toBe(
      '\nGROUP           CONSUMER-ID     GROUP-INSTANCE-ID HOST            CLIENT-ID       #PARTITIONS     ASSIGNMENT\n' +
        'g               member-1                          /10.0.0.1       app             1               (0)\n' +
        'g               member-2        pod-2             /10.0.0.1       app             0               -\n',
    );
  });

  it('--verbose assignment: partitions and topic groups sorted as strings, topic names left out', () => {
    const tps = [
      { topic: 'b', partition: 10 },
      { topic: 'b', partition: 2 },
      { topic: 'a', partition: 3 },
      { topic: 'b', partition: 1 },
    ];
    expect(assignmentText(tps)).toBe('(1,10,2), (3)');
    expect(assignmentText([])).toBe('-');
  });

  it('--state: the GROUP column is as wide as the coordinator text', () => {
    const row = {
      group: 'g',
      coordinator: { id: 1, host: 'broker-1.example.com', port: 9092 },
      assignmentStrategy: 'range',
      state: 'Stable',
      members: 2,
    };
    expect(stateTable(row)).toBe(
      '\nGROUP                          COORDINATOR (ID)          ASSIGNMENT-STRATEGY  STATE           #MEMBERS' +
        '\ng                              broker-1.example.com:9092  (1) range                Stable          2\n',
    );
  });

  it('--list --state: GROUP padded to the longest id (at least 15) plus 10', () => {
    const stateOnly = { type: false, state: true };
    expect(listTable([{ group: 'a-rather-long-group-id', state: 'Empty', type: 'Classic' }], stateOnly)).toBe(
      // 22 characters + 10 = 32, then ' %-20s'.
      `${'GROUP'.padEnd(32)} ${'STATE'.padEnd(20)}\n${'a-rather-long-group-id'.padEnd(32)} ${'Empty'.padEnd(20)}\n`,
    );
    expect(listTable([], stateOnly)).toBe('GROUP                     STATE               \n');
  });

  it('--list --type --state: TYPE before STATE, each %-20s', () => {
    expect(listTable([{ group: 'g', state: 'Stable', type: 'Classic' }], { type: true, state: true })).toBe(
      `${'GROUP'.padEnd(25)} ${'TYPE'.padEnd(20)} ${'STATE'.padEnd(20)}\n${'g'.padEnd(25)} ${'Classic'.padEnd(20)} ${'Stable'.padEnd(20)}\n`,
    );
    expect(listTable([], { type: true, state: false })).toBe(`${'GROUP'.padEnd(25)} ${'TYPE'.padEnd(20)}\n`);
  });

  it('--reset-offsets plan', () => {
    expect(resetTable([{ group: 'g', offsets: [{ topic: 't', partition: 0, offset: 42 }] }])).toBe(
      '\nGROUP                          TOPIC                          PARTITION  NEW-OFFSET     ' +
        '\ng                              t                              0          42             \n',
    );
  });

  it('--delete-offsets: rows sorted by topic and partition concatenated, as Kafka does', () => {
    const text = deleteOffsetsTable([
      { topic: 't', partition: 2 },
      { topic: 't', partition: 10, error: 'The group is not empty.' },
      { topic: 'missing', error: 'This server does not host this topic-partition.' },
    ]);
    expect(text.split('\n')).toEqual([
      '',
      'TOPIC                          PARTITION       STATUS         ',
      'missing                        Not Provided    Error: :This server does not host this topic-partition.',
      't                              10              Error: :The group is not empty.',
      't                              2               Successful     ',
      '',
    ]);
  });

  it('summaries of --delete and --delete-offsets', () => {
    expect(
      deleteGroupsReport(
        new Map([
          ['a', undefined],
          ['b', undefined],
        ]),
      ),
    ).toEqual({
      ok: true,
      stdout: "Deletion of requested consumer groups ('a, b') was successful.\n",
      stderr: '',
    });
    expect(
      deleteGroupsReport(
        new Map([
          ['a', undefined],
          ['b', 'The group is not empty.'],
        ]),
      ),
    ).toEqual({
      ok: false,
      stdout: "\nThese consumer groups were deleted successfully: 'a'\n",
      stderr: "Error: Deletion of some consumer groups failed:\n* Group 'b' could not be deleted due to: The group is not empty.\n",
    });
    expect(deleteOffsetsSummary('g', ['t1', 't2:0'], 0)).toEqual({
      ok: true,
      line: 'Request succeed for deleting offsets with topic t1, t2:0 group g',
    });
    expect(deleteOffsetsSummary('g', ['t'], 69)).toEqual({ ok: false, line: "Error: 'g' does not exist." });
    expect(deleteOffsetsSummary('g', ['t'], 68).line).toBe(
      "Error: Deleting offsets of a consumer group 'g' is forbidden if the group is not empty.",
    );
    expect(deleteOffsetsSummary('g', ['t'], 86).line).toBe('Error: Encounter some partition level error, see the follow-up details:');
    expect(deleteOffsetsSummary('g', ['t'], 7).line).toBe('Error: Encounter some unknown error: REQUEST_TIMED_OUT');
  });

  it('time lag for people', () => {
    expect([0, 999, 1_000, 12_345, 65_000, 3_600_000 + 7 * 60_000, 3 * 86_400_000 + 4 * 3_600_000].map(formatAge)).toEqual([
      '0ms',
      '999ms',
      '1.0s',
      '12.3s',
      '1m05s',
      '1h07m',
      '3d04h',
    ]);
  });
});
