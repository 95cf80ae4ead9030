import type { RecordedEvent } from '@concord/event-store';
import type { SqlStatement } from './read-model-database';

/**
 * A read model: its tables (DDL), and `handle(event) → SQL` (emmett style). Projections are pure
 * with respect to the log: dropping their tables and replaying every event rebuilds them exactly.
 */
export interface Projection {
  readonly name: string;
  /** Tables this projection owns, dropped on rebuild. */
  readonly tables: string[];
  /** CREATE TABLE/INDEX statements, valid in SQLite and PostgreSQL. */
  readonly ddl: string[];
  handle(event: RecordedEvent): SqlStatement[] | Promise<SqlStatement[]>;
  /**
   * Whether `handle(event)` reads this projection's tables, and so must see every earlier event
   * applied: the runner then writes what it has gathered before calling it, and applies that event
   * alone. Without it (or when false) the runner may gather the statements of many events and
   * write them in one transaction. Called just before `handle(event)`, in log order.
   */
  readsOwnTables?(event: RecordedEvent): boolean;
}
