import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsInt, IsObject, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import type { OpenThreadRequest, ReplyToThreadRequest, ThreadAnchorDto } from '@concord/contracts';

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

export class ThreadAnchorBody implements ThreadAnchorDto {
  @ApiProperty({ description: 'Y.encodeRelativePosition of the first character, base64' })
  @IsString()
  @MaxLength(256)
  @Matches(BASE64, { message: 'anchor.from must be base64' })
  from!: string;

  @ApiProperty({ description: 'Y.encodeRelativePosition after the last character, base64' })
  @IsString()
  @MaxLength(256)
  @Matches(BASE64, { message: 'anchor.to must be base64' })
  to!: string;
}

export class OpenThreadDto implements OpenThreadRequest {
  @ApiProperty({ type: ThreadAnchorBody })
  @IsObject()
  @ValidateNested()
  @Type(() => ThreadAnchorBody)
  anchor!: ThreadAnchorBody;

  @ApiProperty({ description: 'The selected words, as they read now' })
  @IsString()
  @MaxLength(1000)
  quote!: string;

  @ApiProperty()
  @IsString()
  @MaxLength(4000)
  body!: string;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  mentions?: string[];
}

export class ReplyToThreadDto implements ReplyToThreadRequest {
  @ApiProperty()
  @IsString()
  @MaxLength(4000)
  body!: string;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  mentions?: string[];
}

export class ThreadParams {
  @IsUUID('all', { message: 'id must be a proposal id (a UUID)' })
  id!: string;

  @IsUUID('all', { message: 'threadId must be a thread id (a UUID)' })
  threadId!: string;
}

export class ThreadListQuery {
  @ApiPropertyOptional({ description: 'The threads as they stood when the text was at this revision' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'atRevision must be a whole number' })
  @Min(0)
  // Revisions are SQL INTEGERs: a larger number is no revision (and PostgreSQL would refuse it).
  @Max(2_147_483_647, { message: 'atRevision must be at most 2147483647' })
  atRevision?: number;
}
