import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { botpressApi } from '../../src/botpress/client'
import { DELIVERIES_STATE } from '../../src/definitions/constants'
import { DEDUP_WINDOW_MS } from '../../src/webhook/dedup'
import { MAX_RECORDED_DELIVERIES, RecentDeliveries } from '../../src/webhook/recent-deliveries'
import { testInstallation } from '../support/botpress-protocol'
import { CLOUD_LIMITS, platformClient, startBotpressStandIn, type BotpressStandIn } from '../support/botpress-stand-in'

/* The installation's record of deliveries, against the Botpress stand-in over HTTP, with a clock of the test's own. */

const installation = testInstallation({})
let botpress: BotpressStandIn
let now = 0
const warnings: string[] = []

const logger = { warn: (line: string) => warnings.push(line) }

/** A record as one instance holds it; a new one stands for another instance. */
const record = () => new RecentDeliveries(installation.integrationId, () => now)
const client = () => botpressApi(platformClient(botpress, installation), 2_000)

/** One delivery as the webhook makes it: read the record, then add the key. */
const deliver = async (key: string, deliveries = record()) => {
  const seen = await deliveries.has(key, client(), logger)
  if (!seen) await deliveries.add(key, client(), logger)
  return seen
}

const stateCalls = () => botpress.requests.filter((request) => request.path.endsWith(DELIVERIES_STATE))

/** Shaped like the webhook's digests: 16 characters. */
const key = (index: number) => `key-${String(index).padStart(12, '0')}`

beforeAll(async () => {
  botpress = await startBotpressStandIn()
})
beforeEach(() => {
  botpress.reset()
  botpress.behave({ stateLimitBytes: CLOUD_LIMITS.stateLimitBytes })
  now = 1_800_000_000_000
  warnings.length = 0
})
afterAll(() => botpress.close())

describe('RecentDeliveries', () => {
  it('knows a key added by another record of the same installation, as another instance would', async () => {
    expect(await deliver('a')).toBe(false)
    expect(await deliver('a')).toBe(true)
    expect(await deliver('b')).toBe(false)
  })

  it('shares reads and writes among the deliveries one instance handles at once, and keeps every key', async () => {
    const instance = record()
    const keys = Array.from({ length: 20 }, (_, index) => key(index))
    const seen = await Promise.all(keys.map((each) => deliver(each, instance)))
    const calls = stateCalls().length

    expect(seen).toEqual(keys.map(() => false))
    expect(calls).toBeLessThanOrEqual(4)
    expect(await Promise.all(keys.map((each) => record().has(each, client(), logger)))).toEqual(keys.map(() => true))
  })

  it(`keeps the newest ${MAX_RECORDED_DELIVERIES} keys, under 30 bytes each`, async () => {
    for (let index = 0; index < MAX_RECORDED_DELIVERIES + 5; index++) {
      await deliver(key(index))
    }
    const writes = botpress.requests.filter(
      (request) => request.method === 'POST' && request.path.endsWith(DELIVERIES_STATE)
    )
    const last = JSON.parse(writes.at(-1)!.body)

    expect(last.payload.deliveries).toHaveLength(MAX_RECORDED_DELIVERIES)
    expect(Buffer.byteLength(JSON.stringify(last.payload))).toBeLessThan(MAX_RECORDED_DELIVERIES * 30)
    expect(await deliver(key(4))).toBe(false)
    expect(await deliver(key(MAX_RECORDED_DELIVERIES + 4))).toBe(true)
    expect(warnings).toEqual([])
  })

  it('forgets keys older than the window, and the state expires when idle that long', async () => {
    await deliver('old')
    now += DEDUP_WINDOW_MS
    await deliver('new')
    const writes = botpress.requests
      .filter((request) => request.method === 'POST')
      .map((request) => JSON.parse(request.body))

    expect(writes.at(-1).payload.deliveries).toEqual([`new ${Math.floor(now / 1000).toString(36)}`])
    expect(writes.every((write) => write.expiry === DEDUP_WINDOW_MS)).toBe(true)
    expect(await deliver('old')).toBe(false)
  })

  it.each([
    ['entries of other shapes', [42, null, 'no-time', `kept ${Math.floor(1_800_000_000).toString(36)}`]],
    ['no list of entries', undefined],
  ])('reads a record holding %s, keeping what it can use and adding to it', async (_shape, deliveries) => {
    const written = { type: 'integration', id: installation.integrationId, name: DELIVERIES_STATE } as const
    await client().setState({ ...written, payload: { deliveries } as never })

    expect(await record().has('kept', client(), logger)).toBe(deliveries !== undefined)
    expect(await record().has('no-time', client(), logger)).toBe(false)
    expect(await deliver('new')).toBe(false)
    expect(await deliver('new')).toBe(true)
    expect(warnings).toEqual([])
  })

  it('says the key is new and warns when the record cannot be read; warns when it cannot be written', async () => {
    await deliver('a')
    // A read is tried again once a second later; a second wait would pass its 2 s.
    botpress.injectFault({ operation: 'getState', status: 500, times: 2 })
    botpress.injectFault({ operation: 'setState', status: 403 })

    expect(await deliver('a')).toBe(false)
    expect(warnings).toEqual([
      expect.stringMatching(
        /^Could not read the record of recent webhook deliveries \(500 Internal: Injected failure\)/
      ),
      expect.stringMatching(/^Could not record a webhook delivery \(403 Forbidden: Injected failure\)/),
    ])
  })
})
