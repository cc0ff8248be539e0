import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { estimateDuration, FieldOfViewRequiredError, iterateEvents, summarizePlan, toUseqEventJson, validatePlan } from '.';

/**
 * Every case of the useq-schema conformance file: our events equal useq's field by field, and our duration
 * estimate equals useq's (null where useq cannot estimate, i.e. raised).
 */
interface ConformanceCase {
  readonly name: string;
  readonly plan: unknown;
  readonly events: ReadonlyArray<Record<string, unknown>>;
  readonly estimated_duration_s: number | null;
}

const PROJECT_ROOT = path.resolve(__dirname, '..', '..', '..');
const CONFORMANCE_FILE = path.resolve(PROJECT_ROOT, '..', 'shared', 'data', 'useq', 'conformance.jsonl');
const cases: ConformanceCase[] = readFileSync(CONFORMANCE_FILE, 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line) as ConformanceCase);

const POSITION_TOLERANCE_UM = 1e-6;
const TIME_TOLERANCE_S = 1e-9;
const NUMERIC_TOLERANCE: Readonly<Record<string, number>> = {
  x_pos: POSITION_TOLERANCE_UM,
  y_pos: POSITION_TOLERANCE_UM,
  z_pos: POSITION_TOLERANCE_UM,
  min_start_time: TIME_TOLERANCE_S,
  exposure: 0,
};
const USEQ_EVENT_FIELDS = [
  'index',
  'channel',
  'exposure',
  'x_pos',
  'y_pos',
  'z_pos',
  'min_start_time',
  'pos_name',
  'keep_shutter_open',
  'reset_event_timer',
  'action',
];

/** Differences between one of our events (useq JSON form) and useq's, as readable lines. */
function eventDifferences(actual: Record<string, unknown>, expected: Record<string, unknown>): string[] {
  const differences: string[] = [];
  const fields = new Set([...USEQ_EVENT_FIELDS, ...Object.keys(actual), ...Object.keys(expected)]);
  for (const field of fields) {
    // useq writes null for an absent value; absent and null mean the same ("leave as it is").
    const a = actual[field] ?? null;
    const e = expected[field] ?? null;
    const tolerance = NUMERIC_TOLERANCE[field];
    if (tolerance !== undefined && typeof a === 'number' && typeof e === 'number') {
      if (Math.abs(a - e) > tolerance) differences.push(`${field}: ${a} != ${e}`);
    } else if (JSON.stringify(a) !== JSON.stringify(e)) {
      differences.push(`${field}: ${JSON.stringify(a)} != ${JSON.stringify(e)}`);
    }
  }
  return differences;
}

describe('useq-schema conformance: events', () => {
  it('has the 62 cases of the conformance file', () => {
    expect(cases).toHaveLength(62);
  });

  for (const testCase of cases) {
    it(testCase.name, () => {
      const sequence = validatePlan(testCase.plan);
      const events = [...iterateEvents(sequence)];
      const mismatches = events
        .map(toUseqEventJson)
        .map((event, i) => ({
          i,
          differences: i < testCase.events.length ? eventDifferences({ ...event }, testCase.events[i]) : ['extra event'],
        }))
        .filter((m) => m.differences.length > 0)
        .map((m) => `event ${m.i}: ${m.differences.join('; ')}`);
      expect(mismatches).toEqual([]);
      expect(events).toHaveLength(testCase.events.length);
      for (const event of events) {
        expect(Object.isFrozen(event)).toBe(true);
        expect(Object.isFrozen(event.index)).toBe(true);
      }
      const framesExpected = testCase.events.filter((e) => (e.action as { type: string }).type === 'acquire_image').length;
      expect(summarizePlan(sequence).totalFrames).toBe(framesExpected);
    });
  }
});

describe('useq-schema conformance: duration estimate', () => {
  for (const testCase of cases) {
    it(testCase.name, () => {
      const sequence = validatePlan(testCase.plan);
      const expected = testCase.estimated_duration_s;
      if (expected === null) {
        expect(() => estimateDuration(sequence)).toThrow(FieldOfViewRequiredError);
        expect(summarizePlan(sequence).estimatedDurationS).toBeNull();
      } else {
        expect(estimateDuration(sequence).totalDurationS).toBeCloseTo(expected, 9);
        expect(summarizePlan(sequence).estimatedDurationS).toBeCloseTo(expected, 9);
      }
    });
  }
});
