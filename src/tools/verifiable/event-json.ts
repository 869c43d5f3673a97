import { javaDoubleText } from '../common/java-double-text.js';

/** A Java double field: written as Double.toString writes it (`100.0`, `1.0E-4`); NaN and infinities quoted, as Jackson does. */
export class JsonDouble {
  constructor(readonly value: number) {}
}

export type EventValue = string | number | boolean | null | JsonDouble | readonly EventValue[] | { readonly [key: string]: EventValue };

/**
 * One event as Jackson's ObjectMapper writes it: compact, fields in the order given, int and long
 * fields as plain numbers. Kafka's system tests read these lines.
 */
export function eventJson(value: EventValue): string {
  if (value instanceof JsonDouble) {
    const text = javaDoubleText(value.value);
    return Number.isFinite(value.value) ? text : JSON.stringify(text);
  }
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(eventJson).join(',')}]`;
  const fields = Object.entries(value as { readonly [key: string]: EventValue });
  return `{${fields.map(([k, v]) => `${JSON.stringify(k)}:${eventJson(v)}`).join(',')}}`;
}
