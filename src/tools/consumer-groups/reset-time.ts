import { UsageError } from '../../util/errors.js';

const DATE_TIME = /^(\d{4})-(\d{1,2})-(\d{1,2})T(\d{1,2}):(\d{1,2}):(\d{1,2})\.(\d{1,3})(Z|[+-]\d{2}(?::?\d{2})?)$/;

/**
 * `--to-datetime` as Kafka's Utils.getDateTime reads it: `YYYY-MM-DDTHH:mm:SS.sss` with an
 * optional `Z`, `±hh`, `±hhmm` or `±hh:mm` zone (none means UTC), every field range-checked as
 * a strict SimpleDateFormat does. The `.sss` part counts milliseconds, so `.5` is 5 ms.
 */
export function parseDateTime(text: string): number {
  const [, timePart] = text.split('T');
  if (timePart === undefined) {
    throw new UsageError("Error: Error parsing timestamp. It does not contain a 'T' according to ISO8601 format");
  }
  const zoned = /[+\-Z]/.test(timePart) ? text : `${text}Z`;
  const m = DATE_TIME.exec(zoned);
  const unparseable = () => new UsageError(`Error: Unparseable date: "${text}" (expected YYYY-MM-DDTHH:mm:SS.sss[Z|±hh:mm])`);
  if (m === null) throw unparseable();
  const [year, month, day, hour, minute, second, millis] = m.slice(1, 8).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const zone = m[8]!;
  const offsetMinutes = zone === 'Z' ? 0 : zoneMinutes(zone);
  const valid =
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(year, month) &&
    hour <= 23 &&
    minute <= 59 &&
    second <= 59 &&
    offsetMinutes !== undefined;
  if (!valid) throw unparseable();
  const date = new Date(Date.UTC(2000, month - 1, day, hour, minute, second, millis));
  date.setUTCFullYear(year);
  return date.getTime() - offsetMinutes * 60_000;
}

function zoneMinutes(zone: string): number | undefined {
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2)) : 0;
  if (hours > 23 || minutes > 59) return undefined;
  return (zone.startsWith('-') ? -1 : 1) * (hours * 60 + minutes);
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeap(year) ? 29 : DAYS_IN_MONTH[month - 1]!;
}

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** java.time.Duration.parse's grammar: `PnDTnHnMn.nS`, signs allowed on the whole and on each part. */
const DURATION = /^([-+]?)P(?:([-+]?\d+)D)?(T(?:([-+]?\d+)H)?(?:([-+]?\d+)M)?(?:([-+]?\d+)(?:[.,](\d{0,9}))?S)?)?$/i;

/** `--by-duration`: an ISO-8601 duration in milliseconds (fractions below a millisecond dropped). */
export function parseDuration(text: string): number {
  const m = DURATION.exec(text);
  const [, sign, days, timeSection, hours, minutes, seconds, fraction] = m ?? [];
  const hasTimeField = hours !== undefined || minutes !== undefined || seconds !== undefined;
  if (m === null || (days === undefined && timeSection === undefined) || (timeSection !== undefined && !hasTimeField)) {
    throw new UsageError(`Error: Text cannot be parsed to a Duration: '${text}' (expected PnDTnHnMnS, e.g. PT1H30M)`);
  }
  const secondsValue = Number(seconds ?? 0);
  const fractionMs = Number((fraction ?? '').padEnd(3, '0').slice(0, 3));
  const secondsMs = secondsValue * 1000 + (seconds?.startsWith('-') ? -fractionMs : fractionMs);
  const total = Number(days ?? 0) * 86_400_000 + Number(hours ?? 0) * 3_600_000 + Number(minutes ?? 0) * 60_000 + secondsMs;
  if (!Number.isSafeInteger(total)) throw new UsageError(`Error: Duration '${text}' is too long`);
  return sign === '-' ? -total : total;
}
