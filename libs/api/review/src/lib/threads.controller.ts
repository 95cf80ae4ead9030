import { Body, Controller, Get, HttpCode, NotFoundException, Param, Post, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import type { MentionableMemberDto, ThreadDto } from '@concord/contracts';
import { CurrentUser, Principal } from '@concord/api/platform';
import { ProposalIdParam } from '@concord/api/drafting';
import { ActOnThreadCommand, ThreadAction } from './thread.commands';
import { ThreadQueries } from './thread-queries.service';
import { OpenThreadDto, ReplyToThreadDto, ThreadListQuery, ThreadParams } from './thread.dto';

/** Comment threads anchored to words of a proposal's text. */
@ApiTags('threads')
@ApiBearerAuth()
@Controller('proposals/:id')
export class ThreadsController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly queries: ThreadQueries,
  ) {}

  @Get('threads')
  list(@Param() { id }: ProposalIdParam, @Query() query: ThreadListQuery, @CurrentUser() principal: Principal): Promise<ThreadDto[]> {
    return this.queries.list(id, principal, query.atRevision);
  }

  @Get('mentionable')
  mentionable(@Param() { id }: ProposalIdParam, @CurrentUser() principal: Principal): Promise<MentionableMemberDto[]> {
    return this.queries.mentionable(id, principal);
  }

  @Post('threads')
  open(@Param() { id }: ProposalIdParam, @Body() body: OpenThreadDto, @CurrentUser() principal: Principal): Promise<ThreadDto> {
    const threadId = randomUUID();
    return this.act(id, threadId, principal, {
      type: 'OpenThread',
      threadId,
      anchor: { from: body.anchor.from, to: body.anchor.to },
      quote: body.quote,
      body: body.body,
      mentions: body.mentions ?? [],
    });
  }

  @Post('threads/:threadId/replies')
  reply(@Param() { id, threadId }: ThreadParams, @Body() body: ReplyToThreadDto, @CurrentUser() principal: Principal): Promise<ThreadDto> {
    return this.act(id, threadId, principal, { type: 'ReplyToThread', threadId, replyId: randomUUID(), body: body.body, mentions: body.mentions ?? [] });
  }

  @Post('threads/:threadId/resolve')
  @HttpCode(200)
  resolve(@Param() { id, threadId }: ThreadParams, @CurrentUser() principal: Principal): Promise<ThreadDto> {
    return this.act(id, threadId, principal, { type: 'ResolveThread', threadId });
  }

  @Post('threads/:threadId/reopen')
  @HttpCode(200)
  reopen(@Param() { id, threadId }: ThreadParams, @CurrentUser() principal: Principal): Promise<ThreadDto> {
    return this.act(id, threadId, principal, { type: 'ReopenThread', threadId });
  }

  private async act(proposalId: string, threadId: string, principal: Principal, action: ThreadAction): Promise<ThreadDto> {
    await this.commandBus.execute(new ActOnThreadCommand(proposalId, principal, action));
    const thread = await this.queries.one(proposalId, threadId, principal);
    if (!thread) throw new NotFoundException(`There is no thread ${threadId} on proposal ${proposalId}`);
    return thread;
  }
}
