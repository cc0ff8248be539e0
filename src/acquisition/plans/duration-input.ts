/**
 * Reads the duration forms useq-schema accepts for time plans (through pydantic's timedelta) into whole
 * microseconds: a number of seconds, a {seconds, minutes, …} mapping (Python's timedelta keywords), an ISO 8601
 * duration ("PT1.5S"), or Python's own text form ("0:00:01.5", "1 day, 2:03:04").
 */

const MICROS_PER: Readonly<Record<string, number>> = {
  weeks: 7 * 86_400e6,
  days: 86_400e6,
  hours: 3_600e6,
  minutes: 60e6,
  seconds: 1e6,
  milliseconds: 1e3,
  microseconds: 1,
};

const ISO_8601 =
  /^([-+]?)P(?!T?$)(?:(\d+(?:[.,]\d+)?)Y)?(?:(\d+(?:[.,]\d+)?)M)?(?:(\d+(?:[.,]\d+)?)W)?(?:(\d+(?:[.,]\d+)?)D)?(?:T(?=\d)(?:(\d+(?:[.,]\d+)?)H)?(?:(\d+(?:[.,]\d+)?)M)?(?:(\d+(?:[.,]\d+)?)S)?)?$/;
// Python's str(timedelta) and pydantic's text form: "[-][N day[s], ]H:MM:SS[.ffffff]", "HH:MM", "Nd".
const DAYS_PREFIX = /^([-+]?)(\d+)\s*(?:days?|d)(?:,?\s*(.+))?$/;
const CLOCK = /^(?:(\d+):([0-5]\d):([0-5]\d(?:\.\d+)?)|(\d{2,}):([0-5]\d))$/;

export type DurationResult = { readonly ok: true; readonly micros: number } | { readonly ok: false; readonly reason: string };

const fail = (reason: string): DurationResult => ({ ok: false, reason });
const micros = (value: number): DurationResult =>
  Number.isFinite(value) ? { ok: true, micros: Math.round(value) } : fail('must be a finite duration');

export function readDurationMicros(input: unknown): DurationResult {
  if (typeof input === 'number') return micros(input * 1e6);
  if (typeof input === 'string') return readDurationText(input);
  if (input !== null && typeof input === 'object' && !Array.isArray(input)) return readDurationMapping(input);
  return fail('must be seconds, a duration text such as "0:00:01.5" or "PT1.5S", or {"seconds": …}');
}

function readDurationMapping(mapping: object): DurationResult {
  let total = 0;
  for (const [unit, amount] of Object.entries(mapping)) {
    const factor = MICROS_PER[unit];
    if (factor === undefined) return fail(`unknown duration unit "${unit}" (use ${Object.keys(MICROS_PER).join(', ')})`);
    if (typeof amount !== 'number' || !Number.isFinite(amount)) return fail(`"${unit}" must be a number`);
    total += amount * factor;
  }
  return micros(total);
}

// Like pydantic, a bare number in text ("1.5") is refused: seconds are given as a number.
function readDurationText(text: string): DurationResult {
  const iso = ISO_8601.exec(text);
  if (iso) {
    const part = (i: number): number => Number((iso[i] ?? '0').replace(',', '.'));
    const days = part(2) * 365 + part(3) * 30 + part(4) * 7 + part(5);
    const seconds = ((days * 24 + part(6)) * 60 + part(7)) * 60 + part(8);
    return micros((iso[1] === '-' ? -1 : 1) * seconds * 1e6);
  }
  const days = DAYS_PREFIX.exec(text);
  const clockText = days ? days[3] : text;
  const clock = clockText === undefined ? null : CLOCK.exec(clockText);
  if ((days && (clockText === undefined || clock)) || (!days && clock)) {
    const [hours, minutes, seconds] = clock
      ? clock[1] !== undefined
        ? [clock[1], clock[2], clock[3]]
        : [clock[4], clock[5], '0']
      : ['0', '0', '0'];
    const total = ((Number(days?.[2] ?? 0) * 24 + Number(hours)) * 60 + Number(minutes)) * 60 + Number(seconds);
    return micros((days?.[1] === '-' ? -1 : 1) * total * 1e6);
  }
  return fail(`"${text}" is not a duration (use seconds as a number, "H:MM:SS[.ffffff]" or ISO 8601 such as "PT1.5S")`);
}
