import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, Matches, MaxLength, MinLength, ValidateIf } from 'class-validator';
import { ROLES, Role, type AddMemberRequest, type RegisterWorkspaceRequest } from '@concord/contracts';

export class RegisterWorkspaceDto implements RegisterWorkspaceRequest {
  @ApiPropertyOptional({ description: 'Id of the ISCM in the reference data, e.g. "abu-dhabi-dialogue"' })
  @IsOptional()
  @Matches(/^[a-z0-9][a-z0-9-]{1,62}$/, { message: 'id must be lower-case letters, digits and dashes' })
  id?: string;

  @ApiProperty({ example: 'ADD' })
  @IsString()
  @MinLength(1)
  @MaxLength(20)
  abbreviation!: string;

  @ApiProperty({ example: 'Abu Dhabi Dialogue among the Asian Labour-Sending and Receiving Countries' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name!: string;

  @ApiProperty({ enum: ['RCP', 'IRF', 'global'] })
  @IsIn(['RCP', 'IRF', 'global'], { message: 'type must be one of RCP, IRF, global' })
  type!: 'RCP' | 'IRF' | 'global';
}

export class AddMemberDto implements AddMemberRequest {
  @ApiProperty()
  @IsString()
  @MinLength(1)
  userId!: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES, { message: `role must be one of ${ROLES.join(', ')}` })
  role!: Role;

  @ApiPropertyOptional({
    example: 'IN',
    description: "For a delegate only, and required for one: the ISO 3166-1 alpha-2 code of the member state of this ISCM they represent",
  })
  @ValidateIf((_body, value) => value !== undefined)
  @Matches(/^[A-Z]{2}$/, { message: 'memberState must be an ISO 3166-1 alpha-2 code in capitals, e.g. "IN"' })
  memberState?: string;
}

export class ReviewPolicyDto {
  @ApiProperty({ description: 'Approval only when no suggestion and no comment thread is open on the revision' })
  @IsBoolean({ message: 'approvalNeedsClosedReview must be true or false' })
  approvalNeedsClosedReview!: boolean;
}

export class RemoveMemberQueryDto {
  @ApiPropertyOptional({ enum: ROLES, description: 'Remove only this role; without it, every role' })
  @IsOptional()
  @IsIn(ROLES, { message: `role must be one of ${ROLES.join(', ')}` })
  role?: Role;
}
