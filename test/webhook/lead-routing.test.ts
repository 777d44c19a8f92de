import { describe, expect, it } from 'vitest'
import { deliverLeadWebhook } from '../support/chatbase-emulator'
import { CHATBOT_ID, useHarness, ON_V1 } from '../support/harness'

describe('leads reach the conversation that produced them', () => {
  const h = useHarness(ON_V1)

  const lead = (conversationId: string) => ({
    chatbotId: CHATBOT_ID,
    payload: { conversationId, customerName: 'Grace', customerEmail: 'grace@example.com' },
  })
  const webhookUrl = () => h.botpress.webhookUrl(h.driver.installation.webhookId)

  it('links the leadSubmitted event to the Botpress conversation that Message Chatbot spoke for', async () => {
    await h.driver.callAction('messageChatbot', { message: 'I would like a demo', conversationId: 'bp-conv-77' })

    expect((await deliverLeadWebhook(webhookUrl(), lead('bp-conv-77'), h.chatbase.apiKey)).status).toBe(200)
    expect(h.botpress.events).toEqual([
      expect.objectContaining({
        type: 'leadSubmitted',
        conversationId: 'bp-conv-77',
        payload: expect.objectContaining({ conversationId: 'bp-conv-77' }),
      }),
    ])
  })

  it('leaves leads from other Chatbase conversations (the widget) unlinked', async () => {
    expect((await deliverLeadWebhook(webhookUrl(), lead('widget-conversation'), h.chatbase.apiKey)).status).toBe(200)
    expect(h.botpress.events).toHaveLength(1)
    expect(h.botpress.events[0]?.conversationId).toBeUndefined()
    expect(h.botpress.events[0]?.payload.conversationId).toBe('widget-conversation')
  })
})

describe('leads of API v2 conversations reach the conversation that produced them', () => {
  const h = useHarness({}, { instances: 2 })

  const lead = (conversationId: string) => ({
    chatbotId: CHATBOT_ID,
    payload: { conversationId, customerName: 'Ada', customerEmail: 'ada@example.com' },
  })
  const deliver = (conversationId: string, instance = 0) =>
    deliverLeadWebhook(
      h.botpress.webhookUrl(h.instances[instance]!.driver.installation.webhookId),
      lead(conversationId),
      h.chatbase.apiKey
    )

  it('links the lead through the Chatbase conversation, on an instance that never saw it', async () => {
    const answer = await h.driver.callAction('messageChatbot', { message: 'a demo, please', conversationId: 'bp-v2-1' })
    const chatbaseConversationId = String(answer.output?.chatbaseConversationId)
    h.botpress.connect(h.instances[1]!.driver)

    expect((await deliver(chatbaseConversationId, 1)).status).toBe(200)
    expect(h.botpress.events).toEqual([
      expect.objectContaining({
        type: 'leadSubmitted',
        conversationId: 'bp-v2-1',
        payload: expect.objectContaining({ conversationId: chatbaseConversationId, customerName: 'Ada' }),
      }),
    ])
  })

  it('leaves unlinked a lead of a conversation started with the flow’s own User ID, or of the widget', async () => {
    const own = await h.driver.callAction('messageChatbot', { message: 'hi', conversationId: 'bp-v2-2', userId: 'u-9' })
    h.botpress.connect(h.instances[1]!.driver)
    const widget = h.chatbase.addAgentConversation(CHATBOT_ID, { source: 'Widget or Iframe' })

    expect((await deliver(String(own.output?.chatbaseConversationId), 1)).status).toBe(200)
    expect((await deliver(widget.id, 1)).status).toBe(200)
    expect(h.botpress.events.map((event) => event.conversationId)).toEqual([undefined, undefined])
  })

  it('delivers the lead unlinked, at once, when Chatbase refuses v2 for the plan', async () => {
    h.chatbase.setPlanAccess('no-api')

    expect((await deliver('1785371a-63bb-4625-b20d-bcf91276567a')).status).toBe(200)
    expect(h.botpress.events).toHaveLength(1)
    expect(h.botpress.events[0]?.conversationId).toBeUndefined()
  })
})
