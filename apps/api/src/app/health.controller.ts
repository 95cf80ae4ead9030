import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { HealthDto } from '@concord/contracts';
import { EVENT_STORE, EventStore } from '@concord/event-store';
import { Public, ReadModelFreshness, ReadModels } from '@concord/api/platform';

interface ProjectionHealth {
  name: string;
  position: number;
  lagEvents: number;
  lagMs: number;
  /** Where it is stuck, on the node applying the projections (the error text is in its log). */
  failing: { position: number; stream: string; type: string; attempts: number; since: string } | null;
}

type Health = Omit<HealthDto, 'status'> & {
  status: 'ok' | 'stale';
  readModelPosition: number;
  readModels: {
    fresh: boolean;
    reason: string | null;
    maxLagMs: number;
    lagEvents: number;
    lagMs: number;
    role: string;
    projections: ProjectionHealth[];
  };
};

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly readModels: ReadModels,
    private readonly freshness: ReadModelFreshness,
  ) {}

  @Public()
  @Get()
  @ApiOkResponse({ description: 'The API and its event store answer, and every read model is within PROJECTION_MAX_LAG_MS of the log' })
  @ApiServiceUnavailableResponse({ description: 'A read model trails the log by more than PROJECTION_MAX_LAG_MS (the body says which and why)' })
  async health(@Res({ passthrough: true }) response: Response): Promise<Health> {
    const headPosition = await this.store.headPosition();
    const report = this.freshness.report();
    const projections: ProjectionHealth[] = (report.lag?.projections ?? []).map(({ name, position, lagMs, failing }) => ({
      name,
      position,
      lagEvents: Math.max(0, headPosition - position),
      lagMs,
      failing: failing && { position: failing.position, stream: failing.stream, type: failing.type, attempts: failing.attempts, since: failing.since },
    }));
    if (!report.fresh) response.status(503);
    return {
      status: report.fresh ? 'ok' : 'stale',
      eventStore: this.store.kind,
      headPosition,
      readModelPosition: this.readModels.position,
      readModels: {
        fresh: report.fresh,
        reason: report.reason,
        maxLagMs: report.maxLagMs,
        lagEvents: Math.max(0, ...projections.map((projection) => projection.lagEvents)),
        lagMs: Math.max(0, ...projections.map((projection) => projection.lagMs)),
        role: report.lag?.role ?? 'stopped',
        projections,
      },
      version: process.env['npm_package_version'] ?? '0.0.0',
    };
  }
}
