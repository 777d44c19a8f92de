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
