import type { ProducerRecord } from '../../client/producer/producer-record.js';

/** A record read from input; the topic comes from the command line. */
export type ParsedRecord = Omit<ProducerRecord, 'topic'>;
