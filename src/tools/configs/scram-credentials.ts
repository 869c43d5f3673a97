import { randomBytes } from 'node:crypto';
import type { VersionedConnection } from '../../client/versioned-connection.js';
import { MIN_ITERATIONS, SCRAM_MECHANISM_CODES, type ScramMechanism, saltPassword, scramMechanismOfCode } from '../../client/scram.js';
import { ErrorCode } from '../../protocol/errors.js';
import { ApiKey } from '../../protocol/generated/api-info.js';
import { UsageError } from '../../util/errors.js';
import { commandFailure } from './command-failure.js';

/** ConfigCommand's DefaultScramIterations. */
const DEFAULT_ITERATIONS = 4096;

export interface ScramChanges {
  /** Mechanism → credential text (`[iterations=8192,]password=...`, brackets dropped). */
  upsert: ReadonlyMap<ScramMechanism, string>;
  delete: readonly ScramMechanism[];
}

/**
 * ConfigCommand.iterationsAndPasswordBytes: `iterations=<n>,password=<p>` (iterations optional,
 * 4096 by default). A malformed value is refused without echoing it: it holds a password.
 */
function iterationsAndPassword(mechanism: ScramMechanism, text: string): { iterations: number; password: string } {
  const match = /^(?:iterations=(-?[0-9]*),)?password=(.*)$/s.exec(text);
  if (match === null) throw new UsageError(`Invalid credential property ${mechanism}=[hidden]`);
  const iterations = match[1] !== undefined && match[1] !== '-1' ? Number(match[1]) : DEFAULT_ITERATIONS;
  if (!(iterations >= MIN_ITERATIONS)) {
    throw new UsageError(`Iterations ${match[1]} is less than the minimum ${MIN_ITERATIONS} required for ${mechanism}`);
  }
  return { iterations, password: match[2]! };
}

/**
 * AlterUserScramCredentials for one user, as Kafka's admin client sends it: a fresh random salt
 * per mechanism and the salted password (never the password itself).
 */
export async function alterUserScramCredentials(conn: VersionedConnection, user: string, changes: ScramChanges): Promise<void> {
  const upsertions = [...changes.upsert].map(([mechanism, text]) => {
    const { iterations, password } = iterationsAndPassword(mechanism, text);
    const salt = randomBytes(32);
    return {
      name: user,
      mechanism: SCRAM_MECHANISM_CODES[mechanism],
      iterations,
      salt,
      saltedPassword: saltPassword(mechanism, password, salt, iterations),
    };
  });
  const response = await conn.request(ApiKey.AlterUserScramCredentials, {
    deletions: changes.delete.map((mechanism) => ({ name: user, mechanism: SCRAM_MECHANISM_CODES[mechanism] })),
    upsertions,
  });
  const failed = response.results.find((r) => r.errorCode !== ErrorCode.NONE);
  if (failed) throw commandFailure(failed.errorCode, failed.errorMessage);
}

/**
 * ConfigCommand's SCRAM part of describing users: one line per user with credentials,
 * `SCRAM credential configs for user-principal 'alice' are SCRAM-SHA-256=iterations=8192`. Users
 * named that have none are left out, as Kafka leaves them.
 */
export async function describeUserScramCredentials(conn: VersionedConnection, users: readonly string[]): Promise<string[]> {
  const response = await conn.request(ApiKey.DescribeUserScramCredentials, {
    users: users.length === 0 ? null : users.map((name) => ({ name })),
  });
  if (response.errorCode !== ErrorCode.NONE) throw commandFailure(response.errorCode, response.errorMessage);
  const name = (code: number) => scramMechanismOfCode(code) ?? `UNKNOWN(${code})`;
  return response.results
    .filter((r) => r.errorCode === ErrorCode.NONE && r.credentialInfos.length > 0)
    .map(
      (r) =>
        `SCRAM credential configs for user-principal '${r.user}' are ${r.credentialInfos.map((c) => `${name(c.mechanism)}=iterations=${c.iterations}`).join(', ')}`,
    );
}
