/** What was started, stopped newest first; every stop runs even when an earlier one fails. */
export class CleanupStack {
  private readonly steps: { what: string; stop: () => Promise<void> }[] = [];

  push(what: string, stop: () => Promise<void>): void {
    this.steps.push({ what, stop });
  }

  async unwind(): Promise<void> {
    const failures: Error[] = [];
    for (let step = this.steps.pop(); step !== undefined; step = this.steps.pop()) {
      try {
        await step.stop();
      } catch (error) {
        failures.push(new Error(`stopping ${step.what} failed`, { cause: error }));
      }
    }
    if (failures.length > 0) throw new AggregateError(failures, 'the demo did not stop cleanly');
  }
}
