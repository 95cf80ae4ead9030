import { Body, Controller, Get, HttpCode, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import type { NotificationListDto, NotificationPreferencesDto } from '@concord/contracts';
import { CurrentUser, Principal } from '@concord/api/platform';
import { Notifications } from './notifications.service';

export class NotificationListQuery {
  @ApiPropertyOptional({ description: '1: only unread ones' })
  @IsOptional()
  @IsIn(['0', '1', 'true', 'false'], { message: 'unread must be 1 or 0' })
  unread?: string;

  @ApiPropertyOptional({ minimum: 0, maximum: 100, default: 20 })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value))
  @IsInt({ message: 'limit must be a whole number from 0 to 100' })
  @Min(0)
  @Max(100)
  limit?: number;

  @ApiPropertyOptional({ description: 'The `next` of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  @Matches(/^\d+:[0-9a-f]+$/, { message: 'before must be the `next` of an earlier page' })
  before?: string;
}

export class MarkReadDto {
  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(500)
  @IsString({ each: true })
  @MaxLength(64, { each: true })
  ids?: string[];

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  all?: boolean;
}

class UnreadCountDto {
  @ApiProperty()
  unreadCount!: number;
}

/** The signed-in user's notifications: the inbox, reading them, and what reaches them how. */
@ApiTags('notifications')
@ApiBearerAuth()
@Controller('notifications')
export class NotificationsController {
  constructor(private readonly notifications: Notifications) {}

  @Get()
  list(@Query() query: NotificationListQuery, @CurrentUser() principal: Principal): Promise<NotificationListDto> {
    return this.notifications.list(principal, {
      unreadOnly: query.unread === '1' || query.unread === 'true',
      limit: query.limit ?? 20,
      before: query.before,
    });
  }

  @Post('read')
  @HttpCode(200)
  markRead(@Body() body: MarkReadDto, @CurrentUser() principal: Principal): Promise<UnreadCountDto> {
    return this.notifications.markRead(principal, body);
  }

  @Get('preferences')
  preferences(@CurrentUser() principal: Principal): Promise<NotificationPreferencesDto> {
    return this.notifications.preferences(principal);
  }

  @Put('preferences')
  @ApiBody({ description: 'Per kind {inApp: boolean, email: "off" | "immediate" | "digest"}; kinds left out keep their setting’s default' })
  setPreferences(@Body() body: Record<string, unknown>, @CurrentUser() principal: Principal): Promise<NotificationPreferencesDto> {
    return this.notifications.setPreferences(principal, body);
  }
}
