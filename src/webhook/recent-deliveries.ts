import { botpressFailure, type BotpressClient } from '../botpress/client'
import { DELIVERIES_STATE } from '../definitions/constants'
import { keptFor } from '../kept'
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

/** What one read or write of the record came to: the deliveries it holds, or why Botpress did not do it. */
type Outcome = { deliveries: Delivery[] } | { failure: string }

/**
 * The deliveries recently turned into events, kept in an `integration` state so that every instance of the
 * installation sees them: a repeat that reaches another instance than the first (or the same one after a restart)
 * emits nothing. Read before the event is created, written after. Deliveries this instance handles at once share
 * one read in flight, and a write takes every key added while the previous one was in flight, so a burst of leads
 * costs Botpress far fewer than two calls a lead. The record is a convenience: when Botpress cannot read or write it,
 * the lead still goes through, and the failure is logged.
 */
export class RecentDeliveries {
  /** The latest the record was seen to hold: what a write adds to. */
  private known: Delivery[] = []
  private reading: Promise<Outcome> | undefined
  private lastWrite: Promise<unknown> = Promise.resolve()
  /** The keys the next write takes, and that write's outcome; new keys join it until it starts. */
  private nextWrite: { added: Delivery[]; outcome: Promise<Outcome> } | undefined

  public constructor(
    private readonly client: BotpressClient,
    private readonly integrationId: string,
    private readonly now: () => number = Date.now
  ) {}

  private live(deliveries: Delivery[]): Delivery[] {
    const since = this.now() - DEDUP_WINDOW_MS
    return deliveries.filter((delivery) => delivery.at > since)
  }

  /** Whether the record holds this key; false when it cannot be read. */
  public async has(key: string, logger: Logger): Promise<boolean> {
    this.reading ??= this.read().finally(() => (this.reading = undefined))
    const outcome = await this.reading
    if ('failure' in outcome) {
      logger.warn(
        `Could not read the record of recent webhook deliveries (${outcome.failure}); a repeated lead may reach the bot twice.`
      )
      return false
    }
    return outcome.deliveries.some((delivery) => delivery.key === key)
  }

  /** Adds the key, forgetting the oldest past the bound; a failure is logged. */
  public async add(key: string, logger: Logger): Promise<void> {
    if (!this.nextWrite) {
      const added: Delivery[] = []
      const outcome = this.lastWrite.then(() => {
        this.nextWrite = undefined
        return this.write(added)
      })
      this.nextWrite = { added, outcome }
      this.lastWrite = outcome
    }
    this.nextWrite.added.push({ key, at: this.now() })
    const outcome = await this.nextWrite.outcome
    if ('failure' in outcome) {
      logger.warn(
        `Could not record a webhook delivery (${outcome.failure}); if Chatbase repeats it to another instance, the lead may reach the bot twice.`
      )
    }
  }

  private async read(): Promise<Outcome> {
    try {
      const { state } = await this.client.getState({
        type: 'integration',
        id: this.integrationId,
        name: DELIVERIES_STATE,
      })
      this.known = this.live(state.payload.deliveries.map(decode))
      return { deliveries: this.known }
    } catch (thrown) {
      const failure = botpressFailure(thrown)
      if (failure.kind !== 'not-found') {
        return { failure: failure.reason }
      }
      this.known = []
      return { deliveries: this.known }
    }
  }

  private async write(added: Delivery[]): Promise<Outcome> {
    const deliveries = this.live([...this.known, ...added]).slice(-MAX_RECORDED_DELIVERIES)
    try {
      await this.client.setState({
        type: 'integration',
        id: this.integrationId,
        name: DELIVERIES_STATE,
        payload: { deliveries: deliveries.map(encode) },
        expiry: DEDUP_WINDOW_MS,
      })
      this.known = deliveries
      return { deliveries }
    } catch (thrown) {
      return { failure: botpressFailure(thrown).reason }
    }
  }
}

// One record per installation (bot and integration) in this instance, so that its deliveries share reads and writes.
const MAX_KEPT_RECORDS = 64
const records = new Map<string, RecentDeliveries>()

export const recentDeliveriesOf = (client: BotpressClient, botId: string, integrationId: string): RecentDeliveries =>
  keptFor(
    records,
    JSON.stringify([botId, integrationId]),
    MAX_KEPT_RECORDS,
    () => new RecentDeliveries(client, integrationId)
  )
