/**
 * A small seeded pseudo-random generator (mulberry32), so that a random browser test replays
 * exactly from its printed seed.
 */

/** mulberry32: 32-bit state, uniform floats in [0, 1). Good enough to drive a test, not for secrets. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A 32-bit FNV-1a hash, to derive independent streams from one seed (`seed ^ hash('drafter1')`). */
export function hash32(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

export class Random {
  private readonly next: () => number;

  constructor(readonly seed: number) {
    this.next = mulberry32(seed);
  }

  /** A new generator whose sequence depends only on this seed and `name`. */
  derive(name: string): Random {
    return new Random((this.seed ^ hash32(name)) >>> 0);
  }

  float(): number {
    return this.next();
  }

  /** An integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('Random.pick: no items');
    return items[Math.floor(this.next() * items.length)];
  }

  /** One key of `weights`, with probability proportional to its weight. */
  weighted<K extends string>(weights: Readonly<Record<K, number>>): K {
    const entries = Object.entries(weights) as Array<[K, number]>;
    const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
    let roll = this.next() * total;
    for (const [key, weight] of entries) {
      roll -= weight;
      if (roll < 0) return key;
    }
    return entries[entries.length - 1][0];
  }

  shuffle<T>(items: readonly T[]): T[] {
    const copy = [...items];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [copy[i], copy[j]] = [copy[j], copy[i]];
    }
    return copy;
  }
}

/**
 * The seed from `MONKEY_SEED` (a number, or `random` for a fresh one), else `fallback` (a fresh
 * one when not given).
 */
export function seedFromEnvironment(fallback?: number): number {
  const raw = process.env['MONKEY_SEED']?.trim();
  if (raw && raw !== 'random') {
    const seed = Number(raw);
    if (!Number.isSafeInteger(seed) || seed < 0 || seed > 0xffffffff) {
      throw new Error(`MONKEY_SEED must be a whole number from 0 to 4294967295 (or "random"), not "${raw}"`);
    }
    return seed;
  }
  if (raw === 'random' || fallback === undefined) return Math.floor(Math.random() * 0x100000000) >>> 0;
  return fallback >>> 0;
}
