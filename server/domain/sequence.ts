/**
 * Server order for messages: microseconds of the server clock, never repeating or going back
 * within this process, so twenty replies in the same millisecond still get a strict order.
 */
export class Sequence {
  private last = 0;

  next(now: Date): number {
    this.last = Math.max(this.last + 1, now.getTime() * 1000);
    return this.last;
  }
}
