import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import type { DiffDto, RevisionDto, RevisionPage } from '@concord/contracts';
import { CurrentUser, Principal } from '@concord/api/platform';
import { HistoryService } from './history.service';

class ProposalParam {
  @IsUUID('all', { message: 'id must be a proposal id (a UUID)' })
  id!: string;
}

class RevisionParam extends ProposalParam {
  @Type(() => Number)
  @IsInt({ message: 'revision must be a whole number' })
  @Min(0)
  revision!: number;
}

class TimelineQuery {
  @ApiPropertyOptional({ description: 'Revisions after this one', default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  after?: number;

  @ApiPropertyOptional({ default: 50, maximum: 1000 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
}

class DiffQuery {
  @ApiProperty()
  @Type(() => Number)
  @IsInt({ message: 'from must be a whole number' })
  @Min(0)
  from!: number;

  @ApiProperty()
  @Type(() => Number)
  @IsInt({ message: 'to must be a whole number' })
  @Min(0)
  to!: number;
}

class RestoreDto {
  @ApiProperty()
  @IsInt({ message: 'revision must be a whole number' })
  @Min(0)
  revision!: number;
}

/** Revision history of a proposal's text (ARCHITECTURE §6, §7). */
@ApiTags('history')
@ApiBearerAuth()
@Controller('proposals/:id')
export class HistoryController {
  constructor(private readonly history: HistoryService) {}

  @Get('revisions')
  timeline(@Param() { id }: ProposalParam, @Query() query: TimelineQuery, @CurrentUser() principal: Principal): Promise<RevisionPage> {
    return this.history.timeline(id, principal, query.after, query.limit);
  }

  @Get('revisions/:revision')
  revision(@Param() { id, revision }: RevisionParam, @CurrentUser() principal: Principal): Promise<RevisionDto> {
    return this.history.revision(id, principal, revision);
  }

  @Get('diff')
  diff(@Param() { id }: ProposalParam, @Query() query: DiffQuery, @CurrentUser() principal: Principal): Promise<DiffDto> {
    return this.history.diff(id, principal, query.from, query.to);
  }

  @Post('restore')
  @HttpCode(200)
  restore(@Param() { id }: ProposalParam, @Body() body: RestoreDto, @CurrentUser() principal: Principal) {
    return this.history.restore(id, principal, body.revision);
  }
}
