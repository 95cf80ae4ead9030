import { Module, OnModuleInit } from '@nestjs/common';
import { ProjectionRegistry } from '@concord/api/platform';
import { AuditController } from './audit.controller';
import { auditProjection } from './audit.projection';
import { AuditService } from './audit.service';

/** The event log for auditors: filtered queries and hash-chain verification. */
@Module({
  controllers: [AuditController],
  providers: [AuditService],
})
export class AuditModule implements OnModuleInit {
  constructor(private readonly projections: ProjectionRegistry) {}

  onModuleInit(): void {
    this.projections.register(auditProjection);
  }
}
