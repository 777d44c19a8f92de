import { beforeEach, describe, expect, it } from 'vitest'
import { useHarness, type Harness, ON_V1 } from '../support/harness'

type Message = { role: 'user' | 'assistant'; content: string }

const sentMessages = (h: Harness): Message[][] =>
  h.chatbase.requests.filter((request) => request.path === '/chat').map((request) => JSON.parse(request.body).messages)

const say = (h: Harness, message: string, extra: Record<string, unknown> = {}) =>
  h.driver.callAction('messageChatbot', { message, conversationId: 'bp-conv-1', ...extra })

const replyWithTurnNumber = (h: Harness) =>
  h.chatbase.setChatReply(({ messages }) => `answer to ${messages.at(-1)?.content}`)

describe('a conversation that carries itself', () => {
  const h = useHarness(ON_V1)
  beforeEach(() => replyWithTurnNumber(h))

  it('sends the whole remembered conversation with every message, under the same conversation id', async () => {
    await say(h, 'first')
    await say(h, 'second')
    const third = await say(h, 'third')

    expect(third.output).toEqual({
      text: 'answer to third',
      answered: true,
      toolCalls: [],
      api: 'v1',
      conversationId: 'bp-conv-1',
      history: [...sentMessages(h).at(-1)!, { role: 'assistant', content: 'answer to third' }],
    })
    expect(sentMessages(h)).toEqual([
      [{ role: 'user', content: 'first' }],
      [
        { role: 'user', content: 'first' },
        { role: 'assistant', content: 'answer to first' },
        { role: 'user', content: 'second' },
      ],
      [
        { role: 'user', content: 'first' },
        { role: 'assistant', content: 'answer to first' },
        { role: 'user', content: 'second' },
        { role: 'assistant', content: 'answer to second' },
        { role: 'user', content: 'third' },
      ],
    ])
    expect(h.chatbase.requests.every((request) => JSON.parse(request.body).conversationId === 'bp-conv-1')).toBe(true)
    expect(h.chatbase.savedConversation('bp-conv-1')).toHaveLength(6)
  })

  it('keeps conversations apart', async () => {
    await say(h, 'to one', { conversationId: 'bp-a' })
    await say(h, 'to two', { conversationId: 'bp-b' })
    await say(h, 'again to one', { conversationId: 'bp-a' })

    expect(
      sentMessages(h)
        .at(-1)
        ?.map((message) => message.content)
    ).toEqual(['to one', 'answer to to one', 'again to one'])
  })

  it('starts afresh when asked', async () => {
    await say(h, 'old topic')
    await say(h, 'new topic', { resetConversation: true })
    await say(h, 'follow-up')

    expect(sentMessages(h)[1]).toEqual([{ role: 'user', content: 'new topic' }])
    expect(sentMessages(h)[2]?.map((message) => message.content)).toEqual([
      'new topic',
      'answer to new topic',
      'follow-up',
    ])
  })

  it('uses an explicit history instead, and then remembers nothing of that call', async () => {
    await say(h, 'remembered')
    await say(h, 'one-off', { history: [{ role: 'user', content: 'given by the caller' }] })
    await say(h, 'next')

    expect(sentMessages(h)[1]).toEqual([
      { role: 'user', content: 'given by the caller' },
      { role: 'user', content: 'one-off' },
    ])
    expect(sentMessages(h)[2]?.map((message) => message.content)).toEqual([
      'remembered',
      'answer to remembered',
      'next',
    ])
  })

  it('remembers nothing when Chatbase fails, so the retried message is not sent twice', async () => {
    await say(h, 'hello')
    h.chatbase.injectFault({ path: '/chat', status: 400, times: 1 })
    expect((await say(h, 'lost?')).status).toBe(400)
    await say(h, 'lost?')

    expect(
      sentMessages(h)
        .at(-1)
        ?.map((message) => message.content)
    ).toEqual(['hello', 'answer to hello', 'lost?'])
  })

  it('reports answered = false for the fallback answer, so a flow can hand over', async () => {
    h.chatbase.setChatReply(() => 'Hmm, I am not sure.')
    const result = await say(h, 'what is the meaning of life?')

    expect(result.output).toMatchObject({ text: 'Hmm, I am not sure.', answered: false })
  })
})

describe('a long conversation stays bounded', () => {
  const h = useHarness({ ...ON_V1, memoryMessages: 6, memoryCharacters: 2_000 })
  beforeEach(() => replyWithTurnNumber(h))

  it('sends at most the configured number of messages, newest kept, oldest dropped first', async () => {
    for (let turn = 1; turn <= 30; turn++) {
      await say(h, `turn ${turn}`)
    }
    const sent = sentMessages(h)

    expect(sent.map((messages) => messages.length)).toEqual([1, 3, 5, ...Array<number>(27).fill(6)])
    expect(sent.at(-1)?.map((message) => message.content)).toEqual([
      'answer to turn 27',
      'turn 28',
      'answer to turn 28',
      'turn 29',
      'answer to turn 29',
      'turn 30',
    ])
  })

  it('drops the oldest messages past the character bound', async () => {
    const long = 'x'.repeat(900)
    for (let turn = 1; turn <= 5; turn++) {
      await say(h, `${turn} ${long}`)
    }
    const sent = sentMessages(h)
    const characters = (messages: Message[]) => messages.reduce((sum, message) => sum + message.content.length, 0)

    expect(sent.every((messages) => characters(messages) <= 2_000)).toBe(true)
    expect(sent.at(-1)?.at(-1)?.content).toBe(`5 ${long}`)
  })
})
