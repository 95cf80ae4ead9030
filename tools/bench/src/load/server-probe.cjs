/**
 * Preloaded (`node -r …/server-probe.cjs`) into each server process of the load benchmark; the
 * product is not changed. Every second it appends one JSON line to $BENCH_PROBE_FILE:
 *   { t, loop: { p50, p99, max, mean } (event-loop delay, ms), cpuMs (user + system in that second),
 *     tx: { <sqlite file + source of the transaction function>: { count, ms, max } }  (better-sqlite3 outermost transactions: statements + COMMIT/fsync),
 *     pg: { <query kind>: { count, ms, max } } }  (pg Client.query round trips, client queue included)
 * With BENCH_PROBE_CALLERS=1 a pg query kind also names the product's functions that issued it
 * (the innermost three frames of the bundle, or BENCH_PROBE_CALLER_FRAMES, async frames included):
 * which component reads the log.
 * Wrapping is best effort: a driver that is not installed is skipped.
 */
'use strict';
const { appendFileSync } = require('node:fs');
const { monitorEventLoopDelay } = require('node:perf_hooks');

const file = process.env.BENCH_PROBE_FILE;
if (file) {
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  let tx = {};
  let pg = {};
  const note = (table, key, ms) => {
    const entry = (table[key] ??= { count: 0, ms: 0, max: 0 });
    entry.count += 1;
    entry.ms += ms;
    if (ms > entry.max) entry.max = ms;
  };

  try {
    const Database = require('better-sqlite3');
    const transaction = Database.prototype.transaction;
    let depth = 0;
    Database.prototype.transaction = function (fn) {
      const wrapped = transaction.call(this, fn);
      // The file and the start of the transaction's source (events and read models share one file).
      const name = `${String(this.name).split('/').pop()} ${String(fn).replace(/\s+/g, ' ').slice(0, 56)}`;
      // Every variant is timed: the event store's group commit runs `.immediate(batch)`.
      const time = (run) =>
        function (...args) {
          if (depth > 0) return run.apply(this, args);
          depth += 1;
          const started = performance.now();
          try {
            return run.apply(this, args);
          } finally {
            depth -= 1;
            note(tx, name, performance.now() - started);
          }
        };
      const timed = time(wrapped);
      for (const property of ['deferred', 'immediate', 'exclusive']) timed[property] = time(wrapped[property]);
      timed.default = timed;
      timed.database = wrapped.database;
      return timed;
    };
  } catch {
    // no better-sqlite3 here
  }

  try {
    const { Client } = require('pg');
    const query = Client.prototype.query;
    const withCallers = process.env.BENCH_PROBE_CALLERS === '1';
    if (withCallers) Error.stackTraceLimit = Math.max(Error.stackTraceLimit, 40);
    // The product's frames: not pg's, not Node's, not this probe's.
    const callerOf = () =>
      String(new Error().stack)
        .split('\n')
        .slice(1)
        .filter((line) => line.includes(' at ') && !line.includes('node_modules') && !line.includes('node:') && !line.includes('server-probe'))
        .slice(0, Number(process.env.BENCH_PROBE_CALLER_FRAMES) || 3)
        .map((line) => line.trim().replace(/^at (async )?/, '').replace(/ \(.*\)$/, '').replace(/^.*\/(.*)$/, '$1'))
        .join(' ← ');
    const kindOf = (config) => {
      const text = typeof config === 'string' ? config : config && typeof config.text === 'string' ? config.text : '';
      const kind = text.replace(/\s+/g, ' ').trim().slice(0, 48) || '(prepared or cursor)';
      return withCallers ? `${kind} ← ${callerOf() || '?'}` : kind;
    };
    Client.prototype.query = function (config, values, callback) {
      const kind = kindOf(config);
      const started = performance.now();
      const done = () => note(pg, kind, performance.now() - started);
      const cb = typeof values === 'function' ? values : callback;
      if (typeof cb === 'function') {
        const wrappedCallback = (...args) => {
          done();
          return cb(...args);
        };
        return typeof values === 'function' ? query.call(this, config, wrappedCallback) : query.call(this, config, values, wrappedCallback);
      }
      const result = query.call(this, config, values);
      if (result && typeof result.then === 'function') result.then(done, done);
      return result;
    };
    if (withCallers) {
      // A pool runs the query in a callback, where no frame of the caller is left: name it here.
      const { Pool } = require('pg');
      const poolQuery = Pool.prototype.query;
      Pool.prototype.query = function (config, values, callback) {
        const kind = `pool: ${kindOf(config)}`;
        const started = performance.now();
        const done = () => note(pg, kind, performance.now() - started);
        const result = poolQuery.call(this, config, values, callback);
        if (result && typeof result.then === 'function') result.then(done, done);
        return result;
      };
    }
  } catch {
    // no pg here
  }

  let cpu = process.cpuUsage();
  const timer = setInterval(() => {
    const used = process.cpuUsage(cpu);
    cpu = process.cpuUsage();
    // The histogram's samples include its own 10 ms sampling interval: the delay is what exceeds it.
    const ms = (nanoseconds) => Math.max(0, Math.round(nanoseconds / 1e4) / 100 - 10);
    const line = {
      t: Date.now(),
      loop: { p50: ms(loop.percentile(50)), p99: ms(loop.percentile(99)), max: ms(loop.max), mean: ms(loop.mean) },
      cpuMs: Math.round((used.user + used.system) / 1000),
      tx,
      pg,
    };
    loop.reset();
    tx = {};
    pg = {};
    try {
      appendFileSync(file, JSON.stringify(line) + '\n');
    } catch {
      // the bench removed the directory: stop quietly
      clearInterval(timer);
    }
  }, 1000);
  timer.unref();
}
