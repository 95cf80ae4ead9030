import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEventStoreFromEnv } from './create-event-store-from-env';

describe('createEventStoreFromEnv', () => {
  let directory: string;

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'concord-env-'));
  });

  afterEach(() => {
    rmSync(directory, { recursive: true, force: true });
  });

  it('defaults to SQLite in DATA_DIR, creating the directory', async () => {
    const dataDir = join(directory, 'nested', 'data');
    const store = createEventStoreFromEnv({ DATA_DIR: dataDir });
    try {
      expect(store.kind).toBe('sqlite');
      expect(existsSync(join(dataDir, 'concord.sqlite'))).toBe(true);
    } finally {
      await store.close();
    }
  });

  it('takes the SQLite writer from SQLITE_WRITER, refusing an unknown one', async () => {
    const store = createEventStoreFromEnv({ DATA_DIR: directory, SQLITE_WRITER: 'thread' });
    try {
      await store.append('s', [{ id: 'e-1', type: 'Noted', data: {}, metadata: { userId: 'u1' } }]);
      expect(await store.streamRevision('s')).toBe(0);
    } finally {
      await store.close();
    }
    expect(() => createEventStoreFromEnv({ DATA_DIR: directory, SQLITE_WRITER: 'both' })).toThrow(/SQLITE_WRITER/);
  });

  it('builds the memory store', async () => {
    const store = createEventStoreFromEnv({ EVENT_STORE: 'memory' });
    expect(store.kind).toBe('memory');
    await store.close();
  });

  it('builds the PostgreSQL store lazily, without connecting', async () => {
    const store = createEventStoreFromEnv({ EVENT_STORE: 'postgres', DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' });
    expect(store.kind).toBe('postgres');
    await store.close();
  });

  it('builds the KurrentDB store lazily, without connecting', async () => {
    const store = createEventStoreFromEnv({ EVENT_STORE: 'kurrentdb', KURRENTDB_URL: 'kurrentdb://127.0.0.1:1?tls=false' });
    expect(store.kind).toBe('kurrentdb');
    await store.close();
  });

  it('loads the KurrentDB client (a native module) only when KurrentDB is configured', () => {
    jest.isolateModules(() => {
      jest.doMock('@kurrent/kurrentdb-client', () => {
        throw new Error('the KurrentDB client was loaded');
      });
      // The whole package index, as the API imports it, and the other stores: no client needed.
      expect(() => require('../index')).not.toThrow();
      const { createEventStoreFromEnv: create } = require('./create-event-store-from-env') as typeof import('./create-event-store-from-env');
      const store = create({ EVENT_STORE: 'memory' });
      expect(store.kind).toBe('memory');
      expect(() => create({ EVENT_STORE: 'kurrentdb', KURRENTDB_URL: 'kurrentdb://127.0.0.1:1?tls=false' })).toThrow(
        'the KurrentDB client was loaded',
      );
    });
  });

  it.each([
    [{ EVENT_STORE: 'postgres' }, /DATABASE_URL/],
    [{ EVENT_STORE: 'kurrentdb' }, /EVENT_STORE=kurrentdb needs KURRENTDB_URL/],
    [{ EVENT_STORE: 'mongo' }, /Unknown EVENT_STORE "mongo"/],
  ])('explains a configuration it cannot serve: %p', (env, message) => {
    expect(() => createEventStoreFromEnv(env)).toThrow(message);
  });
});
