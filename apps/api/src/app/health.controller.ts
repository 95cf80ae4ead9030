import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { HealthDto } from '@concord/contracts';
import { EVENT_STORE, EventStore } from '@concord/event-store';
import { Public, ReadModels } from '@concord/api/platform';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly readModels: ReadModels,
  ) {}

  @Public()
  @Get()
  @ApiOkResponse({ description: 'The API, its event store and read models answer' })
  async health(): Promise<HealthDto & { readModelPosition: number }> {
    return {
      status: 'ok',
      eventStore: this.store.kind,
      headPosition: await this.store.headPosition(),
      readModelPosition: this.readModels.position,
      version: process.env['npm_package_version'] ?? '0.0.0',
    };
  }
}
