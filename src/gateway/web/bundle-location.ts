import { join } from 'node:path';

/** Where `npm run build:web` writes the dashboard's script and style (git-ignored build output). */
export const WEB_BUNDLE_DIR = join(__dirname, '..', '..', '..', 'dist', 'web');
