import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsString, MaxLength } from 'class-validator';
import type { RegisterWebhookRequest } from '@concord/contracts';
import { WEBHOOK_EVENT_NAMES } from '@concord/domain';

export class RegisterWebhookDto implements RegisterWebhookRequest {
  @ApiProperty({ example: 'https://hooks.example.org/concord', description: 'http(s); public addresses only unless WEBHOOK_ALLOW_PRIVATE=1' })
  @IsString({ message: 'url must be the URL deliveries are posted to' })
  @MaxLength(2000, { message: 'url may be at most 2000 characters long' })
  url!: string;

  @ApiProperty({ enum: WEBHOOK_EVENT_NAMES, isArray: true })
  @IsArray({ message: `events must be a list of event names: ${WEBHOOK_EVENT_NAMES.join(', ')}` })
  @ArrayMinSize(1, { message: 'Choose at least one event for the webhook.' })
  @ArrayMaxSize(50)
  @IsString({ each: true, message: 'each event must be an event name' })
  events!: string[];
}
