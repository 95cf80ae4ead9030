import { Module, OnModuleInit } from '@nestjs/common';
import { ProjectionRegistry } from '@concord/api/platform';
import { AuditController } from './audit.controller';
import { auditProjection } from './audit.projection';
import { AuditService } from './audit.service';
import { CheckpointSigner } from './checkpoint-signer';

/** The event log for auditors: filtered queries, hash-chain verification, signed checkpoints. */
@Module({
  controllers: [AuditController],
  providers: [AuditService, CheckpointSigner],
  exports: [CheckpointSigner],
})
export class AuditModule implements OnModuleInit {
  constructor(private readonly projections: ProjectionRegistry) {}

  onModuleInit(): void {
    this.projections.register(auditProjection);
  }
}
