import { build } from 'esbuild';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WEB_BUNDLE_DIR } from './bundle-location';

/** Served as one app.css, in this order. */
const STYLESHEETS = ['app.css', 'panels.css'];

/** Bundles the dashboard (TypeScript + socket.io-client from node_modules) into dist/web; nothing comes from a CDN. */
export async function buildWebBundle(outDir: string = WEB_BUNDLE_DIR): Promise<void> {
  mkdirSync(outDir, { recursive: true });
  await build({
    entryPoints: [join(__dirname, 'main.ts')],
    bundle: true,
    outfile: join(outDir, 'app.js'),
    format: 'iife',
    platform: 'browser',
    target: ['es2022'],
    minify: true,
    sourcemap: 'inline',
    logLevel: 'warning',
  });
  const styles = STYLESHEETS.map((file) => readFileSync(join(__dirname, file), 'utf8'));
  writeFileSync(join(outDir, 'app.css'), styles.join('\n'));
}

if (require.main === module) {
  buildWebBundle().catch((err: unknown) => {
    process.stderr.write(`dashboard build failed: ${(err as Error).message}\n`);
    process.exit(1);
  });
}
