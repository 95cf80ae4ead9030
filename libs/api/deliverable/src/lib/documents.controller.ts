import { BadRequestException, Controller, Get, HttpCode, Param, Post, Query, Req, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiPropertyOptional, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsUUID, Min } from 'class-validator';
import type { Request } from 'express';
import type { DocumentVerificationDto, ParagraphNumbersDto } from '@concord/contracts';
import { CurrentUser, Principal } from '@concord/api/platform';
import { DocumentExports, type ExportedFile } from './document-exports.service';
import { DocumentVerification } from './document-verification.service';

class IdParam {
  @IsUUID('all', { message: 'id must be a UUID' })
  id!: string;
}

const FORMATS = ['docx', 'pdf'] as const;
const SUGGESTIONS = ['clean', 'tracked'] as const;
const COMMENTS = ['omit', 'include'] as const;

class FormatQuery {
  @ApiProperty({ enum: FORMATS })
  @IsIn(FORMATS, { message: 'format must be docx or pdf' })
  format!: (typeof FORMATS)[number];

  @ApiPropertyOptional({ enum: SUGGESTIONS, default: 'clean', description: 'Open suggestions as Word tracked changes, or left out (the agreed text)' })
  @IsOptional()
  @IsIn(SUGGESTIONS, { message: 'suggestions must be clean or tracked' })
  suggestions?: (typeof SUGGESTIONS)[number];

  @ApiPropertyOptional({ enum: COMMENTS, default: 'omit', description: 'Open comment threads as Word comments with their replies (DOCX; a PDF leaves them out)' })
  @IsOptional()
  @IsIn(COMMENTS, { message: 'comments must be omit or include' })
  comments?: (typeof COMMENTS)[number];
}

class SubmissionExportQuery extends FormatQuery {
  @ApiPropertyOptional({ enum: ['current', 'approved'], default: 'current' })
  @IsOptional()
  @IsIn(['current', 'approved'], { message: 'revisions must be current or approved' })
  revisions?: 'current' | 'approved';
}

class ProposalExportQuery extends FormatQuery {
  @ApiPropertyOptional({ description: 'The revision to export (default: the current text)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'revision must be a whole number' })
  @Min(0)
  revision?: number;
}

class RedlineQuery {
  @ApiProperty({ enum: FORMATS })
  @IsIn(FORMATS, { message: 'format must be docx or pdf' })
  format!: (typeof FORMATS)[number];

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

function file({ body, contentType, filename }: ExportedFile): StreamableFile {
  const ascii = filename.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return new StreamableFile(body, {
    type: contentType,
    length: body.length,
    disposition: `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`,
  });
}

/** The deliverable (issue 13): documents out of Concord, and received documents checked against the log. */
@ApiTags('documents')
@ApiBearerAuth()
@Controller()
export class DocumentsController {
  constructor(
    private readonly exports: DocumentExports,
    private readonly verification: DocumentVerification,
  ) {}

  @Get('submissions/:id/export')
  async exportSubmission(@Param() { id }: IdParam, @Query() query: SubmissionExportQuery, @CurrentUser() principal: Principal): Promise<StreamableFile> {
    return file(await this.exports.exportSubmission(id, principal, { format: query.format, revisions: query.revisions ?? 'current', suggestions: query.suggestions ?? 'clean', comments: query.comments ?? 'omit' }));
  }

  @Get('submissions/:id/paragraphs')
  paragraphs(@Param() { id }: IdParam, @CurrentUser() principal: Principal): Promise<ParagraphNumbersDto> {
    return this.exports.paragraphNumbers(id, principal);
  }

  @Get('proposals/:id/export')
  async exportProposal(@Param() { id }: IdParam, @Query() query: ProposalExportQuery, @CurrentUser() principal: Principal): Promise<StreamableFile> {
    return file(await this.exports.exportProposalAt(id, principal, { format: query.format, revision: query.revision ?? null, suggestions: query.suggestions ?? 'clean', comments: query.comments ?? 'omit' }));
  }

  @Get('proposals/:id/redline')
  async redline(@Param() { id }: IdParam, @Query() query: RedlineQuery, @CurrentUser() principal: Principal): Promise<StreamableFile> {
    return file(await this.exports.redline(id, principal, { from: query.from, to: query.to, format: query.format }));
  }

  @Post('documents/verify')
  @HttpCode(200)
  @ApiConsumes('application/octet-stream', 'application/pdf', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document')
  @ApiBody({ description: 'The received DOCX or PDF, as the request body' })
  verify(@Req() request: Request, @CurrentUser() principal: Principal): Promise<DocumentVerificationDto> {
    const body: unknown = request.body;
    if (!Buffer.isBuffer(body) || body.length === 0) {
      throw new BadRequestException('Send the document as the request body with Content-Type application/octet-stream (or the DOCX or PDF media type).');
    }
    return this.verification.verify(body, principal);
  }
}
