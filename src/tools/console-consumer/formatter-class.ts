import { UsageError } from '../../util/errors.js';

import type { CoordinatorFormatterKind } from './coordinator-formatters.js';

/** What a `--formatter` class does in kts. */
export type FormatterKind = 'default' | 'no-op' | CoordinatorFormatterKind;

const TOOLS = 'org.apache.kafka.tools.consumer.';

const FORMATTERS: ReadonlyMap<string, FormatterKind> = new Map([
  [`${TOOLS}DefaultMessageFormatter`, 'default'],
  // It also logs each record at INFO, which Kafka's tools-log4j.properties (root logger WARN) never shows.
  [`${TOOLS}LoggingMessageFormatter`, 'default'],
  [`${TOOLS}NoOpMessageFormatter`, 'no-op'],
  [`${TOOLS}OffsetsMessageFormatter`, 'offsets'],
  [`${TOOLS}GroupMetadataMessageFormatter`, 'group-metadata'],
  [`${TOOLS}TransactionLogMessageFormatter`, 'transaction-log'],
]);

/** The formatter classes kts has, by their current names. */
export const FORMATTER_CLASSES: readonly string[] = [...FORMATTERS.keys()];

/** The pre-3.8 names Kafka 3.9 still takes, with a WARNING. */
const DEPRECATED: ReadonlyMap<string, string> = new Map([
  ['kafka.tools.DefaultMessageFormatter', `${TOOLS}DefaultMessageFormatter`],
  ['kafka.tools.LoggingMessageFormatter', `${TOOLS}LoggingMessageFormatter`],
  ['kafka.tools.NoOpMessageFormatter', `${TOOLS}NoOpMessageFormatter`],
  ['kafka.coordinator.group.GroupMetadataManager$OffsetsMessageFormatter', `${TOOLS}OffsetsMessageFormatter`],
  ['kafka.coordinator.group.GroupMetadataManager$GroupMetadataMessageFormatter', `${TOOLS}GroupMetadataMessageFormatter`],
  ['kafka.coordinator.transaction.TransactionLog$TransactionLogMessageFormatter', `${TOOLS}TransactionLogMessageFormatter`],
]);

/** ConsoleConsumerOptions.buildFormatter for the classes kts has; `warning` is Kafka's deprecation line. */
export function formatterClass(className: string): { kind: FormatterKind; warning?: string } {
  const name = className.trim();
  const current = DEPRECATED.get(name);
  const kind = FORMATTERS.get(current ?? name);
  if (kind !== undefined) {
    if (current === undefined) return { kind };
    return {
      kind,
      warning: `WARNING: ${name} is deprecated and will be removed in the next major release. Please use ${current} instead`,
    };
  }
  throw new UsageError(`Error: --formatter '${name}' is not supported: kts has no such formatter (use ${FORMATTER_CLASSES.join(', ')})`);
}
