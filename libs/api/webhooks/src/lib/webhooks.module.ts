import { Inject, Module, OnModuleInit } from '@nestjs/common';
import { CONCORD_CONFIG, ConcordConfig, ProjectionRegistry, READ_MODEL_DATABASE, ReadModelDatabase } from '@concord/api/platform';
import { WEBHOOK_CONFIG, webhookConfigFromEnv } from './webhook-config';
import { WebhookDispatcher } from './webhook-dispatcher.service';
import { WebhooksController } from './webhooks.controller';
import { webhooksProjection } from './webhooks.projection';
import { Webhooks } from './webhooks.service';

/**
 * Webhooks per workspace (issue 14 §5): registered in the workspace's stream, their deliveries
 * derived from the log by the `webhooks` projection, sent by a dispatcher on every node.
 */
@Module({
  controllers: [WebhooksController],
  providers: [
    {
      provide: WEBHOOK_CONFIG,
      inject: [CONCORD_CONFIG],
      useFactory: (config: ConcordConfig) => webhookConfigFromEnv(process.env, config.jwtSecret, config.nodeId),
    },
    Webhooks,
    WebhookDispatcher,
  ],
})
export class WebhooksModule implements OnModuleInit {
  constructor(
    private readonly projections: ProjectionRegistry,
    @Inject(READ_MODEL_DATABASE) private readonly db: ReadModelDatabase,
  ) {}

  onModuleInit(): void {
    this.projections.register(webhooksProjection(this.db.dialect));
  }
}
