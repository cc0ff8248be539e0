import { POLICIES } from '../../bench/support/agent-policies';
import type { RunOutcome } from '../../bench/support/agent-run';
import { evaluationOf, policyResult, writeEvaluation, type AgentEvaluation } from '../../bench/support/agent-table';

/** A bench result without running the bench: every policy the same outcome, the agent imaging more mitoses fast. */
function outcome(policy: string, seed: number): RunOutcome {
  const agent = policy === 'agent';
  return {
    dose: agent ? 60 : 36.6,
    cellsAlive: 20 + seed,
    mitosesOccurred: 7,
    mitosesImagedFast: agent ? 5 + seed : 0,
    mitosesDetected: agent ? 6 : Number.NaN,
    falseFires: agent ? 3 : Number.NaN,
    mitosesCaptured: 6,
    ssim: 0.89,
    ssimEvents: 0.88 + 0.001 * seed,
    ssimRaw: 0.9,
    frames: 61,
    framesInEvents: 40,
  };
}

/** Writes what `npm run bench -- agent --seeds 3 --out <dir>` would, from made-up outcomes, through the bench's writer. */
export async function writeExampleEvaluation(dir: string): Promise<AgentEvaluation> {
  const seeds = [1, 2, 3];
  const results = POLICIES.map((p) =>
    policyResult(
      p,
      p.care ? 'care-default' : 'none',
      seeds.map((s) => outcome(p.name, s)),
      1,
    ),
  );
  const evaluation = evaluationOf(results, { seeds, durationS: 7200, fastGapS: 90, wallS: 5 });
  await writeEvaluation(evaluation, dir);
  return evaluation;
}
