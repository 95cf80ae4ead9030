import { Injectable } from '@nestjs/common';
import type { Projection } from './projection';

/** Feature modules register their projections here at init; the runner starts once all have. */
@Injectable()
export class ProjectionRegistry {
  private readonly registered: Projection[] = [];

  register(...projections: Projection[]): void {
    for (const projection of projections) {
      if (this.registered.some((p) => p.name === projection.name)) {
        throw new Error(`Projection ${projection.name} is registered twice`);
      }
      this.registered.push(projection);
    }
  }

  all(): Projection[] {
    return [...this.registered];
  }
}
