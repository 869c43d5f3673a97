import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { makeDirectory } from '../../util/make-directory.js';
import { isUuid } from '../../protocol/primitives/uuid.js';
import { writeFileAtomically } from '../log/file-io.js';
import { onFile } from '../log/storage-error.js';
import { patternKey, type AccessControlEntry, type ResourcePattern } from '../../protocol/acl.js';
import type {
  BrokerConfigRecords,
  ClientQuotaRecords,
  MetadataStore,
  ScramCredentialRecords,
  StoredAcls,
  StoredMetadata,
} from './metadata-store.js';
import type { PartitionState, TopicRecord } from './topic-record.js';

export const LOCAL_METADATA_FILE = 'kts-metadata.json';

interface FileContent {
  version: 1;
  /** A string: producer ids are int64. */
  nextProducerId: string;
  topics: TopicRecord[];
  /** Absent in files written before dynamic broker configs existed. */
  brokerConfigs?: BrokerConfigRecords;
  /** Absent in files written before client quotas existed. */
  clientQuotas?: ClientQuotaRecords;
  /** Absent in files written before SCRAM credentials existed. */
  scramCredentials?: ScramCredentialRecords;
  /** Absent in files written before ACLs existed. */
  acls?: StoredAcls[];
}

/**
 * Metadata of a broker without ZooKeeper, kept as one JSON file in the first log dir and
 * replaced atomically (write, fsync, rename) on every change, so a crash leaves the old or the
 * new state.
 */
export class LocalMetadataStore implements MetadataStore {
  readonly path: string;
  #topics = new Map<string, TopicRecord>();
  #nextProducerId = 0n;
  #brokerConfigs: BrokerConfigRecords = {};
  #clientQuotas: ClientQuotaRecords = {};
  #scramCredentials: ScramCredentialRecords = {};
  #acls = new Map<string, StoredAcls>();

  constructor(logDir: string) {
    this.path = join(logDir, LOCAL_METADATA_FILE);
  }

  async load(): Promise<StoredMetadata> {
    // Before the first read, so a log dir that cannot be one is reported as such, not as an unreadable file.
    makeDirectory(dirname(this.path), 'log directory');
    const content = this.#read();
    if (content) {
      this.#topics = new Map(content.topics.map((t) => [t.name, t]));
      this.#nextProducerId = BigInt(content.nextProducerId);
      this.#brokerConfigs = content.brokerConfigs ?? {};
      this.#clientQuotas = content.clientQuotas ?? {};
      this.#scramCredentials = content.scramCredentials ?? {};
      for (const acls of content.acls ?? []) this.#acls.set(patternKey(acls.pattern), acls);
    }
    return {
      topics: [...this.#topics.values()],
      brokerConfigs: structuredClone(this.#brokerConfigs),
      clientQuotas: structuredClone(this.#clientQuotas),
      scramCredentials: structuredClone(this.#scramCredentials),
      acls: await this.loadAcls(),
    };
  }

  async putTopic(topic: TopicRecord): Promise<void> {
    this.#change(() => this.#topics.set(topic.name, topic));
  }

  async deleteTopic(name: string): Promise<void> {
    if (this.#topics.has(name)) this.#change(() => this.#topics.delete(name));
  }

  async putBrokerConfigs(entity: string, configs: Readonly<Record<string, string>>): Promise<void> {
    this.#change(() => putEntity(this.#brokerConfigs, entity, configs));
  }

  async putClientQuotas(entity: string, quotas: Readonly<Record<string, string>>): Promise<void> {
    this.#change(() => putEntity(this.#clientQuotas, entity, quotas));
  }

  async putScramCredentials(user: string, credentials: Readonly<Record<string, string>>): Promise<void> {
    this.#change(() => putEntity(this.#scramCredentials, user, credentials));
  }

  async putAcls(pattern: ResourcePattern, entries: readonly AccessControlEntry[]): Promise<void> {
    this.#change(() => {
      if (entries.length === 0) this.#acls.delete(patternKey(pattern));
      else this.#acls.set(patternKey(pattern), { pattern, entries: [...entries] });
    });
  }

  async loadAcls(): Promise<StoredAcls[]> {
    return structuredClone([...this.#acls.values()]);
  }

  async allocateProducerIds(count: number): Promise<bigint> {
    const first = this.#nextProducerId;
    this.#change(() => {
      this.#nextProducerId += BigInt(count);
    });
    return first;
  }

  async close(): Promise<void> {}

  /**
   * Applies `change` and writes the file; when the write fails (a full disk) the change is undone,
   * so what is in memory stays what is on disk, and the failure is KAFKA_STORAGE_ERROR naming the file.
   */
  #change(change: () => void): void {
    const before = {
      topics: new Map(this.#topics),
      nextProducerId: this.#nextProducerId,
      brokerConfigs: structuredClone(this.#brokerConfigs),
      clientQuotas: structuredClone(this.#clientQuotas),
      scramCredentials: structuredClone(this.#scramCredentials),
      acls: new Map(this.#acls),
    };
    change();
    try {
      onFile(`writing the topic metadata`, this.path, () => this.#write());
    } catch (err) {
      this.#topics = before.topics;
      this.#nextProducerId = before.nextProducerId;
      this.#brokerConfigs = before.brokerConfigs;
      this.#clientQuotas = before.clientQuotas;
      this.#scramCredentials = before.scramCredentials;
      this.#acls = before.acls;
      throw err;
    }
  }

  #write(): void {
    const content: FileContent = {
      version: 1,
      nextProducerId: this.#nextProducerId.toString(),
      topics: [...this.#topics.values()],
      brokerConfigs: this.#brokerConfigs,
      clientQuotas: this.#clientQuotas,
      scramCredentials: this.#scramCredentials,
      acls: [...this.#acls.values()],
    };
    writeFileAtomically(this.path, `${JSON.stringify(content, null, 1)}\n`);
  }

  #read(): FileContent | undefined {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new Error(`Cannot read ${this.path}: ${(err as Error).message}`);
    }
    try {
      return checkContent(JSON.parse(text));
    } catch (err) {
      throw new Error(`Cannot read ${this.path}: ${(err as Error).message}`);
    }
  }
}

/** An entity's map replaced; an empty one removed, as Kafka drops an entity's last setting. */
function putEntity(records: Record<string, Record<string, string>>, entity: string, entries: Readonly<Record<string, string>>): void {
  if (Object.keys(entries).length > 0) records[entity] = { ...entries };
  else delete records[entity];
}

function checkContent(value: unknown): FileContent {
  const file = value as Partial<FileContent> | null;
  if (file?.version !== 1) throw new Error('unknown format version');
  if (typeof file.nextProducerId !== 'string' || !/^\d+$/.test(file.nextProducerId)) throw new Error('bad nextProducerId');
  if (!Array.isArray(file.topics)) throw new Error('bad topics');
  for (const topic of file.topics) checkTopic(topic);
  if (file.brokerConfigs !== undefined && !isEntityRecords(file.brokerConfigs)) throw new Error('bad brokerConfigs');
  if (file.clientQuotas !== undefined && !isEntityRecords(file.clientQuotas)) throw new Error('bad clientQuotas');
  if (file.scramCredentials !== undefined && !isEntityRecords(file.scramCredentials)) throw new Error('bad scramCredentials');
  if (file.acls !== undefined && !Array.isArray(file.acls)) throw new Error('bad acls');
  return file as FileContent;
}

function checkTopic(topic: TopicRecord): void {
  const ok =
    typeof topic?.name === 'string' &&
    typeof topic.topicId === 'string' &&
    isUuid(topic.topicId) &&
    Array.isArray(topic.partitions) &&
    topic.partitions.every((p, i) => p.partition === i && isPartitionState(p)) &&
    typeof topic.configs === 'object' &&
    topic.configs !== null &&
    Object.values(topic.configs).every((v) => typeof v === 'string');
  if (!ok) throw new Error(`bad entry for topic ${JSON.stringify(topic?.name)}`);
}

/** Text maps by entity: the shape of broker configs, client quotas and SCRAM credentials. */
function isEntityRecords(value: unknown): value is Record<string, Record<string, string>> {
  return isStringRecordOf(value, (configs) => isStringRecordOf(configs, (v) => typeof v === 'string'));
}

function isStringRecordOf(value: unknown, ok: (v: unknown) => boolean): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every(ok);
}

function isPartitionState(p: PartitionState): boolean {
  const ids = (a: unknown) => Array.isArray(a) && a.every(Number.isInteger);
  return ids(p.replicas) && ids(p.isr) && Number.isInteger(p.leader) && Number.isInteger(p.leaderEpoch);
}
