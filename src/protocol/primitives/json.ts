/** A JSON document as Kafka's generated JsonConverters build it; int64 fields stay bigint. */
export type JsonValue = string | number | bigint | boolean | null | JsonValue[] | JsonObject;
export interface JsonObject {
  [field: string]: JsonValue;
}

/** Compact JSON, as Jackson's JsonNode.toString writes it: fields in insertion order, bigint as a plain number. */
export function stringifyJson(value: JsonValue): string {
  if (typeof value === 'bigint') return value.toString();
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(stringifyJson).join(',')}]`;
  return `{${Object.entries(value)
    .map(([k, v]) => `${JSON.stringify(k)}:${stringifyJson(v)}`)
    .join(',')}}`;
}
