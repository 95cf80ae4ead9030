import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsIn, IsString, Matches, MaxLength, MinLength, ValidateIf } from 'class-validator';
import { ROLES, Role, type AcceptInvitationRequest, type ChangeMemberRoleRequest, type InviteRequest } from '@concord/contracts';

const MEMBER_STATE_MESSAGE = 'memberState must be an ISO 3166-1 alpha-2 code in capitals, e.g. "IN"';

export class InviteDto implements InviteRequest {
  @ApiProperty({ example: 'focal.point@mofa.example' })
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(320)
  email!: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES, { message: `role must be one of ${ROLES.join(', ')}` })
  role!: Role;

  @ApiPropertyOptional({ example: 'IN', description: 'For a delegate only, and required for one' })
  @ValidateIf((_body, value) => value !== undefined)
  @Matches(/^[A-Z]{2}$/, { message: MEMBER_STATE_MESSAGE })
  memberState?: string;
}

export class AcceptInvitationDto implements AcceptInvitationRequest {
  @ApiProperty({ example: 'Amina Rahman' })
  @IsString()
  @MinLength(1, { message: 'Enter your name.' })
  @MaxLength(120)
  name!: string;

  @ApiProperty({ minLength: 12, description: 'Checked like every new password (length, common passwords)' })
  @IsString()
  @MaxLength(1024)
  password!: string;
}

export class ChangeMemberRoleDto implements ChangeMemberRoleRequest {
  @ApiProperty({ enum: ROLES, description: 'The role the member holds now' })
  @IsIn(ROLES, { message: `from must be one of ${ROLES.join(', ')}` })
  from!: Role;

  @ApiProperty({ enum: ROLES, description: 'The role that replaces it' })
  @IsIn(ROLES, { message: `to must be one of ${ROLES.join(', ')}` })
  to!: Role;

  @ApiPropertyOptional({ example: 'IN', description: 'Required when `to` is delegate' })
  @ValidateIf((_body, value) => value !== undefined)
  @Matches(/^[A-Z]{2}$/, { message: MEMBER_STATE_MESSAGE })
  memberState?: string;
}

export class SeparationOfDutiesDto {
  @ApiProperty({ description: 'When true, a chair cannot approve a revision whose text they alone wrote' })
  @IsIn([true, false], { message: 'chairCannotApproveOwnText must be true or false' })
  chairCannotApproveOwnText!: boolean;
}
