import { isApiError } from '@botpress/client'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { BOT_CHATBOT_ID, startBotHarness, type BotHarness } from './support/bot-harness'
import { deliverLeadWebhook, type LeadDelivery } from './support/chatbase-emulator'

/*
 * The example bot (test/examples/bot) and the built integration, each in its own process, wired through the Botpress
 * stand-in as Botpress Cloud wires them: user → bot (message_created) → callAction → integration
 * (action_triggered) → Chatbase emulator, and Chatbase → webhook → integration → createEvent → bot
 * (chatbase:leadSubmitted).
 */

const h = {} as BotHarness
beforeAll(async () => {
  Object.assign(h, await startBotHarness())
})
beforeEach(() => h.reset())
afterEach(() => expect(h.chatbase.contractViolations()).toEqual([])) // Chatbase v2 traffic held to its spec
afterAll(() => h.close())

const chatRequests = () =>
  h.chatbase.requests
    .filter((request) => request.api === 'v2' && request.path.endsWith('/chat'))
    .map((request) => JSON.parse(request.body))
/** The Chatbase conversation the integration holds for a Botpress conversation, asked of Chatbase as it would. */
const chatbaseConversationOf = async (botpressConversationId: string): Promise<string> => {
  const response = await fetch(
    `${h.chatbase.v2Url}/agents/${BOT_CHATBOT_ID}/users/botpress.${botpressConversationId}/conversations`,
    { headers: { authorization: `Bearer ${h.chatbase.apiKey}` } }
  )
  return ((await response.json()) as { data: { id: string }[] }).data[0]!.id
}
const deliveriesOf = (type: string) => h.botpress.deliveries.filter((delivery) => delivery.event.type === type)
const sendLead = (lead: LeadDelivery['payload']) =>
  deliverLeadWebhook(
    h.botpress.webhookUrl(h.driver.installation.webhookId),
    { chatbotId: BOT_CHATBOT_ID, payload: lead },
    h.chatbase.apiKey
  )
const recentLeads = async () =>
  (await h.botClient.getState({ type: 'bot', id: h.botId, name: 'recentLeads' })).state.payload.leads

describe('a user message', () => {
  it("reaches the bot, whose callAction reaches the integration and Chatbase, and the chatbot's answer comes back", async () => {
    h.chatbase.setAgentReply(({ message }) => `We open at 9 (you said "${message}")`)

    const { conversation, replies } = await h.userSays('What are your opening hours?')

    expect(replies).toHaveLength(1)
    expect(replies[0]).toMatchObject({
      type: 'text',
      userId: h.botId,
      payload: { text: 'We open at 9 (you said "What are your opening hours?")' },
    })
    expect(deliveriesOf('message_created').map(({ status }) => status)).toEqual([200])
    const actionCalls = h.botpress.requests.filter((request) => request.path === '/v1/chat/actions')
    expect(actionCalls.map(({ body }) => JSON.parse(body))).toEqual([
      {
        type: 'chatbase:messageChatbot',
        input: { message: 'What are your opening hours?', conversationId: conversation.id },
      },
    ])
    expect(actionCalls[0]?.headers).toMatchObject({
      authorization: `Bearer ${h.botpress.botToken}`,
      'x-bot-id': h.botId,
    })
    expect(chatRequests()).toEqual([
      { message: 'What are your opening hours?', userId: `botpress.${conversation.id}`, stream: false },
    ])
  })

  it('is remembered by Chatbase: the next message continues the same Chatbase conversation', async () => {
    h.chatbase.setAgentReply(({ messages }) => `answer ${messages.length}`)

    const first = await h.userSays('Hi')
    const second = await h.userSays('And your prices?')

    expect(second.replies.map(({ payload }) => payload)).toEqual([{ text: 'answer 3' }])
    expect(chatRequests()[1]).toEqual({
      message: 'And your prices?',
      conversationId: await chatbaseConversationOf(first.conversation.id),
      stream: false,
    })
  })

  it("gets an apology when Chatbase fails, while the integration's reason reaches the bot's logs without the key", async () => {
    h.chatbase.injectFault({ api: 'v2', path: `/agents/${BOT_CHATBOT_ID}/chat`, status: 401 })

    const { replies } = await h.userSays('Hello?')

    expect(replies.map(({ payload }) => payload)).toEqual([
      { text: "Sorry, I can't answer right now. Please try again in a moment." },
    ])
    await expect.poll(() => h.bot.logs.join('\n')).toContain('Chatbase could not answer')
    expect(h.bot.logs.join('\n')).toContain('Chatbase rejected the API key (401 Unauthorized)')
    expect(h.bot.logs.join('\n')).not.toContain(h.chatbase.apiKey)
  })
})

describe('a signed lead webhook', () => {
  it("reaches the bot's leadSubmitted handler exactly once, with the lead's fields, and is answered in the chat it came from", async () => {
    const { conversation } = await h.userSays('I would like a quote')
    const lead = {
      conversationId: await chatbaseConversationOf(conversation.id),
      customerName: 'Ada Lovelace',
      customerEmail: 'ada@example.com',
      customerPhone: '+14155550100',
    }

    const response = await sendLead(lead)
    await h.botpress.settled()

    expect(response.status).toBe(200)
    const leadDeliveries = deliveriesOf('chatbase:leadSubmitted')
    expect(leadDeliveries).toHaveLength(1)
    expect(leadDeliveries[0]).toMatchObject({
      status: 200,
      event: { payload: { chatbotId: BOT_CHATBOT_ID, ...lead }, conversationId: conversation.id },
    })
    expect(await recentLeads()).toEqual([
      { chatbotId: BOT_CHATBOT_ID, ...lead, receivedAt: leadDeliveries[0]?.event.createdAt },
    ])
    expect(h.botpress.messages.at(-1)).toMatchObject({
      direction: 'outgoing',
      conversationId: conversation.id,
      payload: { text: 'Thank you, Ada Lovelace! We have your details and will get back to you.' },
    })
  })

  it("from Chatbase's own widget is kept by the bot but answered nowhere, as it belongs to no Botpress conversation", async () => {
    const response = await sendLead({ conversationId: 'widget-conversation', customerEmail: 'grace@example.com' })
    await h.botpress.settled()

    expect(response.status).toBe(200)
    expect(deliveriesOf('chatbase:leadSubmitted').map(({ event }) => event.conversationId)).toEqual([undefined])
    expect(await recentLeads()).toEqual([
      {
        chatbotId: BOT_CHATBOT_ID,
        conversationId: 'widget-conversation',
        customerEmail: 'grace@example.com',
        receivedAt: expect.any(String),
      },
    ])
    expect(h.botpress.messages).toHaveLength(0)
  })

  it('reaches no bot handler when its signature is wrong', async () => {
    const response = await fetch(h.botpress.webhookUrl(h.driver.installation.webhookId), {
      method: 'POST',
      headers: { 'x-chatbase-signature': '0'.repeat(40) },
      body: JSON.stringify({ eventType: 'leads.submit', chatbotId: BOT_CHATBOT_ID, payload: { conversationId: 'c1' } }),
    })
    await h.botpress.settled()

    expect(response.status).toBe(401)
    expect(h.botpress.deliveries).toHaveLength(0)
    const missing = await h.botClient
      .getState({ type: 'bot', id: h.botId, name: 'recentLeads' })
      .catch((thrown: unknown) => thrown)
    expect(isApiError(missing) && missing.type).toBe('ResourceNotFound')
  })
})
