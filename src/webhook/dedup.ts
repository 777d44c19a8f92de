/*
 * Deliveries already turned into an event, so that one repeated byte for byte (the sender or a proxy retrying after
 * a lost answer) emits nothing more. This record is in the instance's memory: the first line, free and exact for
 * repeats that reach the same instance, forgotten on restart, bounded in time and in count. Repeats that reach another
 * instance are caught by the installation's record in a Botpress state (recent-deliveries.ts).
 */

import { forgetOldest } from '../kept'

/** How long a delivered body is remembered. */
export const DEDUP_WINDOW_MS = 60 * 60 * 1000
/** How many delivered bodies are remembered at most; past it, the oldest are forgotten first. */
const DEDUP_CAPACITY = 10_000

/** What became of a delivery: `unconfirmed` when Botpress may have created its event without saying so. */
export type DeliveryOutcome = 'delivered' | 'duplicate' | 'unconfirmed'

export class DeliveryLog {
  /** Key → when its event was created, oldest first (entries are only ever appended). */
  private readonly delivered = new Map<string, number>()
  private readonly inFlight = new Map<string, Promise<DeliveryOutcome>>()

  public constructor(
    private readonly options: { windowMs: number; capacity: number; now?: () => number } = {
      windowMs: DEDUP_WINDOW_MS,
      capacity: DEDUP_CAPACITY,
    }
  ) {}

  /**
   * Runs `deliver` unless the same key was delivered within the window. A key is recorded only once `deliver`
   * resolved, so a failed delivery is accepted again. Identical deliveries arriving together share one run: if it
   * fails, they all fail, and the sender delivers again; otherwise the others are duplicates.
   */
  public async once(key: string, deliver: () => Promise<DeliveryOutcome>): Promise<DeliveryOutcome> {
    this.forgetExpired()
    if (this.delivered.has(key)) {
      return 'duplicate'
    }
    const running = this.inFlight.get(key)
    if (running) {
      await running
      return 'duplicate'
    }
    const delivery = deliver()
    this.inFlight.set(key, delivery)
    try {
      const outcome = await delivery
      this.remember(key)
      return outcome
    } finally {
      this.inFlight.delete(key)
    }
  }

  private now(): number {
    return (this.options.now ?? Date.now)()
  }

  private remember(key: string): void {
    this.delivered.set(key, this.now())
    forgetOldest(this.delivered, this.options.capacity)
  }

  private forgetExpired(): void {
    const now = this.now()
    for (const [key, at] of this.delivered) {
      if (now - at < this.options.windowMs) {
        break
      }
      this.delivered.delete(key)
    }
  }
}
