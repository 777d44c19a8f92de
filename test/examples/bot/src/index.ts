import * as sdk from '@botpress/sdk'
import { RECENT_LEADS_KEPT, type ExampleBot } from '../bot.definition'

const bot = new sdk.Bot<ExampleBot>({ actions: {}, plugins: {} })

const say = (client: sdk.BotSpecificClient<ExampleBot>, botId: string, conversationId: string, text: string) =>
  client.createMessage({ conversationId, userId: botId, tags: {}, type: 'text', payload: { text } })

/** Whatever channel the user writes on (webchat, Telegram, …), text messages are answered by the Chatbase chatbot. */
bot.on.message('*', async ({ message, client, ctx, logger }) => {
  const text = sdk.messages.defaults.text.schema.safeParse(message.payload)
  if (message.type !== 'text' || !text.success) {
    return
  }
  try {
    // With the Botpress conversation id, the integration remembers the chat for the next message, and a lead
    // submitted in it comes back linked to this conversation.
    const { output } = await client.callAction({
      type: 'chatbase:messageChatbot',
      input: { message: text.data.text, conversationId: message.conversationId },
    })
    await say(client, ctx.botId, message.conversationId, output.text)
  } catch (thrown) {
    // The integration's error says what went wrong (e.g. a rejected API key): for the builder's logs, not the user.
    logger.error(`Chatbase could not answer: ${thrown instanceof Error ? thrown.message : String(thrown)}`)
    await say(
      client,
      ctx.botId,
      message.conversationId,
      "Sorry, I can't answer right now. Please try again in a moment."
    )
  }
})

/** A visitor filled in the Chatbase lead form: keep the latest leads, and thank the visitor if chatting here. */
bot.on.event('chatbase:leadSubmitted', async ({ event, client, ctx, logger }) => {
  const address = { type: 'bot', id: ctx.botId, name: 'recentLeads' } as const
  const { state } = await client.getOrSetState({ ...address, payload: { leads: [] } })
  const lead = { ...event.payload, receivedAt: event.createdAt }
  await client.setState({ ...address, payload: { leads: [...state.payload.leads, lead].slice(-RECENT_LEADS_KEPT) } })
  // The conversation, not the contact details: logs are no place for a visitor's email or phone.
  logger.info(`New lead in Chatbase conversation ${event.payload.conversationId}`)

  // Linked only when the form was filled in a chat this bot relays; leads from Chatbase's own widget are not.
  if (event.conversationId) {
    const name = event.payload.customerName ? `, ${event.payload.customerName}` : ''
    await say(
      client,
      ctx.botId,
      event.conversationId,
      `Thank you${name}! We have your details and will get back to you.`
    )
  }
})

export default bot
