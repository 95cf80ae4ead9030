import { Global, Inject, Module, OnApplicationShutdown, ValidationPipe } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { EVENT_STORE, EventStore, createEventStoreFromEnv } from '@concord/event-store';
import { join } from 'node:path';
import { LoginThrottle } from './abuse/login-throttle.service';
import { PasswordHashing } from './abuse/password-hashing';
import { AuthGuard } from './auth/auth.guard';
import { CommandExecutor } from './commands/command-executor';
import { CollabTickets } from './auth/collab-tickets.service';
import { Mailer } from './mail/mailer';
import { SessionService } from './auth/session.service';
import { TokenService } from './auth/token.service';
import { UserDirectory } from './auth/user-directory';
import { CONCORD_CONFIG, ConcordConfig, loadConfig } from './config/concord-config';
import { ApiExceptionFilter } from './errors/api-exception.filter';
import { PostgresReadModelDatabase } from './read-model/postgres-read-model-database';
import { ProjectionRegistry } from './read-model/projection-registry';
import { READ_MODEL_DATABASE, ReadModelDatabase } from './read-model/read-model-database';
import { ReadModels } from './read-model/read-models.service';
import { ReadModelFreshness } from './read-model/read-model-freshness';
import { SqliteReadModelDatabase } from './read-model/sqlite-read-model-database';

function openReadModelDatabase(config: ConcordConfig): Promise<ReadModelDatabase> | ReadModelDatabase {
  switch (config.eventStore) {
    // KurrentDB holds only the log: its read models go to PostgreSQL too, shared by every API node.
    case 'postgres':
    case 'kurrentdb':
      return PostgresReadModelDatabase.open(config.databaseUrl as string, process.env['DATABASE_SCHEMA']);
    case 'memory':
      return new SqliteReadModelDatabase(':memory:');
    case 'sqlite':
      return new SqliteReadModelDatabase(join(config.dataDir, 'concord.sqlite'));
  }
}

/**
 * Process-wide infrastructure: configuration, the event store, the read-model database and its
 * projections, authentication, validation and error mapping. Imported once, by the app module.
 */
@Global()
@Module({
  imports: [
    CqrsModule.forRoot(),
  ],
  providers: [
    { provide: CONCORD_CONFIG, useFactory: () => loadConfig() },
    {
      provide: EVENT_STORE,
      inject: [CONCORD_CONFIG],
      useFactory: (config: ConcordConfig) =>
        createEventStoreFromEnv({ ...process.env, DATA_DIR: config.dataDir, EVENT_STORE: config.eventStore }),
    },
    { provide: READ_MODEL_DATABASE, inject: [CONCORD_CONFIG], useFactory: openReadModelDatabase },
    ProjectionRegistry,
    ReadModels,
    ReadModelFreshness,
    TokenService,
    UserDirectory,
    CommandExecutor,
    LoginThrottle,
    PasswordHashing,
    SessionService,
    CollabTickets,
    Mailer,
    { provide: APP_GUARD, useClass: AuthGuard },
    { provide: APP_FILTER, useClass: ApiExceptionFilter },
    {
      provide: APP_PIPE,
      useValue: new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }),
    },
  ],
  exports: [CONCORD_CONFIG, EVENT_STORE, READ_MODEL_DATABASE, ProjectionRegistry, ReadModels, ReadModelFreshness, TokenService, UserDirectory, CommandExecutor, LoginThrottle, PasswordHashing, SessionService, CollabTickets, Mailer, CqrsModule],
})
export class PlatformModule implements OnApplicationShutdown {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODEL_DATABASE) private readonly db: ReadModelDatabase,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.db.close();
    await this.store.close();
  }
}
