import { BadRequestException, Controller, Param, Post, Query, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsString, IsUUID, Matches, MaxLength, MinLength } from 'class-validator';
import type { Request } from 'express';
import type { ProposalImportDto } from '@concord/contracts';
import { CurrentUser, Principal } from '@concord/api/platform';
import { ImportProposalCommand } from './proposal.commands';
import { ProposalQueries } from './proposal-queries.service';

class SubmissionIdParam {
  @IsUUID('all', { message: 'id must be a UUID' })
  id!: string;
}

class ImportProposalQuery {
  @ApiProperty({ example: 'Skills recognition partnership for domestic workers' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  title!: string;

  @ApiProperty({ example: 'policy', description: 'A practical approach type id' })
  @Matches(/^[a-z0-9]+(?:[_-][a-z0-9]+)*$/, { message: 'kind must be a practical approach type id such as "policy"' })
  kind!: string;

  @ApiProperty({ example: '5,18', description: 'GCM objectives, comma-separated' })
  @Matches(/^\d{1,2}(,\d{1,2}){0,22}$/, { message: 'gcmObjectives must list GCM objectives (1 to 23) separated by commas, such as 5,18' })
  gcmObjectives!: string;

  @ApiProperty({ example: 'skills-passport.docx', description: 'The name of the file imported, recorded in ProposalImported' })
  @IsString()
  @MinLength(1)
  @MaxLength(255)
  filename!: string;
}

@ApiTags('proposals')
@ApiBearerAuth()
@Controller('submissions')
export class ProposalImportController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly queries: ProposalQueries,
  ) {}

  /**
   * Starts a proposal from a Word document: the same rules as creating one (drafters of the
   * workspace, submission not locked); its first revision is the document's text, attributed to
   * the importing user (`kind: 'import'`), and ProposalImported names the file.
   */
  @Post(':id/proposals/import')
  @ApiConsumes('application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'application/octet-stream')
  @ApiBody({ description: 'The DOCX, as the request body (at most 25 MiB)' })
  async import(
    @Param() { id }: SubmissionIdParam,
    @Query() query: ImportProposalQuery,
    @Req() request: Request,
    @CurrentUser() principal: Principal,
  ): Promise<ProposalImportDto> {
    const body: unknown = request.body;
    if (!Buffer.isBuffer(body) || body.length === 0) {
      throw new BadRequestException('Send the Word document as the request body with Content-Type application/vnd.openxmlformats-officedocument.wordprocessingml.document (or application/octet-stream).');
    }
    const gcmObjectives = query.gcmObjectives.split(',').map(Number);
    const { proposalId, dropped, file } = await this.commandBus.execute(
      new ImportProposalCommand(principal, { submissionId: id, title: query.title, kind: query.kind, gcmObjectives }, body, query.filename),
    );
    return { proposal: await this.queries.detail(proposalId, principal), file, dropped };
  }
}
