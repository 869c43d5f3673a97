import {
  isScramMechanism,
  MAX_ITERATIONS,
  MIN_ITERATIONS,
  SCRAM_MECHANISM_CODES,
  type ScramMechanism,
  scramMechanismOfCode,
} from '../../client/scram.js';
import { ApiError, toApiError } from '../api-error.js';
import { SerialQueue } from '../admin/serial-queue.js';
import type { MetadataStore, ScramCredentialRecords } from '../metadata/metadata-store.js';
import { credentialFromSalted, credentialFromText, credentialToText, type ScramCredential } from './scram-credential.js';

export interface ScramDeletion {
  readonly name: string;
  readonly mechanism: number;
}

export interface ScramUpsertion extends ScramDeletion {
  readonly iterations: number;
  readonly salt: Buffer;
  readonly saltedPassword: Buffer;
}

export interface UserScramResult {
  readonly user: string;
  readonly error?: ApiError;
}

export interface DescribedUserScram {
  readonly user: string;
  readonly error?: ApiError;
  readonly credentials: readonly { mechanism: number; iterations: number }[];
}

/**
 * SCRAM users (Kafka's ZkAdminManager.alterUserScramCredentials / describeUserScramCredentials and
 * the CredentialCache): credentials held in memory for authentication, persisted per user through
 * the metadata store; in a cluster every broker re-reads a user when another broker changed it.
 */
export class ScramCredentialAdmin {
  readonly #users = new Map<string, Map<ScramMechanism, ScramCredential>>();
  readonly #changes = new SerialQueue();

  constructor(
    private readonly store: MetadataStore,
    stored: ScramCredentialRecords,
    private readonly warn: (message: string) => void,
  ) {
    this.reload(stored);
  }

  reload(stored: ScramCredentialRecords): void {
    this.#users.clear();
    for (const [user, record] of Object.entries(stored)) {
      const credentials = new Map<ScramMechanism, ScramCredential>();
      for (const [mechanism, text] of Object.entries(record)) {
        const credential = credentialFromText(text);
        if (isScramMechanism(mechanism) && credential !== undefined) credentials.set(mechanism, credential);
        else this.warn(`Ignoring a stored ${mechanism} credential of user ${user} that does not read as one`);
      }
      if (credentials.size > 0) this.#users.set(user, credentials);
    }
  }

  lookup(mechanism: ScramMechanism, user: string): ScramCredential | undefined {
    return this.#users.get(user)?.get(mechanism);
  }

  /**
   * DescribeUserScramCredentials: the named users (null: every user with a credential) with the
   * mechanisms and iterations of their credentials, never the credentials themselves.
   */
  describe(users: readonly string[] | null): DescribedUserScram[] {
    const names = users ?? [...this.#users.keys()].sort();
    const seen = new Map<string, number>();
    for (const name of names) seen.set(name, (seen.get(name) ?? 0) + 1);
    return names
      .filter((name, i) => names.indexOf(name) === i)
      .map((user) => {
        if (seen.get(user)! > 1) {
          return {
            user,
            credentials: [],
            error: new ApiError('DUPLICATE_RESOURCE', 'Cannot describe SCRAM credentials for the same user twice in a single request'),
          };
        }
        const credentials = this.#users.get(user);
        if (credentials === undefined) {
          return {
            user,
            credentials: [],
            error: new ApiError('RESOURCE_NOT_FOUND', 'Attempt to describe a user credential that does not exist'),
          };
        }
        return {
          user,
          credentials: [...credentials].map(([mechanism, c]) => ({
            mechanism: SCRAM_MECHANISM_CODES[mechanism],
            iterations: c.iterations,
          })),
        };
      });
  }

  /**
   * AlterUserScramCredentials: every user named gets one result. A user any of whose alterations
   * is invalid (unknown mechanism, iterations out of range, the same mechanism twice, deleting
   * what does not exist) is left unchanged, as Kafka does.
   */
  alter(deletions: readonly ScramDeletion[], upsertions: readonly ScramUpsertion[]): Promise<UserScramResult[]> {
    return this.#changes.run(async () => {
      const users = [...new Set([...deletions, ...upsertions].map((a) => a.name))];
      const results: UserScramResult[] = [];
      for (const user of users) {
        const mine = { deletions: deletions.filter((d) => d.name === user), upsertions: upsertions.filter((u) => u.name === user) };
        const error = this.#invalid(user, mine.deletions, mine.upsertions);
        if (error !== undefined) {
          results.push({ user, error });
          continue;
        }
        const updated = new Map(this.#users.get(user));
        for (const d of mine.deletions) updated.delete(scramMechanismOfCode(d.mechanism)!);
        for (const u of mine.upsertions) {
          const mechanism = scramMechanismOfCode(u.mechanism)!;
          updated.set(mechanism, credentialFromSalted(mechanism, u.salt, u.saltedPassword, u.iterations));
        }
        try {
          await this.store.putScramCredentials(user, Object.fromEntries([...updated].map(([m, c]) => [m, credentialToText(c)])));
        } catch (err) {
          results.push({ user, error: toApiError(err) });
          continue;
        }
        if (updated.size > 0) this.#users.set(user, updated);
        else this.#users.delete(user);
        results.push({ user });
      }
      return results;
    });
  }

  #invalid(user: string, deletions: readonly ScramDeletion[], upsertions: readonly ScramUpsertion[]): ApiError | undefined {
    if (user === '') return new ApiError('UNACCEPTABLE_CREDENTIAL', 'Username must not be empty');
    const all = [...deletions, ...upsertions];
    if (all.some((a) => scramMechanismOfCode(a.mechanism) === undefined))
      return new ApiError('UNSUPPORTED_SASL_MECHANISM', 'Unknown SCRAM mechanism');
    const mechanisms = all.map((a) => a.mechanism);
    if (new Set(mechanisms).size !== mechanisms.length) {
      return new ApiError('DUPLICATE_RESOURCE', 'A user credential cannot be altered twice in the same request');
    }
    for (const u of upsertions) {
      if (u.iterations < MIN_ITERATIONS) return new ApiError('UNACCEPTABLE_CREDENTIAL', 'Too few iterations');
      if (u.iterations > MAX_ITERATIONS) return new ApiError('UNACCEPTABLE_CREDENTIAL', 'Too many iterations');
      if (u.salt.length === 0 || u.saltedPassword.length === 0)
        return new ApiError('UNACCEPTABLE_CREDENTIAL', 'Credential must have a salt and a salted password');
    }
    const existing = this.#users.get(user);
    if (deletions.some((d) => !existing?.has(scramMechanismOfCode(d.mechanism)!))) {
      return new ApiError('RESOURCE_NOT_FOUND', 'Attempt to delete a user credential that does not exist');
    }
    return undefined;
  }
}
