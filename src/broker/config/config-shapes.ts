import { DEFAULT_LOG_CONFIG, isLogConfigName } from '../log/log-config.js';
import { BROKER_CONFIG_DEFS, isBrokerConfigName } from './broker-config-defs.js';
import { formatConfigValue } from './config-def.js';
import type { ConfigKeyShape } from './incremental-alter.js';
import { isTopicConfigName, topicConfigType } from './topic-config.js';

/**
 * A topic config's shape for APPEND/SUBTRACT: its type, and LogConfig's own default (Kafka extends
 * the topic-level default, not the broker's setting, when the key is unset).
 */
export function topicConfigShape(name: string): ConfigKeyShape | undefined {
  if (!isTopicConfigName(name)) return undefined;
  return { type: topicConfigType(name), default: isLogConfigName(name) ? String(DEFAULT_LOG_CONFIG[name]) : null };
}

export function brokerConfigShape(name: string): ConfigKeyShape | undefined {
  if (!isBrokerConfigName(name)) return undefined;
  const def = BROKER_CONFIG_DEFS[name];
  return { type: def.type, default: formatConfigValue(def.type, def.default) };
}
