import { execFile } from 'node:child_process';
import { resolve } from 'node:path';

const PROJECT_ROOT = resolve(__dirname, '..', '..', '..', '..');

/**
 * Runs a TypeScript script in a plain Node child process and returns the JSON its last stdout line holds. Tests
 * use it where Jest's sandbox gets in the way: ONNX Runtime's native outputs are typed arrays of the main realm,
 * which onnxruntime-common loaded inside the sandbox rejects, and simulations run ~20× slower under Jest's vm.
 */
export function runTsChild<T>(script: string, args: readonly string[] = [], timeoutMs = 120_000): Promise<T> {
  return new Promise((resolvePromise, reject) => {
    execFile(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', resolve(__dirname, script), ...args],
      { cwd: PROJECT_ROOT, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, TS_NODE_PROJECT: resolve(PROJECT_ROOT, 'tsconfig.json'), TS_NODE_TRANSPILE_ONLY: 'true' } },
      (err, stdout, stderr) => {
        if (err) {
          reject(new Error(`${script} failed: ${err.message}\n${stderr}`));
          return;
        }
        const lines = stdout.trim().split('\n');
        try {
          resolvePromise(JSON.parse(lines[lines.length - 1]) as T);
        } catch {
          reject(new Error(`${script} printed no JSON result: ${stdout.slice(-500)}\n${stderr.slice(-500)}`));
        }
      },
    );
  });
}
