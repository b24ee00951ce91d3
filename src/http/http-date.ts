/**
 * HTTP-date parsing (RFC 9110 section 5.6.7) without `Date.parse`, which reads the obsolete
 * asctime form in local time and accepts almost anything ("1", "2024", "Foo 12").
 */

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAY = '(?:mon|tue|wed|thu|fri|sat|sun)';
const LONG_DAY = '(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)';
const MONTH = '(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)';
const TIME = '(\\d{2}):(\\d{2}):(\\d{2})';

/** `Sun, 06 Nov 1994 08:49:37 GMT`, the form every sender must use. */
const IMF_FIXDATE = new RegExp(`^${DAY}, (\\d{2}) ${MONTH} (\\d{4}) ${TIME} GMT$`, 'i');
/** `Sunday, 06-Nov-94 08:49:37 GMT`, obsolete but still to be accepted. */
const RFC_850 = new RegExp(`^${LONG_DAY}, (\\d{2})-${MONTH}-(\\d{2}) ${TIME} GMT$`, 'i');
/** `Sun Nov  6 08:49:37 1994` (C's asctime), obsolete, always UTC. */
const ASCTIME = new RegExp(`^${DAY} ${MONTH} ([ \\d]\\d) ${TIME} (\\d{4})$`, 'i');

/**
 * @internal Milliseconds since the epoch of an HTTP-date in any of its three forms, or null when
 * the text is not one (or names an impossible date such as 31 Feb).
 */
export function parseHttpDate(text: string, nowMs = Date.now()): number | null {
  const value = text.trim();
  const imf = IMF_FIXDATE.exec(value);
  if (imf !== null) return utc(Number(imf[3]), imf[2]!, imf[1]!, imf.slice(4, 7));

  const rfc850 = RFC_850.exec(value);
  if (rfc850 !== null) {
    const year = fourDigitYear(Number(rfc850[3]), nowMs);
    return utc(year, rfc850[2]!, rfc850[1]!, rfc850.slice(4, 7));
  }

  const asctime = ASCTIME.exec(value);
  if (asctime !== null)
    return utc(Number(asctime[6]), asctime[1]!, asctime[2]!, asctime.slice(3, 6));

  return null;
}

/**
 * RFC 9110 5.6.7: a two-digit year that would land more than 50 years in the future means the
 * most recent past year with those two last digits.
 */
function fourDigitYear(twoDigits: number, nowMs: number): number {
  const thisYear = new Date(nowMs).getUTCFullYear();
  const year = Math.floor(thisYear / 100) * 100 + twoDigits;

  return year > thisYear + 50 ? year - 100 : year;
}

function utc(year: number, monthName: string, dayText: string, time: string[]): number | null {
  const month = MONTHS.indexOf(monthName.toLowerCase());
  const day = Number(dayText.trim());
  const [hours, minutes, seconds] = time.map(Number) as [number, number, number];
  // 60 seconds is a leap second; Date.UTC rolls it into the next minute, which is close enough.
  if (hours > 23 || minutes > 59 || seconds > 60 || day < 1) return null;

  // Date.UTC rolls 31 Feb into March; a day that does not survive the round trip is junk.
  if (new Date(Date.UTC(year, month, day)).getUTCDate() !== day) return null;

  return Date.UTC(year, month, day, hours, minutes, seconds);
}
