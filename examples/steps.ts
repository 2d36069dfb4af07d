export interface Step {
  at: number;
  what: string;
}

/** sleep resolves after ms milliseconds, using a timer task. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
