/** The one edge of the world tests may fake: time. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
