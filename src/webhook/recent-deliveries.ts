import { botpressFailure, type BotpressClient } from '../botpress/client'
import { DELIVERIES_STATE } from '../definitions/constants'
import { DEDUP_WINDOW_MS } from './dedup'

type Logger = { warn(message: string): void }

/**
 * How many deliveries the installation's record keeps at most, newest kept: under 30 bytes each, so that the state,
 * read and written with every lead, stays small; at a normal rate of leads, a record of the whole hour.
 */
export const MAX_RECORDED_DELIVERIES = 500

/** One entry: the delivery's digest and when its event was created, in seconds, base 36 (compact for the state). */
type Delivery = { key: string; at: number }
const encode = ({ key, at }: Delivery): string => `${key} ${Math.floor(at / 1000).toString(36)}`
const decode = (entry: string): Delivery => {
  const [key = '', at = ''] = entry.split(' ')
  return { key, at: parseInt(at, 36) * 1000 }
}

/**
 * The deliveries recently turned into events, kept in an `integration` state so that every instance of the
 * installation sees them: a repeat that reaches another instance than the first (or the same one after a restart)
 * emits nothing. Read before the event is created, written after. The record is a convenience: when Botpress cannot
 * read or write it, the lead still goes through, and the failure is logged.
 */
export class RecentDeliveries {
  private read: Delivery[] = []

  public constructor(
    private readonly client: BotpressClient,
    private readonly integrationId: string,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now
  ) {}

  private live(deliveries: Delivery[]): Delivery[] {
    const since = this.now() - DEDUP_WINDOW_MS
    return deliveries.filter((delivery) => delivery.at > since)
  }

  /** Whether the record holds this key; false when it cannot be read. */
  public async has(key: string): Promise<boolean> {
    try {
      const { state } = await this.client.getState({
        type: 'integration',
        id: this.integrationId,
        name: DELIVERIES_STATE,
      })
      this.read = this.live(state.payload.deliveries.map(decode))
    } catch (thrown) {
      const failure = botpressFailure(thrown)
      if (failure.kind !== 'not-found') {
        this.logger.warn(
          `Could not read the record of recent webhook deliveries (${failure.reason}); a repeated lead may reach the bot twice.`
        )
      }
      return false
    }
    return this.read.some((delivery) => delivery.key === key)
  }

  /** Adds the key to what was read, forgetting the oldest past the bound; a failure is logged. */
  public async add(key: string): Promise<void> {
    const deliveries = this.live([...this.read, { key, at: this.now() }]).slice(-MAX_RECORDED_DELIVERIES)
    try {
      await this.client.setState({
        type: 'integration',
        id: this.integrationId,
        name: DELIVERIES_STATE,
        payload: { deliveries: deliveries.map(encode) },
        expiry: DEDUP_WINDOW_MS,
      })
    } catch (thrown) {
      this.logger.warn(
        `Could not record a webhook delivery (${botpressFailure(thrown).reason}); if Chatbase repeats it to another instance, the lead may reach the bot twice.`
      )
    }
  }
}
