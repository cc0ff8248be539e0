import { mkdtempSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseXml } from '../src/acquisition/storage/ome-xml/parse-xml';
import { writeExampleEvaluation } from './support/agent-evaluation';
import { simulatedAppPerSuite } from './support/start-app';

describe('the latest agent evaluation in the service (api/agent/evaluation)', () => {
  const evaluationDir = mkdtempSync(join(tmpdir(), 'scope-agent-evaluation-'));
  const running = simulatedAppPerSuite('scope-agent-evaluation-data-', {
    simulation: { cameraWidthPx: 64, cameraHeightPx: 48 },
    agent: { evaluationDir },
  });
  afterAll(() => rm(evaluationDir, { recursive: true, force: true }));

  it('answers 404 saying how to make one while the bench has written none', async () => {
    const table = await fetch(`${running.url}/api/agent/evaluation`);
    expect(table.status).toBe(404);
    expect(((await table.json()) as { message: string }).message).toMatch(/no agent evaluation yet .*run npm run bench -- agent/);
    expect((await fetch(`${running.url}/api/agent/evaluation.svg`)).status).toBe(404);
  });

  it("serves the bench's table and its SVG plot once written, and refuses a file that is not one", async () => {
    await writeExampleEvaluation(evaluationDir);

    const table = await fetch(`${running.url}/api/agent/evaluation`);
    expect(table.status).toBe(200);
    const body = (await table.json()) as {
      policies: Array<{ policy: string; metrics: Record<string, { mean: number | null }> }>;
      verdicts: Array<{ against: string; meets: boolean }>;
    };
    expect(body.policies.map((p) => p.policy)).toEqual([
      'fixed-high',
      'fixed-low',
      'fixed-low-care',
      'event-driven',
      'event-driven-tracked',
      'agent',
    ]);
    // a metric a policy has not (no detector) comes back as null, not as a string or a number
    expect(body.policies[0].metrics.mitosesDetected.mean).toBeNull();
    expect(body.verdicts.map((v) => [v.against, v.meets])).toEqual([
      ['fixed-high', true],
      ['fixed-low', true],
      ['fixed-low-care', true],
      ['event-driven', true],
      ['event-driven-tracked', true],
    ]);

    const plot = await fetch(`${running.url}/api/agent/evaluation.svg`);
    expect(plot.status).toBe(200);
    expect(plot.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
    const svg = parseXml(await plot.text());
    expect(svg.children.filter((g) => g.attributes.class === 'policy')).toHaveLength(6);

    await writeFile(join(evaluationDir, 'agent-evaluation.json'), '{"bench": "other"');
    const broken = await fetch(`${running.url}/api/agent/evaluation`);
    expect(broken.status).toBe(404);
    expect(((await broken.json()) as { message: string }).message).toMatch(/is not valid JSON/);
  });
});
