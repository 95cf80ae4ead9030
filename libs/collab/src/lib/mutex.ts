/**
 * One task at a time, in submission order: the subset of async-mutex's `Mutex` that LiveDocument
 * and Snapshotter use (`runExclusive`, `isLocked`, `waitForUnlock`). A failing task rejects its own
 * promise and releases the lock for the ones behind it. (The series that split LiveDocument took
 * async-mutex 0.5.0; kept local until that dependency is installed in the workspace.)
 */
export class Mutex {
  private tail: Promise<unknown> = Promise.resolve();
  private pending = 0;

  /** True while a task runs or waits. */
  isLocked(): boolean {
    return this.pending > 0;
  }

  runExclusive<T>(task: () => Promise<T> | T): Promise<T> {
    this.pending += 1;
    const result = this.tail.then(task);
    this.tail = result.then(
      () => this.release(),
      () => this.release(),
    );
    return result;
  }

  /** Resolves once no task runs or waits (tasks submitted meanwhile are waited for too). */
  async waitForUnlock(): Promise<void> {
    while (this.pending > 0) await this.tail;
  }

  private release(): void {
    this.pending -= 1;
  }
}
