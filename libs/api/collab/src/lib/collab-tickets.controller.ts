import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';
import type { CollabTicketRequest, CollabTicketResponse } from '@concord/contracts';
import { CollabTickets, CurrentUser, Principal } from '@concord/api/platform';

class CollabTicketDto implements CollabTicketRequest {
  @ApiPropertyOptional({ description: 'Bind the ticket to this proposal: it opens no other document' })
  @IsOptional()
  @IsUUID('all', { message: 'proposalId must be a proposal id (a UUID)' })
  proposalId?: string;
}

@ApiTags('collab')
@ApiBearerAuth()
@Controller('collab')
export class CollabTicketsController {
  constructor(private readonly tickets: CollabTickets) {}

  /**
   * The co-editing socket takes no access token in its URL: the client asks for a ticket before
   * every (re)connect and opens `/collab/<proposalId>?ticket=<ticket>`.
   */
  @Post('tickets')
  @HttpCode(200)
  @ApiOkResponse({ description: 'A single-use ticket for /collab/<proposalId>?ticket=, valid for expiresIn seconds (≤ 60), tied to this session' })
  issue(@Body() body: CollabTicketDto, @CurrentUser() principal: Principal): Promise<CollabTicketResponse> {
    return this.tickets.issue(principal, body.proposalId);
  }
}
