import { describe, expect, it } from 'vitest'
import { DEDUP_WINDOW_MS, DeliveryLog, type DeliveryOutcome } from '../../src/webhook/dedup'

const clock = () => {
  let now = 0
  return { now: () => now, advance: (ms: number) => (now += ms) }
}

/** A delivery that finishes when told to, counting how often it was started. */
const controlled = () => {
  let finish: (error?: Error) => void = () => undefined
  const delivery = {
    started: 0,
    run: () => {
      delivery.started += 1
      return new Promise<DeliveryOutcome>((resolve, reject) => {
        finish = (error) => (error ? reject(error) : resolve('delivered'))
      })
    },
    succeed: () => finish(),
    fail: () => finish(new Error('Botpress unavailable')),
  }
  return delivery
}

describe('DeliveryLog', () => {
  it('delivers a key once within the window, and again after it', async () => {
    const time = clock()
    const log = new DeliveryLog({ windowMs: 1_000, capacity: 10, now: time.now })
    let runs = 0
    const deliver = async () => {
      runs += 1
      return 'delivered' as const
    }

    expect(await log.once('a', deliver)).toBe('delivered')
    time.advance(999)
    expect(await log.once('a', deliver)).toBe('duplicate')
    expect(await log.once('b', deliver)).toBe('delivered')
    time.advance(1)
    expect(await log.once('a', deliver)).toBe('delivered')
    expect(runs).toBe(3)
  })

  it('does not record a failed delivery, so that the next one is accepted', async () => {
    const log = new DeliveryLog()

    await expect(log.once('a', () => Promise.reject(new Error('down')))).rejects.toThrow('down')
    expect(await log.once('a', async () => 'delivered' as const)).toBe('delivered')
  })

  it('remembers a key whatever the delivery resolved to, and gives that outcome to the first caller', async () => {
    const log = new DeliveryLog()

    expect(await log.once('a', async () => 'unconfirmed' as const)).toBe('unconfirmed')
    expect(await log.once('a', async () => 'delivered' as const)).toBe('duplicate')
  })

  it('runs identical deliveries that arrive together once, and they share its success', async () => {
    const log = new DeliveryLog()
    const delivery = controlled()
    const first = log.once('a', delivery.run)
    const second = log.once('a', delivery.run)
    delivery.succeed()

    expect(await Promise.all([first, second])).toEqual(['delivered', 'duplicate'])
    expect(delivery.started).toBe(1)
  })

  it('fails identical deliveries that arrived together when the one run fails, and accepts the next', async () => {
    const log = new DeliveryLog()
    const delivery = controlled()
    const first = log.once('a', delivery.run)
    const second = log.once('a', delivery.run)
    delivery.fail()

    await expect(first).rejects.toThrow('Botpress unavailable')
    await expect(second).rejects.toThrow('Botpress unavailable')
    expect(delivery.started).toBe(1)
    expect(await log.once('a', async () => 'delivered' as const)).toBe('delivered')
  })

  it('forgets the oldest keys beyond its capacity', async () => {
    const log = new DeliveryLog({ windowMs: DEDUP_WINDOW_MS, capacity: 2 })
    const deliver = async () => 'delivered' as const
    for (const key of ['a', 'b', 'c']) await log.once(key, deliver)

    expect(await log.once('c', deliver)).toBe('duplicate')
    expect(await log.once('b', deliver)).toBe('duplicate')
    expect(await log.once('a', deliver)).toBe('delivered')
  })
})
