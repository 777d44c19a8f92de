/*
 * `npm start`: builds the bundle, serves it as `bp serve` would, and walks through every action and a signed lead
 * webhook, printing each step. Against the local Chatbase emulator by default; against the real Chatbase when
 * CHATBASE_API_KEY and CHATBASE_CHATBOT_ID are set (it then creates a few real contacts in that chatbot, and leaves
 * out the icon upload and the emulator's live shapes). Ends with the bot-as-code path: the example bot
 * (test/examples/bot) served with bot.start, answering a user through the integration and receiving a lead.
 */
import { botClient, serveBot, userSays } from '../../support/bot-harness'
import { startBotpressStandIn } from '../../support/botpress-stand-in'
import { BotDriver, IntegrationDriver, testInstallation } from '../../support/botpress-protocol'
import { chatbaseEnvironment, deliverLeadWebhook, startChatbaseEmulator } from '../../support/chatbase-emulator'
import { pngImage, startFileHost } from '../../support/file-host'
import { serveBundle } from '../../support/serve-bundle'

const PLAYGROUND_CONVERSATION = 'playground-conversation'

type Step = { title: string; run: () => Promise<{ ok: boolean; shown: unknown }> }

const real =
  process.env.CHATBASE_API_KEY && process.env.CHATBASE_CHATBOT_ID
    ? { apiKey: process.env.CHATBASE_API_KEY, chatbotId: process.env.CHATBASE_CHATBOT_ID }
    : undefined

const main = async (): Promise<number> => {
  const emulator = real ? undefined : await startChatbaseEmulator({ chatbotIds: ['playground-bot'] })
  const configuration = real ?? { apiKey: emulator!.apiKey, chatbotId: 'playground-bot' }
  if (emulator) {
    emulator.addCustomAttribute(configuration.chatbotId, { name: 'plan', type: 'text' })
    emulator.addLead(configuration.chatbotId, {
      name: 'Grace Hopper',
      email: 'grace@example.com',
      createdAt: new Date().toISOString(),
    })
  }
  const botpress = await startBotpressStandIn()
  const files = await startFileHost()
  const integration = await serveBundle({
    ...(emulator && chatbaseEnvironment(emulator)),
    BP_API_URL: botpress.url,
    BP_TOKEN: botpress.token,
    NODE_EXTRA_CA_CERTS: files.caPath,
  })
  const driver = new IntegrationDriver(integration.url, testInstallation(configuration))
  botpress.connect(driver)
  const botId = driver.installation.botId
  const bot = await serveBot({ BP_API_URL: botpress.url, BP_TOKEN: botpress.botToken })
  botpress.connectBot(new BotDriver(bot.url, { botId, configuration: {} }))
  const webhookUrl = botpress.webhookUrl(driver.installation.webhookId)
  console.log(`Chatbase: ${real ? 'the real API' : `local emulator at ${emulator!.url}`}`)
  console.log(
    `Integration served at ${integration.url}; example bot at ${bot.url}; Botpress stand-in at ${botpress.url}\n`
  )

  const action = (type: string, input: unknown) => async () => {
    const result = await driver.callAction(type, input)
    return { ok: result.status === 200, shown: result.output ?? result.error?.message }
  }
  let contactId = ''
  const botChat = { conversationId: '' }
  const steps: Step[] = [
    {
      title: 'register (checks the API key and chatbot id)',
      run: async () => {
        const answer = await driver.register(webhookUrl)
        return {
          ok: answer.status === 200,
          shown: answer.status === 200 ? `webhook URL to paste in Chatbase: ${webhookUrl}` : answer.body,
        }
      },
    },
    {
      title: 'createContact',
      run: async () => {
        const result = await action('createContact', {
          externalId: `playground-${Date.now()}`,
          name: 'Ada Lovelace',
          phoneNumber: '+14155550100',
          customAttributes: { plan: 'pro' },
        })()
        contactId = (result.shown as { contact?: { id: string } }).contact?.id ?? ''
        return result
      },
    },
    { title: 'updateContact', run: () => action('updateContact', { contactId, name: 'Ada King' })() },
    {
      title: 'messageChatbot, first turn (remembered under the conversation id)',
      run: () =>
        action('messageChatbot', { message: 'Hello! What can you do?', conversationId: PLAYGROUND_CONVERSATION })(),
    },
    {
      title: 'messageChatbot, second turn: only the new message is given, the integration sends the whole chat',
      run: async () => {
        const result = await action('messageChatbot', {
          message: 'And how do I reach a human?',
          conversationId: PLAYGROUND_CONVERSATION,
        })()
        const sent = emulator?.requests.filter((request) => request.path === '/chat').at(-1)
        const messagesSent = sent ? JSON.parse(sent.body).messages.length : 'not visible with the real Chatbase'
        return {
          ok: result.ok && (emulator === undefined || messagesSent === 3),
          shown: { ...(result.shown as object), messagesSent },
        }
      },
    },
    {
      title: 'createContacts (bulk import: every contact accounted for, a repeated email fails without a request)',
      run: () => {
        const run = Date.now()
        return action('createContacts', {
          contacts: [
            { externalId: `playground-bulk-1-${run}`, email: `bulk-1-${run}@example.com` },
            { externalId: `playground-bulk-2-${run}`, email: `bulk-2-${run}@example.com` },
            { externalId: `playground-bulk-3-${run}`, email: `bulk-1-${run}@example.com` },
          ],
        })()
      },
    },
    { title: 'listContacts', run: () => action('listContacts', { perPage: 10 })() },
    {
      title: 'getConversations (the chat above, saved by Chatbase)',
      run: () => action('getConversations', { filteredSources: ['API'] })(),
    },
    { title: 'getLeads', run: () => action('getLeads', { page: 1, size: 10 })() },
    ...(emulator
      ? [
          {
            title:
              'uploadChatbotIcon (downloaded from an https file host, then posted to Chatbase as multipart/form-data)',
            run: async () => {
              const fileUrl = files.serve('/playground-icon.png', { body: pngImage(32), contentType: 'image/png' })
              const result = await action('uploadChatbotIcon', { fileUrl })()
              const parts = emulator.requests.find((request) => request.path === '/upload-chatbot-icon')?.parts ?? []
              const received = parts.map((part) =>
                'bytes' in part
                  ? `${part.name}: ${part.fileName}, ${part.contentType}, ${part.bytes.length} bytes`
                  : `${part.name}: ${part.value}`
              )
              return {
                ok: result.ok && parts.length === 2,
                shown: { output: result.shown, partsChatbaseReceived: received },
              }
            },
          },
          {
            title:
              'listChatbots with Chatbase answering as it was seen live: { chatbots: { data, error } }, snake_case',
            run: async () => {
              emulator.setShapes('live')
              const result = await action('listChatbots', {})()
              emulator.setShapes('documented')
              type Listed = { id: string; name?: string; createdAt?: string; settings: Record<string, unknown> }
              const chatbots = (result.shown as { chatbots?: Listed[] }).chatbots ?? []
              // created_at came as snake_case; the other parameters stay under Chatbase's names
              const shown = chatbots.map(({ settings, ...documented }) => ({
                ...documented,
                settings: [...Object.keys(settings).slice(0, 6), '…'],
              }))
              return { ok: result.ok, shown: { chatbots: shown } }
            },
          },
        ]
      : []),
    {
      title: 'signed leads.submit from that chat → leadSubmitted, linked to its Botpress conversation',
      run: async () => {
        const response = await deliverLeadWebhook(
          webhookUrl,
          {
            chatbotId: configuration.chatbotId,
            payload: {
              conversationId: PLAYGROUND_CONVERSATION,
              customerName: 'Grace Hopper',
              customerEmail: 'grace@example.com',
            },
          },
          configuration.apiKey
        )
        const event = botpress.events.at(-1)
        return {
          ok:
            response.status === 200 &&
            event?.type === 'leadSubmitted' &&
            event.conversationId === PLAYGROUND_CONVERSATION,
          shown: event
            ? { type: event.type, linkedToBotpressConversation: event.conversationId, payload: event.payload }
            : `HTTP ${response.status}`,
        }
      },
    },
    {
      title: 'unsigned webhook is refused',
      run: async () => {
        const response = await fetch(webhookUrl, { method: 'POST', body: '{"eventType":"leads.submit"}' })
        return { ok: response.status === 401, shown: `HTTP ${response.status}` }
      },
    },
    {
      title: 'bot-as-code: a user message → the example bot → chatbase:messageChatbot → its reply',
      run: async () => {
        const turn = await userSays(botpress, botId, 'Hello! Who are you?', { conversation: 'playground-bot-chat' })
        botChat.conversationId = turn.conversation.id
        return {
          ok: turn.replies.length === 1,
          shown: { user: turn.message.payload.text, bot: turn.replies.map(({ payload }) => payload.text) },
        }
      },
    },
    {
      title: "bot-as-code: a lead from that chat → the bot's chatbase:leadSubmitted handler",
      run: async () => {
        const response = await deliverLeadWebhook(
          webhookUrl,
          {
            chatbotId: configuration.chatbotId,
            payload: {
              conversationId: botChat.conversationId,
              customerName: 'Ada Lovelace',
              customerEmail: 'ada@example.com',
            },
          },
          configuration.apiKey
        )
        await botpress.settled()
        const { state } = await botClient(botpress, botId).getState({ type: 'bot', id: botId, name: 'recentLeads' })
        const recorded = state.payload.leads.at(-1)
        return {
          ok: response.status === 200 && recorded?.conversationId === botChat.conversationId,
          shown: {
            leadsKept: state.payload.leads.length,
            newest: recorded,
            botSaid: botpress.messages.at(-1)?.payload.text,
          },
        }
      },
    },
  ]

  let failures = 0
  for (const [index, step] of steps.entries()) {
    const { ok, shown } = await step.run().catch((error: Error) => ({ ok: false, shown: error.message }))
    failures += ok ? 0 : 1
    console.log(`${ok ? '✔' : '✘'} ${index + 1}. ${step.title}`)
    console.log(`   ${JSON.stringify(shown, null, 2).replace(/\n/g, '\n   ')}\n`)
  }
  console.log(failures === 0 ? `All ${steps.length} steps succeeded.` : `${failures} of ${steps.length} steps failed.`)

  await Promise.all([integration.close(), bot.close()])
  await Promise.all([botpress.close(), files.close(), emulator?.close()])
  return failures === 0 ? 0 : 1
}

main().then((code) => process.exit(code))
