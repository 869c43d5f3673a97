import { describe, expect, it } from 'vitest';
import { parseDateTime, parseDuration } from '../../../../src/tools/consumer-groups/reset-time.js';

describe('--to-datetime (Utils.getDateTime)', () => {
  it('reads UTC without a zone, and Z, ±hh, ±hhmm, ±hh:mm zones', () => {
    const utc = Date.UTC(2024, 1, 29, 13, 45, 30, 123);
    expect(parseDateTime('2024-02-29T13:45:30.123')).toBe(utc);
    expect(parseDateTime('2024-02-29T13:45:30.123Z')).toBe(utc);
    expect(parseDateTime('2024-02-29T15:45:30.123+02:00')).toBe(utc);
    expect(parseDateTime('2024-02-29T15:45:30.123+0200')).toBe(utc);
    expect(parseDateTime('2024-02-29T08:45:30.123-05')).toBe(utc);
  });

  it('counts the fraction in milliseconds, as SimpleDateFormat does', () => {
    expect(parseDateTime('2024-01-01T00:00:00.5')).toBe(Date.UTC(2024, 0, 1, 0, 0, 0, 5));
  });

  it('rejects what a strict SimpleDateFormat rejects', () => {
    expect(() => parseDateTime('2024-01-01')).toThrow(
      "Error: Error parsing timestamp. It does not contain a 'T' according to ISO8601 format",
    );
    for (const bad of [
      '2024-01-01T00:00:00',
      '2023-02-29T00:00:00.000',
      '2024-13-01T00:00:00.000',
      '2024-01-01T24:00:00.000',
      '2024-01-01T00:00:00.000+25:00',
      'yesterdayTnoon',
    ]) {
      expect(() => parseDateTime(bad), bad).toThrow(`Error: Unparseable date: "${bad}"`);
    }
  });
});

describe('--by-duration (java.time.Duration.parse)', () => {
  it('reads days, hours, minutes and fractional seconds, with signs', () => {
    expect(parseDuration('PT1H30M')).toBe(5_400_000);
    expect(parseDuration('P1DT2S')).toBe(86_402_000);
    expect(parseDuration('pt0.25s')).toBe(250);
    expect(parseDuration('-PT1M')).toBe(-60_000);
    expect(parseDuration('PT-1M30S')).toBe(-30_000);
    expect(parseDuration('PT-0.5S')).toBe(-500);
  });

  it('rejects the rest', () => {
    for (const bad of ['P', 'PT', '1H', 'P1H', 'PT1.5M', 'P1Y', '']) {
      expect(() => parseDuration(bad), bad).toThrow('Text cannot be parsed to a Duration');
    }
  });
});
