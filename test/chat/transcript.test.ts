import { describe, expect, it } from 'vitest'
import { STATE_PAYLOAD_LIMIT_BYTES } from '../../src/botpress/client'
import { MAX_MEMORY_CHARACTERS, MAX_MEMORY_MESSAGES } from '../../src/definitions/configuration'
import { boundTranscript, fitToState, type ChatMessage } from '../../src/state/transcript'

const turn = (index: number, length = 10): ChatMessage[] => [
  { role: 'user', content: `u${index}`.padEnd(length, '.') },
  { role: 'assistant', content: `a${index}`.padEnd(length, '.') },
]

describe('boundTranscript', () => {
  it('keeps everything within both bounds', () => {
    const messages = [...turn(1), ...turn(2)]
    expect(boundTranscript(messages, { maxMessages: 10, maxCharacters: 1_000 })).toEqual(messages)
  })

  it('drops the oldest messages past the message bound', () => {
    const messages = [...turn(1), ...turn(2), ...turn(3)]
    expect(boundTranscript(messages, { maxMessages: 3, maxCharacters: 1_000 })).toEqual(messages.slice(3))
  })

  it('drops the oldest messages past the character bound', () => {
    const messages = [...turn(1), ...turn(2), ...turn(3)]
    const kept = boundTranscript(messages, { maxMessages: 100, maxCharacters: 35 })
    expect(kept).toEqual(messages.slice(3))
    expect(kept.reduce((sum, message) => sum + message.content.length, 0)).toBeLessThanOrEqual(35)
  })

  it('always keeps the newest message, even when it alone is over the character bound', () => {
    const long: ChatMessage = { role: 'user', content: 'x'.repeat(500) }
    expect(boundTranscript([...turn(1), long], { maxMessages: 10, maxCharacters: 100 })).toEqual([long])
  })

  it('stays flat however long the chat runs', () => {
    const messages = Array.from({ length: 1_000 }, (_, index) => turn(index)).flat()
    const kept = boundTranscript(messages, { maxMessages: 40, maxCharacters: 16_000 })
    expect(kept).toHaveLength(40)
    expect(kept.at(-1)).toEqual(messages.at(-1))
  })
})

const payloadBytes = (messages: ChatMessage[]) => Buffer.byteLength(JSON.stringify({ messages }))

describe('fitToState', () => {
  it('keeps a transcript that fits as it is', () => {
    const messages = [...turn(1), ...turn(2)]
    expect(fitToState(messages)).toEqual(messages)
  })

  it.each([
    ['CJK, 3 bytes a character', '記'],
    ['emoji, 4 bytes for 2 UTF-16 units', '😀'],
    ['control characters, 6 bytes each once escaped', '\u0001'],
  ])('drops the oldest messages until the state payload fits, in %s', (_, unit) => {
    const messages = Array.from({ length: 60 }, (_, index): ChatMessage => ({
      role: index % 2 ? 'assistant' : 'user',
      content: unit.repeat(1_000),
    }))
    const kept = fitToState(messages)

    expect(payloadBytes(kept)).toBeLessThanOrEqual(STATE_PAYLOAD_LIMIT_BYTES)
    expect(payloadBytes(fitToState(messages.slice(messages.length - kept.length - 1)))).toBe(payloadBytes(kept))
    expect(kept.at(-1)).toBe(messages.at(-1))
  })

  it('holds nothing when the newest message alone is over the limit', () => {
    expect(fitToState([...turn(1), { role: 'user', content: 'x'.repeat(STATE_PAYLOAD_LIMIT_BYTES) }])).toEqual([])
  })

  it('is not needed at the largest memory settings in a script of 3 bytes a character', () => {
    const messages = Array.from({ length: MAX_MEMORY_MESSAGES }, (_, index): ChatMessage => ({
      role: index % 2 ? 'assistant' : 'user',
      content: '記'.repeat(MAX_MEMORY_CHARACTERS / MAX_MEMORY_MESSAGES),
    }))
    const bounded = boundTranscript(messages, {
      maxMessages: MAX_MEMORY_MESSAGES,
      maxCharacters: MAX_MEMORY_CHARACTERS,
    })

    expect(bounded).toHaveLength(MAX_MEMORY_MESSAGES)
    expect(payloadBytes(bounded)).toBeLessThanOrEqual(STATE_PAYLOAD_LIMIT_BYTES)
  })
})
