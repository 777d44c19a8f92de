import { describe, expect, it } from 'vitest'
import { boundTranscript, type ChatMessage } from '../../src/state/transcript'

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
