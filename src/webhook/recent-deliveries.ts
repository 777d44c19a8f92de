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
  const space = entry.indexOf(' ')
  // An entry without its time counts as expired.
  return space < 0
    ? { key: entry, at: NaN }
    : { key: entry.slice(0, space), at: parseInt(entry.slice(space + 1), 36) * 1000 }
}

/** The entries of a record as it was read: one written by another version of the integration may hold others. */
const entriesOf = (payload: { deliveries?: unknown }): string[] =>
  Array.isArray(payload.deliveries)
    ? payload.deliveries.filter((entry): entry is string => typeof entry === 'string')
    : []

/** Why Botpress did not read or write the record. */
type Failure = { failure: string }
/** What a read came to: the keys the record holds, as a set, since every delivery in flight asks the same read. */
type Read = { keys: Set<string> } | Failure

const keysOf = (deliveries: Delivery[]): Read => ({ keys: new Set(deliveries.map((delivery) => delivery.key)) })

/**
 * The deliveries recently turned into events, kept in an `integration` state so that every instance of the
 * installation sees them: a repeat that reaches another instance than the first (or the same one after a restart)
 * emits nothing. Read before the event is created, written after. Deliveries this instance handles at once share
 * one read in flight, and a write takes every key added while the previous one was in flight, so a burst of leads
 * costs Botpress far fewer than two calls a lead; a shared call goes through the client of the delivery that started
 * it. The record is a convenience: when Botpress cannot read or write it,
 * the lead still goes through, and the failure is logged.
 */
export class RecentDeliveries {
  /** The latest the record was seen to hold: what a write adds to. */
  private known: Delivery[] = []
  private reading: Promise<Read> | undefined
  private lastWrite: Promise<unknown> = Promise.resolve()
  /** The keys the next write takes, and that write's outcome; new keys join it until it starts. */
  private nextWrite: { added: Delivery[]; outcome: Promise<Failure | undefined> } | undefined

  public constructor(
    private readonly integrationId: string,
    private readonly now: () => number = Date.now
  ) {}

  private live(deliveries: Delivery[]): Delivery[] {
    const since = this.now() - DEDUP_WINDOW_MS
    return deliveries.filter((delivery) => delivery.at > since)
  }

  /** Whether the record holds this key; false when it cannot be read. */
  public async has(key: string, client: BotpressClient, logger: Logger): Promise<boolean> {
    this.reading ??= this.read(client).finally(() => (this.reading = undefined))
    const outcome = await this.reading
    if ('failure' in outcome) {
      logger.warn(
        `Could not read the record of recent webhook deliveries (${outcome.failure}); a repeated lead may reach the bot twice.`
      )
      return false
    }
    return outcome.keys.has(key)
  }

  /** Adds the key, forgetting the oldest past the bound; a failure is logged. */
  public async add(key: string, client: BotpressClient, logger: Logger): Promise<void> {
    if (!this.nextWrite) {
      const added: Delivery[] = []
      const outcome = this.lastWrite.then(() => {
        this.nextWrite = undefined
        return this.write(added, client)
      })
      this.nextWrite = { added, outcome }
      this.lastWrite = outcome
    }
    this.nextWrite.added.push({ key, at: this.now() })
    const refused = await this.nextWrite.outcome
    if (refused) {
      logger.warn(
        `Could not record a webhook delivery (${refused.failure}); if Chatbase repeats it to another instance, the lead may reach the bot twice.`
      )
    }
  }

  private async read(client: BotpressClient): Promise<Read> {
    try {
      const { state } = await client.getState({
        type: 'integration',
        id: this.integrationId,
        name: DELIVERIES_STATE,
      })
      this.known = this.live(entriesOf(state.payload).map(decode))
      return keysOf(this.known)
    } catch (thrown) {
      const failure = botpressFailure(thrown)
      if (failure.kind !== 'not-found') {
        return { failure: failure.reason }
      }
      this.known = []
      return keysOf(this.known)
    }
  }

  private async write(added: Delivery[], client: BotpressClient): Promise<Failure | undefined> {
    const deliveries = this.live([...this.known, ...added]).slice(-MAX_RECORDED_DELIVERIES)
    try {
      await client.setState({
        type: 'integration',
        id: this.integrationId,
        name: DELIVERIES_STATE,
        payload: { deliveries: deliveries.map(encode) },
        expiry: DEDUP_WINDOW_MS,
      })
      this.known = deliveries
      return undefined
    } catch (thrown) {
      return { failure: botpressFailure(thrown).reason }
    }
  }
}

// One record per installation (bot and integration) in this instance, so that its deliveries share reads and writes.
const MAX_KEPT_RECORDS = 64
const records = new Map<string, RecentDeliveries>()

export const recentDeliveriesOf = (botId: string, integrationId: string): RecentDeliveries =>
  keptFor(records, JSON.stringify([botId, integrationId]), MAX_KEPT_RECORDS, () => new RecentDeliveries(integrationId))
