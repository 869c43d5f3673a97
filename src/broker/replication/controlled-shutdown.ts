import { ErrorCode, errorName } from '../../protocol/errors.js';
import { ApiKey } from '../../protocol/generated/api-info.js';
import type { MetadataCache } from '../metadata/metadata-cache.js';
import type { BrokerLink } from './broker-link.js';

export interface ControlledShutdownOptions {
  localBrokerId: number;
  brokerEpoch(): bigint;
  metadata: MetadataCache;
  connect(brokerId: number): Promise<BrokerLink>;
  /** controlled.shutdown.max.retries and .retry.backoff.ms. */
  maxRetries: number;
  retryBackoffMs: number;
  log(level: 'info' | 'warn', message: string): void;
}

/**
 * Kafka's KafkaServer.controlledShutdown: asks the controller to move leadership off this broker
 * (ControlledShutdown), and tries again after a pause until it answers that no partition is left
 * led here, up to `maxRetries` times; after that the broker stops anyway (its partitions then
 * fail over when its ZooKeeper session closes). Returns whether it succeeded.
 */
export async function controlledShutdown(options: ControlledShutdownOptions): Promise<boolean> {
  for (let attempt = 1; attempt <= options.maxRetries; attempt++) {
    const controllerId = options.metadata.controllerId;
    let link: BrokerLink | undefined;
    try {
      if (controllerId < 0) throw new Error('no controller is known');
      link = await options.connect(controllerId);
      const version = link.versionOf(ApiKey.ControlledShutdown, 3);
      if (version === undefined) throw new Error(`the controller (broker ${controllerId}) serves no ControlledShutdown version kts speaks`);
      const response = await link.request(
        ApiKey.ControlledShutdown,
        { brokerId: options.localBrokerId, brokerEpoch: options.brokerEpoch() },
        version,
      );
      if (response.errorCode === ErrorCode.NONE && response.remainingPartitions.length === 0) {
        options.log('info', `Controlled shutdown of broker ${options.localBrokerId} succeeded`);
        return true;
      }
      const why =
        response.errorCode !== ErrorCode.NONE
          ? (errorName(response.errorCode) ?? String(response.errorCode))
          : `${response.remainingPartitions.length} partitions still led here: ${response.remainingPartitions
              .slice(0, 5)
              .map((p) => `${p.topicName}-${p.partitionIndex}`)
              .join(', ')}`;
      options.log('warn', `Controlled shutdown attempt ${attempt} of ${options.maxRetries} did not complete: ${why}`);
    } catch (err) {
      options.log('warn', `Controlled shutdown attempt ${attempt} of ${options.maxRetries} failed: ${(err as Error).message}`);
    } finally {
      link?.close();
    }
    if (attempt < options.maxRetries) await new Promise((resolve) => setTimeout(resolve, options.retryBackoffMs));
  }
  options.log('warn', `Proceeding to an uncontrolled shutdown of broker ${options.localBrokerId} after ${options.maxRetries} attempts`);
  return false;
}
