import { ConfigError } from './config-error.js';
import type { ConfigType } from './config-def.js';

/** IncrementalAlterConfigs' operations, indexed by their wire code. */
export const ALTER_CONFIG_OPS = ['SET', 'DELETE', 'APPEND', 'SUBTRACT'] as const;
export type AlterConfigOp = (typeof ALTER_CONFIG_OPS)[number];

export interface AlterConfigChange {
  name: string;
  op: AlterConfigOp;
  value: string | null;
}

/** What APPEND and SUBTRACT need to know of a key: only LIST keys take them. */
export interface ConfigKeyShape {
  type: ConfigType;
  /** The default as text, which APPEND extends when the key is unset. */
  default: string | null;
}

/**
 * The full entries a resource has after IncrementalAlterConfigs' `changes`, as Kafka's
 * ConfigAdminManager computes them; validating the values is left to the caller's next step.
 * `shapeOf` answers undefined for a key unknown to the resource.
 */
export function applyIncrementalOps(
  current: ReadonlyMap<string, string>,
  changes: readonly AlterConfigChange[],
  shapeOf: (name: string) => ConfigKeyShape | undefined,
): Map<string, string> {
  const names = changes.map((c) => c.name);
  if (new Set(names).size !== names.length) throw new ConfigError('invalid-op', 'Error due to duplicate config keys');
  const next = new Map(current);
  for (const { name, op, value } of changes) {
    if (op === 'DELETE') {
      next.delete(name);
      continue;
    }
    if (value === null) throw new ConfigError('null-value', `Null value not supported for : ${name}`);
    if (op === 'SET') {
      next.set(name, value);
      continue;
    }
    const shape = shapeOf(name);
    // Kafka says "topic" here for broker keys too.
    if (shape === undefined) throw new ConfigError('unknown-name', `Unknown topic config name: ${name}`);
    if (shape.type !== 'LIST') {
      throw new ConfigError('not-list', `Config value ${op === 'APPEND' ? 'append' : 'subtract'} is not allowed for config key: ${name}`);
    }
    const items = value.split(',');
    if (op === 'APPEND') {
      const old = listItems(next.get(name) ?? shape.default ?? '');
      next.set(name, [...new Set([...old, ...items])].join(','));
    } else {
      next.set(name, subtract(listItems(next.get(name) ?? ''), items).join(','));
    }
  }
  return next;
}

/** Unlike Java's split, an empty list has no items (so APPEND to it does not start with a comma). */
function listItems(text: string): string[] {
  return text === '' ? [] : text.split(',');
}

/** Scala's List.diff: each item removes one matching occurrence. */
function subtract(from: readonly string[], items: readonly string[]): string[] {
  const out = [...from];
  for (const item of items) {
    const at = out.indexOf(item);
    if (at >= 0) out.splice(at, 1);
  }
  return out;
}
