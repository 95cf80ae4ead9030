import { closeSync, fsyncSync, mkdtempSync, openSync, readFileSync, rmSync, statfsSync, writeSync } from 'node:fs';
import { cpus, hostname, loadavg, tmpdir, totalmem } from 'node:os';
import { basename, join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { median, round } from './stats';

export interface MachineFacts {
  readonly hostname: string;
  readonly cpuModel: string;
  readonly cores: number;
  readonly ramGiB: number;
  readonly node: string;
  readonly platform: string;
  readonly packages: Record<string, string>;
  readonly sqlite: string;
  readonly tempDir: { readonly path: string; readonly device: string; readonly fs: string; readonly mountOptions: string; readonly sizeGiB: number; readonly rotational: string };
  /** Median time of write(64 B) + fsync on a temp file at the start (see also the load samples). */
  readonly fsyncMs: number;
}

const WORKSPACE_ROOT = resolve(__dirname, '..', '..', '..');
const PACKAGES = ['yjs', 'y-websocket', 'y-protocols', 'ws', 'better-sqlite3', 'lib0'];

export function machineFacts(): MachineFacts {
  const packages = Object.fromEntries(
    PACKAGES.map((name) => {
      try {
        const manifest = JSON.parse(readFileSync(join(WORKSPACE_ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string };
        return [name, manifest.version];
      } catch {
        return [name, 'missing'];
      }
    }),
  );
  const db = new Database(':memory:');
  const sqlite = (db.prepare('SELECT sqlite_version() AS version').get() as { version: string }).version;
  db.close();
  return {
    hostname: hostname(),
    cpuModel: cpuModel(),
    cores: cpus().length,
    ramGiB: round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    packages,
    sqlite,
    tempDir: describeDisk(tmpdir()),
    fsyncMs: measureFsync(tmpdir()),
  };
}

function cpuModel(): string {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((entry) => entry.startsWith('model name'));
    if (line) return line.split(':')[1].trim();
  } catch {
    // not Linux: fall through
  }
  return cpus()[0]?.model ?? 'unknown';
}

function describeDisk(path: string): MachineFacts['tempDir'] {
  let device = 'unknown';
  let fs = 'unknown';
  let mountOptions = '';
  try {
    const mounts = readFileSync('/proc/mounts', 'utf8')
      .split('\n')
      .map((line) => line.split(' '))
      .filter((fields) => fields.length >= 4 && (path === fields[1] || path.startsWith(fields[1].endsWith('/') ? fields[1] : `${fields[1]}/`)))
      .sort((a, b) => b[1].length - a[1].length);
    if (mounts[0]) [device, , fs, mountOptions] = mounts[0];
  } catch {
    // not Linux
  }
  let rotational = 'unknown';
  try {
    rotational = readFileSync(`/sys/block/${basename(device).replace(/\d+$/, '')}/queue/rotational`, 'utf8').trim() === '1' ? 'yes (or virtual disk reporting so)' : 'no';
  } catch {
    // no sysfs entry (overlay, tmpfs…)
  }
  const stats = statfsSync(path);
  return { path, device, fs, mountOptions, sizeGiB: round((stats.blocks * stats.bsize) / 2 ** 30), rotational };
}

function measureFsync(directory: string, samples = 100): number {
  const scratch = mkdtempSync(join(directory, 'concord-bench-fsync-'));
  const file = join(scratch, 'probe');
  const fd = openSync(file, 'w');
  const times: number[] = [];
  try {
    const block = Buffer.alloc(64, 1);
    for (let index = 0; index < samples; index++) {
      const started = performance.now();
      writeSync(fd, block);
      fsyncSync(fd);
      times.push(performance.now() - started);
    }
  } finally {
    closeSync(fd);
    rmSync(scratch, { recursive: true, force: true });
  }
  return round(median(times));
}

/** 1-minute load average and the disk's fsync time now, to judge whether the machine was busy. */
export function loadNow(): { readonly loadAverage1m: number; readonly fsyncMs: number; readonly at: string } {
  return { loadAverage1m: round(loadavg()[0]), fsyncMs: measureFsync(tmpdir(), 50), at: new Date().toISOString() };
}
