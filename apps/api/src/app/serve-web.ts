import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Where the built web app is: WEB_ROOT, else next to the API bundle, else the workspace dist. */
export function findWebRoot(configured: string | undefined): string | undefined {
  const candidates = [configured, join(__dirname, '../web/browser'), resolve('dist/apps/web/browser')];
  return candidates.find((dir): dir is string => Boolean(dir) && existsSync(join(dir as string, 'index.html')));
}

/** Serves the SPA at `/` on the API's origin; client routes fall back to index.html. */
export function serveWebApp(app: NestExpressApplication, webRoot: string): void {
  app.useStaticAssets(webRoot, { index: false, maxAge: '1h' });
  const indexHtml = join(webRoot, 'index.html');
  app.use((request: Request, response: Response, next: NextFunction) => {
    const isAppRoute =
      request.method === 'GET' && !request.path.startsWith('/api') && !request.path.startsWith('/collab') && !request.path.includes('.');
    if (!isAppRoute) return next();
    response.setHeader('Cache-Control', 'no-cache');
    response.sendFile(indexHtml);
  });
}
