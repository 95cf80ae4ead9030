import { NestFactory } from '@nestjs/core';
import { ReadModels, rootLogger } from '@concord/api/platform';
import { ContentHashTracker } from '@concord/api/collab';
import { AppModule } from './app/app.module';

/**
 * `npm run rebuild-projections`: drops every read model and replays the whole log into it.
 * Run it with the API stopped (it rewrites the tables the API reads).
 */
async function rebuild(): Promise<void> {
  const app = await NestFactory.createApplicationContext(AppModule, { logger: ['error', 'warn'] });
  const started = Date.now();
  const readModels = app.get(ReadModels);
  await readModels.rebuild();
  const tracker = app.get(ContentHashTracker);
  await tracker.refreshAll();
  rootLogger.info({ position: readModels.position, ms: Date.now() - started }, 'read models rebuilt from the log');
  await app.close();
}

rebuild().catch((error) => {
  rootLogger.fatal({ err: error }, 'rebuilding the read models failed');
  process.exit(1);
});
