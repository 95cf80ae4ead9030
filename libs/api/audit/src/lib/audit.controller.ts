import { Controller, Get, Param, ParseIntPipe, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { AuditEventDto, AuditEventPage, ChainVerificationDto, CheckpointDto, CheckpointListDto } from '@concord/contracts';
import { CurrentUser, Principal } from '@concord/api/platform';
import { AuditQueryDto, CheckpointQueryDto } from './audit-query.dto';
import { AuditService } from './audit.service';

@ApiTags('audit')
@ApiBearerAuth()
@Controller('audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get('events')
  events(@CurrentUser() principal: Principal, @Query() query: AuditQueryDto): Promise<AuditEventPage> {
    return this.audit.events(principal, query);
  }

  @Get('events/:position')
  event(@CurrentUser() principal: Principal, @Param('position', ParseIntPipe) position: number): Promise<AuditEventDto> {
    return this.audit.event(principal, position);
  }

  /** Re-checks every hash chain; `?cached=true` returns the last run's result when there is one. */
  @Get('verify')
  @ApiQuery({ name: 'cached', required: false, type: Boolean })
  verify(@CurrentUser() principal: Principal, @Query('cached') cached?: string): Promise<ChainVerificationDto> {
    return this.audit.verify(principal, cached !== 'true');
  }

  /** Signed checkpoints of the whole log, newest first, with the signing public key (PEM). */
  @Get('checkpoints')
  checkpoints(@CurrentUser() principal: Principal, @Query() query: CheckpointQueryDto): Promise<CheckpointListDto> {
    return this.audit.checkpoints(principal, query.limit);
  }

  /** One checkpoint with the stream heads it covers: save it to a file for `npm run verify -- --checkpoint`. */
  @Get('checkpoints/:globalPosition')
  checkpoint(
    @CurrentUser() principal: Principal,
    @Param('globalPosition', ParseIntPipe) globalPosition: number,
  ): Promise<CheckpointDto> {
    return this.audit.checkpoint(principal, globalPosition);
  }
}
