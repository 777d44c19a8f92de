import { describe, expect, it } from 'vitest'
import { onApi } from '../../src/chatbase/api-choice'
import { ChatbaseError } from '../../src/chatbase/errors'

/* Which API runs a card, decided from the configuration and from what Chatbase answers for the key's plan. */

const planRefusal = () => new ChatbaseError('Could not… (403)', 'answered', 403, 'SUBSCRIPTION_API_RESTRICTED_PLAN')
const card = { name: 'messageChatbot' as const, title: 'Message AI Agent' }
const v2Only = { name: 'rateAnswer' as const, title: 'Rate Answer' }
let keys = 0
const installation = (apiVersion: 'automatic' | 'v2' | 'v1' = 'automatic') => ({ apiKey: `key-${++keys}`, apiVersion })

const recording = () => {
  const calls: string[] = []
  const way = (api: string, outcome: () => string) => async () => {
    calls.push(api)
    return outcome()
  }
  return { calls, way }
}

describe('onApi', () => {
  it('runs a card on v2 when the plan has it', async () => {
    const { calls, way } = recording()
    expect(await onApi(installation(), card, { v2: way('v2', () => 'two'), v1: way('v1', () => 'one') })).toBe('two')
    expect(calls).toEqual(['v2'])
  })

  it('falls back to v1 when v2 is refused for the plan, and goes to v1 directly for the next cards of that key', async () => {
    const { calls, way } = recording()
    const key = installation()
    const ways = {
      v2: way('v2', () => {
        throw planRefusal()
      }),
      v1: way('v1', () => 'one'),
    }
    expect(await onApi(key, card, ways)).toBe('one')
    expect(await onApi(key, card, ways)).toBe('one')
    expect(calls).toEqual(['v2', 'v1', 'v1'])
    await expect(onApi(key, v2Only, { v2: way('v2', () => 'two') })).rejects.toThrow(
      'Rate Answer needs Chatbase API v2, which comes with the Chatbase Standard plan or higher'
    )
  })

  it('fails a v2-only card with the plan it needs', async () => {
    await expect(
      onApi(installation(), v2Only, {
        v2: async () => {
          throw planRefusal()
        },
      })
    ).rejects.toThrow('needs Chatbase API v2, which comes with the Chatbase Standard plan or higher')
  })

  it('does not fall back for any other failure', async () => {
    const { calls, way } = recording()
    const other = new ChatbaseError('Could not… (403)', 'answered', 403, 'AUTH_INSUFFICIENT_PERMISSIONS')
    await expect(
      onApi(installation(), card, {
        v2: way('v2', () => {
          throw other
        }),
        v1: way('v1', () => 'one'),
      })
    ).rejects.toBe(other)
    expect(calls).toEqual(['v2'])
  })

  it('keeps to the API the configuration forces', async () => {
    const { calls, way } = recording()
    const refused = {
      v2: way('v2', () => {
        throw planRefusal()
      }),
      v1: way('v1', () => 'one'),
    }
    await expect(onApi(installation('v2'), card, refused)).rejects.toThrow('Could not… (403)')
    expect(await onApi(installation('v1'), card, refused)).toBe('one')
    expect(calls).toEqual(['v2', 'v1'])
    await expect(onApi(installation('v1'), v2Only, { v2: way('v2', () => 'two') })).rejects.toThrow(
      '"Chatbase API" is set to v1'
    )
  })
})
