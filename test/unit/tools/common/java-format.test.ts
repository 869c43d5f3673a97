import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { javaFixed, simpleDateFormat } from '../../../../src/tools/common/java-format.js';
import { javaDoubleText } from '../../../../src/tools/common/java-double-text.js';
import { JavaRandom } from '../../../../src/tools/common/java-random.js';

// Every expected value below was printed by OpenJDK 17 (String.format, "" + double, SimpleDateFormat, java.util.Random).
describe('Java formatting, as the Kafka tools print numbers and dates', () => {
  const tz = process.env.TZ;
  beforeAll(() => {
    process.env.TZ = 'UTC';
  });
  afterAll(() => {
    process.env.TZ = tz;
  });

  it('String.format("%.Nf"): HALF_UP on the shortest decimal, not on the binary value', () => {
    expect(javaFixed(4968.4123, 1)).toBe('4968.4');
    expect(javaFixed(0.4749, 2)).toBe('0.47');
    expect(javaFixed(259740.25974025973, 6)).toBe('259740.259740');
    expect(javaFixed(28.61022949, 4)).toBe('28.6102');
    expect(javaFixed(1562.4507, 3)).toBe('1562.451');
    expect(javaFixed(Number.NaN, 2)).toBe('NaN');
    expect(javaFixed(1.005, 2)).toBe('1.01');
    expect(javaFixed(99.995, 2)).toBe('100.00');
    expect(javaFixed(2.25, 1)).toBe('2.3');
    expect(javaFixed(-0.001, 2)).toBe('-0.00');
    expect(javaFixed(5e21, 1)).toBe('5000000000000000000000.0');
  });

  it('Double.toString: a fraction digit always, scientific notation outside [1e-3, 1e7)', () => {
    expect([1000 / 3, 100, 1e-5, 12345678.9, 0.86083].map(javaDoubleText)).toEqual([
      '333.3333333333333',
      '100.0',
      '1.0E-5',
      '1.23456789E7',
      '0.86083',
    ]);
  });

  it('SimpleDateFormat patterns', () => {
    expect(simpleDateFormat('yyyy-MM-dd HH:mm:ss:SSS EEE MMM a h K k z Z X')(1700000000123)).toBe(
      '2023-11-14 22:13:20:123 Tue Nov PM 10 10 22 UTC +0000 Z',
    );
    expect(simpleDateFormat('yy/M/d H:m:s.S')(1700000000005)).toBe('23/11/14 22:13:20.5');
    expect(simpleDateFormat("'at' HH 'o''clock'")(1700000000000)).toBe("at 22 o'clock");
    expect(() => simpleDateFormat('yyyy-qq')).toThrow("Illegal pattern character 'q'");
  });

  it('java.util.Random(0).nextInt(26), the letters EndToEndLatency sends', () => {
    const r = new JavaRandom(0);
    expect(Array.from({ length: 10 }, () => r.nextInt(26))).toEqual([18, 18, 23, 21, 13, 9, 7, 15, 3, 16]);
  });
});
