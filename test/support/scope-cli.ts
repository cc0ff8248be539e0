import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';

export const PROJECT_ROOT = resolve(__dirname, '..', '..');
const SCOPE = join(PROJECT_ROOT, 'bin', 'scope.js');

export interface ScopeResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** The real `scope` command in its own process (ONNX Runtime does not load inside jest's module sandbox); `input` is its stdin. */
export function runScope(args: readonly string[], timeoutMs = 90_000, input?: string): Promise<ScopeResult> {
  return new Promise((done) => {
    const child = execFile(process.execPath, [SCOPE, ...args], { cwd: PROJECT_ROOT, timeout: timeoutMs }, (error, stdout, stderr) => {
      done({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
    if (input !== undefined) child.stdin?.end(input);
  });
}
