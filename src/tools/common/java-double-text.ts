/**
 * Java's Double.toString, as Kafka's tools print a double: the shortest digits that read back as
 * the same value (JDK 19+; JavaScript finds the same), plain from 10^-3 up to 10^7 with at least
 * one fraction digit (`1024.0`), otherwise `1.048576E7` / `1.0E-4`.
 */
export function javaDoubleText(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';
  const magnitude = Math.abs(value);
  if (magnitude >= 1e-3 && magnitude < 1e7) {
    const plain = String(value);
    return plain.includes('.') ? plain : `${plain}.0`;
  }
  const [mantissa, exponent] = value.toExponential().split('e') as [string, string];
  return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}E${Number(exponent)}`;
}

const JAVA_DOUBLE = /^[+-]?(?:NaN|Infinity|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?[dDfF]?)$/;

/** Java's Double.parseDouble for decimal text (surrounding blanks, a trailing d/f, NaN, Infinity); undefined where it would throw. */
export function parseJavaDouble(text: string): number | undefined {
  const trimmed = text.trim();
  return JAVA_DOUBLE.test(trimmed) ? Number(trimmed.replace(/[dDfF]$/, '')) : undefined;
}

/** Java's Float.toString: as javaDoubleText, with the shortest digits that read back as the same float. */
export function javaFloatText(value: number): string {
  if (!Number.isFinite(value) || value === 0) return javaDoubleText(value);
  for (let digits = 1; digits <= 9; digits++) {
    const shortest = Number(value.toPrecision(digits));
    if (Math.fround(shortest) === value) return javaDoubleText(shortest);
  }
  return javaDoubleText(value);
}
