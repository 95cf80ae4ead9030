import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import type {
  ApproveRequest,
  StartSilenceRequest,
  ChangeProposalDetailsRequest,
  CreateProposalRequest,
  NameVersionRequest,
  RequestChangesRequest,
  RevisionRequest,
} from '@concord/contracts';

const KIND = /^[a-z0-9]+(?:[_-][a-z0-9]+)*$/;

export class CreateProposalDto implements CreateProposalRequest {
  @ApiProperty()
  @IsString()
  @MinLength(1)
  submissionId!: string;

  @ApiProperty({ example: 'Skills recognition partnership for domestic workers' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  title!: string;

  @ApiProperty({ example: 'policy', description: 'A practical approach type id' })
  @Matches(KIND, { message: 'kind must be a practical approach type id such as "policy"' })
  kind!: string;

  @ApiProperty({ example: [5, 18], type: [Number] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(23)
  @ArrayUnique()
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(23, { each: true })
  gcmObjectives!: number[];

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  summary?: string;
}

export class ChangeProposalDetailsDto implements ChangeProposalDetailsRequest {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  title?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(KIND, { message: 'kind must be a practical approach type id such as "policy"' })
  kind?: string;

  @ApiPropertyOptional({ type: [Number] })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(23, { each: true })
  gcmObjectives?: number[];

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  summary?: string;
}

export class RevisionDto implements RevisionRequest {
  @ApiProperty({ minimum: 0 })
  @IsInt({ message: 'revision must be a whole number' })
  @Min(0)
  revision!: number;
}

export class ApproveDto extends RevisionDto implements ApproveRequest {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  comment?: string;
}

export class RequestChangesDto extends RevisionDto implements RequestChangesRequest {
  @ApiProperty()
  @IsString()
  @MinLength(1, { message: 'comment must say what should change' })
  @MaxLength(2000)
  comment!: string;
}

export class NameVersionDto extends RevisionDto implements NameVersionRequest {
  @ApiProperty({ example: 'Sent to chair' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  label!: string;
}

export class ProposalIdParam {
  @IsUUID('all', { message: 'id must be a proposal id (a UUID)' })
  id!: string;
}

export class ProposalListQuery {
  @IsOptional()
  @IsString()
  submissionId?: string;
}

export class StartSilenceDto extends RevisionDto implements StartSilenceRequest {
  @ApiProperty({ example: '2027-03-08T17:00:00Z', description: 'ISO 8601 date-time with a time zone, at least 1 minute and at most 90 days ahead' })
  @IsString({ message: 'deadline must be an ISO 8601 date-time such as 2027-03-08T17:00:00Z' })
  @MaxLength(40)
  deadline!: string;
}

export class SilenceObjectionRequestDto {
  @ApiProperty({ description: 'Why the member state breaks silence (1 to 2000 characters)' })
  @IsString({ message: 'reason must say why silence is broken' })
  @MinLength(1, { message: 'reason must say why silence is broken' })
  @MaxLength(2000)
  reason!: string;
}

export class VoidSilenceDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  reason?: string;
}
