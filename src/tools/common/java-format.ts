/**
 * `String.format("%.Nf", x)` as Java prints it: the shortest decimal that reads back as `x`
 * (Double.toString's digits), rounded HALF_UP to `digits` places. JS's toFixed rounds the exact
 * binary value instead, so 1.005 would print as 1.00 where Java prints 1.01.
 */
export function javaFixed(x: number, digits: number): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'NaN' : x > 0 ? 'Infinity' : '-Infinity';
  const negative = x < 0 || Object.is(x, -0);
  const [mantissa, exponentText] = Math.abs(x).toExponential().split('e') as [string, string];
  const exponent = Number(exponentText);
  const allDigits = mantissa.replace('.', '');
  // The decimal point sits after `pointAt` digits of allDigits (which may need zero padding).
  const pointAt = exponent + 1;
  const padded = pointAt <= 0 ? '0'.repeat(1 - pointAt) + allDigits : allDigits.padEnd(pointAt, '0');
  const intLength = Math.max(1, pointAt);
  const kept = padded.slice(0, intLength + digits).padEnd(intLength + digits, '0');
  const roundUp = (padded[intLength + digits] ?? '0') >= '5';
  const text = (BigInt(kept) + (roundUp ? 1n : 0n)).toString().padStart(intLength + digits, '0');
  const whole = text.slice(0, text.length - digits) || '0';
  const fraction = text.slice(text.length - digits);
  const body = digits > 0 ? `${whole}.${fraction}` : whole;
  return negative ? `-${body}` : body;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/**
 * java.text.SimpleDateFormat for the pattern letters tools use (G y M d H h k K m s S E a z Z X,
 * quoted text with ''), in the local time zone. Letters Java does not know are an error.
 */
export function simpleDateFormat(pattern: string): (epochMs: number) => string {
  const parts = parsePattern(pattern);
  return (epochMs) => {
    const d = new Date(epochMs);
    return parts.map((p) => (typeof p === 'string' ? p : field(p.letter, p.count, d))).join('');
  };
}

type Part = string | { letter: string; count: number };

const LETTERS = 'GyMdHhkKmsSEazZX';

function parsePattern(pattern: string): Part[] {
  const parts: Part[] = [];
  for (let i = 0; i < pattern.length; ) {
    const c = pattern[i]!;
    if (c === "'") {
      // '' is a quote; otherwise quoted text runs to the next lone quote, with '' inside it a quote too.
      if (pattern[i + 1] === "'") {
        parts.push("'");
        i += 2;
        continue;
      }
      let text = '';
      for (i++; ; i++) {
        if (i >= pattern.length) throw new Error(`Unterminated quote in date format '${pattern}'`);
        if (pattern[i] !== "'") text += pattern[i];
        else if (pattern[i + 1] === "'") (text += "'"), i++;
        else break;
      }
      parts.push(text);
      i++;
    } else if (/[A-Za-z]/.test(c)) {
      if (!LETTERS.includes(c)) throw new Error(`Illegal pattern character '${c}'`);
      let count = 1;
      while (pattern[i + count] === c) count++;
      parts.push({ letter: c, count });
      i += count;
    } else {
      parts.push(c);
      i++;
    }
  }
  return parts;
}

function field(letter: string, count: number, d: Date): string {
  const pad = (n: number) => String(n).padStart(count, '0');
  const hours = d.getHours();
  switch (letter) {
    case 'G':
      return d.getFullYear() > 0 ? 'AD' : 'BC';
    case 'y':
      return count === 2 ? String(d.getFullYear() % 100).padStart(2, '0') : pad(d.getFullYear());
    case 'M':
      if (count >= 4) return MONTHS[d.getMonth()]!;
      if (count === 3) return MONTHS[d.getMonth()]!.slice(0, 3);
      return pad(d.getMonth() + 1);
    case 'd':
      return pad(d.getDate());
    case 'H':
      return pad(hours);
    case 'k':
      return pad(hours === 0 ? 24 : hours);
    case 'K':
      return pad(hours % 12);
    case 'h':
      return pad(hours % 12 === 0 ? 12 : hours % 12);
    case 'm':
      return pad(d.getMinutes());
    case 's':
      return pad(d.getSeconds());
    case 'S':
      return pad(d.getMilliseconds());
    case 'E':
      return count >= 4 ? DAYS[d.getDay()]! : DAYS[d.getDay()]!.slice(0, 3);
    case 'a':
      return hours < 12 ? 'AM' : 'PM';
    case 'z':
      return shortZoneName(d);
    case 'Z':
      return zone(d, '');
    default: {
      // X: ISO 8601 zone, Z for UTC.
      if (d.getTimezoneOffset() === 0) return 'Z';
      const z = zone(d, count >= 3 ? ':' : '');
      return count === 1 ? z.slice(0, 3) : z;
    }
  }
}

/** The zone's short name as Java prints it for common zones (UTC, CET, EST ...), else `GMT+hh:mm`. */
function shortZoneName(d: Date): string {
  const name = new Intl.DateTimeFormat('en-US', { timeZoneName: 'short' }).formatToParts(d).find((p) => p.type === 'timeZoneName')?.value;
  return name !== undefined && !name.startsWith('GMT') ? name : `GMT${zone(d, ':')}`;
}

function zone(d: Date, separator: string): string {
  const offset = -d.getTimezoneOffset();
  const abs = Math.abs(offset);
  return `${offset < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}${separator}${String(abs % 60).padStart(2, '0')}`;
}
