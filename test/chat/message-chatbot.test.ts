import { describe, expect, it } from 'vitest'
import { CHATBOT_ID, useHarness, ON_V1 } from '../support/harness'

const h = useHarness(ON_V1)

const chatRequests = () =>
  h.chatbase.requests.filter((request) => request.path === '/chat').map((request) => JSON.parse(request.body))

describe('messageChatbot', () => {
  it("sends the history and the new message, and answers the chatbot's text", async () => {
    h.chatbase.setChatReply(
      ({ messages }) => `reply to "${messages.at(-1)?.content}" after ${messages.length} messages`
    )
    const history = [
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: 'Hello! How can I help?' },
    ]
    const result = await h.driver.callAction('messageChatbot', {
      message: 'What are your prices?',
      conversationId: 'conv-1',
      history,
      model: 'gpt-4o-mini',
      temperature: 0.2,
    })

    expect(result.status).toBe(200)
    expect(result.output).toEqual({
      text: 'reply to "What are your prices?" after 3 messages',
      answered: true,
      toolCalls: [],
      api: 'v1',
      conversationId: 'conv-1',
      history: [
        ...history,
        { role: 'user', content: 'What are your prices?' },
        { role: 'assistant', content: 'reply to "What are your prices?" after 3 messages' },
      ],
    })
    expect(chatRequests()).toEqual([
      {
        chatbotId: CHATBOT_ID,
        messages: [...history, { role: 'user', content: 'What are your prices?' }],
        conversationId: 'conv-1',
        model: 'gpt-4o-mini',
        temperature: 0.2,
        stream: false,
      },
    ])
    expect(h.chatbase.savedConversation('conv-1')?.at(-1)).toEqual({
      role: 'assistant',
      content: 'reply to "What are your prices?" after 3 messages',
    })
  })

  it('sends only the message when there is no history, and saves nothing without a conversation id', async () => {
    const result = await h.driver.callAction('messageChatbot', { message: 'Hello' })

    expect(result.output?.text).toEqual(expect.any(String))
    expect(result.output?.conversationId).toBeUndefined()
    expect(chatRequests()[0]?.messages).toEqual([{ role: 'user', content: 'Hello' }])
    expect(chatRequests()[0]).not.toHaveProperty('conversationId')
  })

  it('refuses an out-of-range temperature and a bad history role before any request', async () => {
    const result = await h.driver.callAction('messageChatbot', {
      message: 'Hello',
      temperature: 1.5,
      history: [{ role: 'system', content: 'x' }],
    })

    expect(result.error?.message).toContain('temperature: Number must be less than or equal to 1')
    expect(result.error?.message).toContain('history.0.role')
    expect(h.chatbase.requests).toHaveLength(0)
  })
})
