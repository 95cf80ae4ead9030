import { Module } from '@nestjs/common';
import { PlatformModule } from '@concord/api/platform';
import { IdentityModule } from '@concord/api/identity';
import { DraftingModule } from '@concord/api/drafting';
import { CollabModule } from '@concord/api/collab';
import { HistoryModule } from '@concord/api/history';
import { ReviewModule } from '@concord/api/review';
import { DeliverableModule } from '@concord/api/deliverable';
import { AuditModule } from '@concord/api/audit';
import { DemoModule } from '@concord/api/demo';
import { WebhooksModule } from '@concord/api/webhooks';
import { NotificationsModule } from '@concord/api/notifications';
import { HealthController } from './health.controller';

@Module({
  imports: [PlatformModule, IdentityModule, DraftingModule, CollabModule, HistoryModule, ReviewModule, DeliverableModule, AuditModule, NotificationsModule, DemoModule, WebhooksModule],
  controllers: [HealthController],
})
export class AppModule {}
