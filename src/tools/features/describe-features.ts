import { KtsError } from '../../util/errors.js';
import { packageVersion } from '../../util/package-version.js';
import type { ConnectOptions } from '../../client/connect-options.js';
import { openBootstrap } from '../../client/versioned-connection.js';
import { ErrorCode } from '../../protocol/errors.js';
import { ApiKey } from '../../protocol/generated/api-info.js';
import { kafkaErrorMessage } from '../consumer-groups/kafka-errors.js';

/** One feature as `kafka-features describe` reports it. */
export interface FeatureDescription {
  feature: string;
  supportedMinVersion: string;
  supportedMaxVersion: string;
  finalizedVersionLevel: string;
  /** The finalized features' epoch, `-` when the broker has none. */
  epoch: string;
}

/** MetadataVersion's feature levels (Kafka 3.9) and the versions they name. */
const METADATA_VERSIONS: ReadonlyMap<number, string> = new Map(
  (
    [
      '3.0-IV1',
      '3.1-IV0',
      '3.2-IV0',
      '3.3-IV0',
      '3.3-IV1',
      '3.3-IV2',
      '3.3-IV3',
      '3.4-IV0',
      '3.5-IV0',
      '3.5-IV1',
      '3.5-IV2',
      '3.6-IV0',
      '3.6-IV1',
      '3.6-IV2',
      '3.7-IV0',
      '3.7-IV1',
      '3.7-IV2',
      '3.7-IV3',
      '3.7-IV4',
      '3.8-IV0',
      '3.9-IV0',
      '4.0-IV0',
      '4.0-IV1',
    ] as const
  ).map((version, i) => [i + 1, version]),
);

const METADATA_VERSION = 'metadata.version';

/** FeatureCommand.levelToString: metadata.version levels by their release name. */
function levelToString(feature: string, level: number): string {
  if (feature !== METADATA_VERSION) return String(level);
  return METADATA_VERSIONS.get(level) ?? (level < 0 ? '1.0-IV0' : `UNKNOWN ${level}`);
}

/**
 * FeatureCommand.handleDescribe: the features a broker supports (ApiVersions v3+), sorted by
 * name, each with the cluster's finalized level (0 when not finalized) and epoch.
 */
export async function describeFeatures(connect: ConnectOptions): Promise<FeatureDescription[]> {
  const { bootstrap } = await openBootstrap(connect);
  try {
    const response = await bootstrap.request(ApiKey.ApiVersions, { clientSoftwareName: 'kts', clientSoftwareVersion: packageVersion() });
    if (response.errorCode !== ErrorCode.NONE) throw new KtsError(`Error: ${kafkaErrorMessage(response.errorCode)}`);
    const finalized = new Map(response.finalizedFeatures.map((f) => [f.name, f.maxVersionLevel]));
    const epoch = response.finalizedFeaturesEpoch >= 0n ? String(response.finalizedFeaturesEpoch) : '-';
    return [...response.supportedFeatures]
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .map((f) => ({
        feature: f.name,
        supportedMinVersion: levelToString(f.name, f.minVersion),
        supportedMaxVersion: levelToString(f.name, f.maxVersion),
        finalizedVersionLevel: levelToString(f.name, finalized.get(f.name) ?? 0),
        epoch,
      }));
  } finally {
    bootstrap.close();
  }
}

export function featureLine(f: FeatureDescription): string {
  return `Feature: ${f.feature}\tSupportedMinVersion: ${f.supportedMinVersion}\tSupportedMaxVersion: ${f.supportedMaxVersion}\tFinalizedVersionLevel: ${f.finalizedVersionLevel}\tEpoch: ${f.epoch}`;
}
