import { botpressFailure, type BotpressClient } from '../botpress/client'
import type { ChatbaseIntegration } from '../definitions'
import { DELIVERIES_STATE } from '../definitions/constants'
import { DEDUP_WINDOW_MS } from './dedup'

type Delivery = ChatbaseIntegration['states'][typeof DELIVERIES_STATE]['payload']['deliveries'][number]
type Logger = { warn(message: string): void }

/**
 * How many deliveries the installation's record keeps at most, newest kept: about 45 bytes each, so the state stays
 * far below the 128 KB Botpress stores, and a record of the last hour at a normal rate of leads.
 */
export const MAX_RECORDED_DELIVERIES = 1_000

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
      const { state } = await this.client.getState({ type: 'integration', id: this.integrationId, name: DELIVERIES_STATE })
      this.read = this.live(state.payload.deliveries)
    } catch (thrown) {
      const failure = botpressFailure(thrown)
      if (failure.kind !== 'not-found') {
        this.logger.warn(`Could not read the record of recent webhook deliveries (${failure.reason}); a repeated lead may reach the bot twice.`)
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
        payload: { deliveries },
        expiry: DEDUP_WINDOW_MS,
      })
    } catch (thrown) {
      this.logger.warn(
        `Could not record a webhook delivery (${botpressFailure(thrown).reason}); if Chatbase repeats it to another instance, the lead may reach the bot twice.`
      )
    }
  }
}
