/** The files `npm run bench -- agent` writes into agent.evaluationDir and the service serves at api/agent/evaluation. */
export const EVALUATION_FILES = { json: 'agent-evaluation.json', svg: 'agent-evaluation.svg' } as const;
