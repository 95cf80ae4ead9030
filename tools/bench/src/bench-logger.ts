import type { CollabLogger } from '@concord/collab';

/** A collab logger that keeps quiet but counts warnings and errors (a healthy run has none). */
export interface CountingLogger extends CollabLogger {
  readonly warnings: number;
  readonly errors: number;
  /** The first few warning/error messages since the caller last emptied it, for the report. */
  readonly samples: string[];
}

export function countingLogger(): CountingLogger {
  const samples: string[] = [];
  const counts = { warnings: 0, errors: 0 };
  const keep = (level: string, fields: Record<string, unknown>, message?: string): void => {
    if (samples.length < 5) samples.push(`${level}: ${message ?? ''} ${JSON.stringify(fields).slice(0, 300)}`);
  };
  return {
    info: () => undefined,
    warn(fields, message) {
      counts.warnings += 1;
      keep('warn', fields, message);
    },
    error(fields, message) {
      counts.errors += 1;
      keep('error', fields, message);
    },
    get warnings() {
      return counts.warnings;
    },
    get errors() {
      return counts.errors;
    },
    samples,
  };
}
