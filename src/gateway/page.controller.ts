import { Controller, Get, Header, NotFoundException, Param, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ServerResponse } from 'node:http';
import { WEB_BUNDLE_DIR } from './web/bundle-location';

const PAGE = join(__dirname, 'web', 'index.html');
const ASSET_TYPES: Record<string, string> = { 'app.js': 'text/javascript; charset=utf-8', 'app.css': 'text/css; charset=utf-8' };

/** The dashboard: one HTML page and its bundled script and style (built by `npm run build:web`). */
@ApiExcludeController()
@Controller()
export class PageController {
  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  page(): string {
    return readFileSync(PAGE, 'utf8');
  }

  @Get('assets/:file')
  asset(@Param('file') file: string, @Res() res: ServerResponse): void {
    const type = ASSET_TYPES[file];
    if (!type) throw new NotFoundException(`no asset ${file}`);
    const path = join(WEB_BUNDLE_DIR, file);
    if (!existsSync(path)) throw new ServiceUnavailableException(`the dashboard is not built (${path} missing): run npm run build:web`);
    res.setHeader('Content-Type', type);
    res.setHeader('Cache-Control', 'no-store');
    res.end(readFileSync(path));
  }
}
