import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length, MaxLength, MinLength } from 'class-validator';
import type {
  ChangePasswordRequest,
  CompleteMfaSignInRequest,
  ConfirmMfaRequest,
  DisableMfaRequest,
  ResetPasswordRequest,
} from '@concord/contracts';

/** New passwords are checked by `newPasswordProblem` (length, common passwords) with a reason. */
export class ChangePasswordDto implements ChangePasswordRequest {
  @ApiProperty()
  @IsString()
  @MinLength(1, { message: 'Enter your current password.' })
  @MaxLength(1024)
  currentPassword!: string;

  @ApiProperty({ minLength: 12 })
  @IsString()
  @MaxLength(1024)
  newPassword!: string;
}

export class ConfirmMfaDto implements ConfirmMfaRequest {
  @ApiProperty()
  @IsString()
  @Length(1, 2048)
  enrolmentToken!: string;

  @ApiProperty({ example: '123456' })
  @IsString()
  @Length(1, 64)
  code!: string;
}

export class DisableMfaDto implements DisableMfaRequest {
  @ApiProperty()
  @IsString()
  @Length(1, 1024)
  password!: string;

  @ApiProperty({ description: 'A code from the authenticator or a recovery code' })
  @IsString()
  @Length(1, 64)
  code!: string;
}

export class CompleteMfaSignInDto implements CompleteMfaSignInRequest {
  @ApiProperty()
  @IsString()
  @Length(1, 2048)
  mfaToken!: string;

  @ApiProperty({ description: 'A 6-digit code from the authenticator, or a recovery code' })
  @IsString()
  @Length(1, 64)
  code!: string;
}

export class ResetPasswordDto implements ResetPasswordRequest {
  @ApiProperty()
  @IsString()
  @Length(1, 400)
  token!: string;

  @ApiProperty({ minLength: 12 })
  @IsString()
  @MaxLength(1024)
  newPassword!: string;
}
