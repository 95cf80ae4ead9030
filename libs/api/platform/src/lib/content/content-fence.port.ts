import type { AppendGuard } from '../commands/command-handling';

/**
 * Closes content writes in the log itself before a command that takes them away is recorded (a
 * lock, a withdrawal, a drafter role removed, a user disabled), so that no keystroke racing the
 * command can be recorded after it; reopens them when such a command fails, or after one that
 * gives them back. Implemented over the content streams by the history module.
 */
export interface ContentFence {
  /** Pass to `CommandExecutor.execute` as its guard. */
  readonly guard: AppendGuard;
}

export const CONTENT_FENCE = Symbol('CONTENT_FENCE');
