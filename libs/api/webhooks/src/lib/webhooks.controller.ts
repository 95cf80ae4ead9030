import { BadRequestException, Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBadRequestResponse, ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiTags } from '@nestjs/swagger';
import type { RegisteredWebhookDto, WebhookDeliveryDto, WebhookDto } from '@concord/contracts';
import { CurrentUser, Principal } from '@concord/api/platform';
import { RegisterWebhookDto } from './webhook.dto';
import { Webhooks } from './webhooks.service';

/** A workspace's webhooks: its administrators and platform administrators only. */
@ApiTags('workspaces')
@ApiBearerAuth()
@Controller('workspaces/:iscmId/webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: Webhooks) {}

  @Post()
  @ApiCreatedResponse({ description: 'A WebhookRegistered event; the signing secret is returned this once (the log holds it sealed)' })
  @ApiBadRequestResponse({ description: 'Not an http(s) URL, a private address, or unknown events (the message says which)' })
  register(@Param('iscmId') iscmId: string, @Body() body: RegisterWebhookDto, @CurrentUser() actor: Principal): Promise<RegisteredWebhookDto> {
    return this.webhooks.register(actor, iscmId, body.url, body.events);
  }

  @Get()
  list(@Param('iscmId') iscmId: string, @CurrentUser() actor: Principal): Promise<WebhookDto[]> {
    return this.webhooks.list(actor, iscmId);
  }

  @Delete(':webhookId')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'A WebhookRemoved event: nothing more is sent to it, pending retries are cancelled' })
  async remove(@Param('iscmId') iscmId: string, @Param('webhookId') webhookId: string, @CurrentUser() actor: Principal): Promise<void> {
    await this.webhooks.remove(actor, iscmId, webhookId);
  }

  @Post(':webhookId/test')
  @HttpCode(202)
  @ApiAcceptedResponse({ description: 'A signed `ping` delivery is queued; the delivery log shows how it went' })
  test(@Param('iscmId') iscmId: string, @Param('webhookId') webhookId: string, @CurrentUser() actor: Principal): Promise<{ deliveryId: string }> {
    return this.webhooks.test(actor, iscmId, webhookId);
  }

  @Get(':webhookId/deliveries')
  deliveries(
    @Param('iscmId') iscmId: string,
    @Param('webhookId') webhookId: string,
    @Query('limit') limit: string | undefined,
    @CurrentUser() actor: Principal,
  ): Promise<WebhookDeliveryDto[]> {
    const count = limit === undefined || limit === '' ? 20 : Number(limit);
    if (!Number.isInteger(count) || count < 1 || count > 100) throw new BadRequestException('limit must be a whole number from 1 to 100.');
    return this.webhooks.deliveries(actor, iscmId, webhookId, count);
  }
}
