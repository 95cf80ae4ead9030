import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsString, MaxLength, MinLength } from 'class-validator';
import type { LoginRequest } from '@concord/contracts';

export class LoginDto implements LoginRequest {
  @ApiProperty({ example: 'drafter1@concord.demo' })
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(320)
  email!: string;

  @ApiProperty({ example: 'concord-demo' })
  @IsString()
  @MinLength(1)
  @MaxLength(1024)
  password!: string;
}
