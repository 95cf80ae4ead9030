import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { CollabServer } from '@concord/collab';
import { applyHttpHardening, CONCORD_CONFIG, ConcordConfig, PinoNestLogger, rootLogger } from '@concord/api/platform';
import { COLLAB_SERVER } from '@concord/api/collab';
import { DEMO_PASSWORD, DEMO_USERS, DemoSeeder } from '@concord/api/demo';
import { SuggestionTracker } from '@concord/api/review';
import { AppModule } from './app/app.module';
import { findWebRoot, serveWebApp } from './app/serve-web';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule, { logger: new PinoNestLogger(), bufferLogs: true });
  const config = app.get<ConcordConfig>(CONCORD_CONFIG);
  app.setGlobalPrefix('api');
  app.enableShutdownHooks();
  applyHttpHardening(app, config);

  if (config.apiDocs) {
    const openApi = new DocumentBuilder()
      .setTitle('Concord API')
      .setDescription('Event-sourced co-drafting of ISCM input to the Global Compact for Migration')
      .addBearerAuth()
      .build();
    SwaggerModule.setup('api/docs', app, () => SwaggerModule.createDocument(app, openApi));
  }

  const webRoot = findWebRoot(config.webRoot);
  if (webRoot) serveWebApp(app, webRoot);
  else rootLogger.warn('the web app is not built (nx build web): serving the API only');

  await app.init();
  app.get<CollabServer>(COLLAB_SERVER).attach(app.getHttpServer());
  if (config.demo) {
    await app.get(DemoSeeder).seed();
    // The demo's suggestions are in the log as events before anyone is served.
    await app.get(SuggestionTracker).catchUp();
  }
  await app.listen(config.port, process.env['HOST'] ?? '0.0.0.0');

  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://localhost:${port}`;
  rootLogger.info({ url, eventStore: config.eventStore, dataDir: config.dataDir, nodeId: config.nodeId }, 'Concord is listening');
  // The one human-facing banner: where to go and, for the demo, how to sign in.
  const lines = [`Concord is running at ${url}  (API ${url}/api${config.apiDocs ? `, OpenAPI ${url}/api/docs` : ''})`];
  if (config.demo) {
    lines.push(`Demo sign-ins (password "${DEMO_PASSWORD}"):`, ...DEMO_USERS.map((u) => `  ${u.email.padEnd(24)} ${u.roles.join(', ')}`));
  }
  process.stdout.write(lines.join('\n') + '\n');
}

bootstrap().catch((error) => {
  rootLogger.fatal({ err: error }, 'Concord could not start');
  process.exit(1);
});
