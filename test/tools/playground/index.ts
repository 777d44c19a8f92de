/*
 * `npm start`: builds the bundle, serves it as `bp serve` would, and walks through the main cards and a signed lead
 * webhook, printing each step. Against the local Chatbase emulator by default; against the real Chatbase when
 * CHATBASE_API_KEY and CHATBASE_CHATBOT_ID are set (it then creates a few real contacts in that agent, and a ticket
 * if the agent cannot answer the escalation step; it leaves out what only the emulator can stage, the client action,
 * other channels' conversations and the live shapes, and what would change the agent itself, the file source and the
 * icon). Cards run on API v2 where Chatbase has them; the steps that show API v1 say so. Ends with the bot-as-code path: the example bot
 * (test/examples/bot) served with bot.start, answering a user through the integration and receiving a lead.
 */
import { botClient, serveBot, userSays } from '../../support/bot-harness'
import { startBotpressStandIn } from '../../support/botpress-stand-in'
import { BotDriver, IntegrationDriver, testInstallation } from '../../support/botpress-protocol'
import {
  chatbaseEnvironment,
  deliverLeadWebhook,
  startChatbaseEmulator,
  type AgentReplyHook,
  type NewAgentConversation,
} from '../../support/chatbase-emulator'
import { pngImage, startFileHost } from '../../support/file-host'
import { serveBundle } from '../../support/serve-bundle'

// A new one each run: the real Chatbase keeps the conversations of earlier runs under their user ids.
const PLAYGROUND_CONVERSATION = `playground-conversation-${Date.now()}`

// The emulated agent's Custom Action, which the flow runs for it (a client action of API v2).
const ORDER_ACTION = 'lookupOrder'
const ORDER_QUESTION = 'Where is my order 42?'
type OrderInput = { orderId: number }
// A question the emulated agent's sources do not cover: it answers as Chatbase's default instructions make it.
const UNCOVERED_QUESTION = 'Can you engrave a name on the kettle I ordered?'
const UNCOVERED_ANSWER = 'Hmm, I am not sure.'
const lookupOrder = ({ orderId }: OrderInput) => ({ orderId, status: 'shipped', arrives: 'tomorrow' })

/**
 * The emulated agent: it asks for lookupOrder when asked about an order, answers from the action's result once the
 * flow hands it back, does not know about engraving, and otherwise says which turn of the conversation Chatbase is
 * at, since Chatbase keeps it.
 */
const playgroundAgent: AgentReplyHook = ({ message, messages }) => {
  if (message === ORDER_QUESTION) {
    return { text: 'Let me look that up.', toolCalls: [{ toolName: ORDER_ACTION, input: { orderId: 42 } }] }
  }
  if (message === UNCOVERED_QUESTION) {
    return UNCOVERED_ANSWER
  }
  if (message === undefined) {
    const result = messages
      .flatMap((entry) => entry.parts)
      .filter((part) => part.type === 'tool-result')
      .at(-1)
    return `Here is what ${ORDER_ACTION} said: ${JSON.stringify(result && 'output' in result ? result.output : null)}`
  }
  const turn = messages.filter((entry) => entry.role === 'user').length
  return `Playground agent, turn ${turn} of this conversation: you said "${message}"`
}

// The document the playground teaches the emulated agent.
const RETURNS_POLICY = 'Returns: any order may be sent back within 30 days of delivery for a full refund.\n'

// Conversations of other channels, for searchConversations to find beside the API ones.
const SEARCHED_CONVERSATIONS: [NewAgentConversation['source'], string][] = [
  ['WhatsApp', 'I was charged twice this month, can I get a refund?'],
  ['Widget or Iframe', 'What is your refund policy for annual plans?'],
  ['Instagram', 'Do you ship to Canada?'],
]

/** The named fields of an output, for a shorter print. */
const pick = (output: Record<string, unknown> | undefined, keys: string[]) =>
  Object.fromEntries(keys.map((key) => [key, output?.[key]]))

type Step = { title: string; run: () => Promise<{ ok: boolean; shown: unknown }> }

const real =
  process.env.CHATBASE_API_KEY && process.env.CHATBASE_CHATBOT_ID
    ? { apiKey: process.env.CHATBASE_API_KEY, chatbotId: process.env.CHATBASE_CHATBOT_ID }
    : undefined

const main = async (): Promise<number> => {
  const emulator = real ? undefined : await startChatbaseEmulator({ chatbotIds: ['playground-bot'] })
  const configuration = real ?? { apiKey: emulator!.apiKey, chatbotId: 'playground-bot' }
  if (emulator) {
    emulator.setAgentReply(playgroundAgent)
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

  const action =
    (type: string, input: unknown, on = driver) =>
    async () => {
      const result = await on.callAction(type, input)
      return { ok: result.status === 200, shown: result.output ?? result.error?.message }
    }
  // The cards API v1 still serves, and what shows v1 itself: an installation forced to it, as a plan without v2 is.
  const onV1 = driver.withConfiguration({ ...driver.installation.configuration, apiVersion: 'v1' })
  /** What one card sent to Chatbase and to Botpress, read from the stand-ins' records. */
  const traced = async (type: string, input: unknown, on = driver) => {
    const [chatbaseFrom, botpressFrom] = [emulator?.requests.length ?? 0, botpress.requests.length]
    const result = await on.callAction(type, input)
    return {
      ok: result.status === 200,
      output: result.output,
      error: result.error?.message,
      chatbaseRequests: emulator?.requests.slice(chatbaseFrom).map(({ method, path }) => `${method} ${path}`),
      botpressCalls: botpress.requests.slice(botpressFrom).map(({ method, path }) => `${method} ${path}`),
    }
  }
  let contactId = ''
  const v2Chat = { chatbaseConversationId: '' }
  const botChat = { conversationId: '', chatbaseConversationId: '' }
  /** The Chatbase conversation Message AI Agent holds for a Botpress conversation, asked of Chatbase as it asks. */
  const chatbaseConversationOf = async (botpressConversationId: string): Promise<string> => {
    const v2Url = emulator?.v2Url ?? 'https://www.chatbase.co/api/v2'
    const agent = encodeURIComponent(configuration.chatbotId)
    const response = await fetch(`${v2Url}/agents/${agent}/users/botpress.${botpressConversationId}/conversations`, {
      headers: { authorization: `Bearer ${configuration.apiKey}` },
    })
    const body = (await response.json()) as { data?: { id: string }[] }
    return body.data?.[0]?.id ?? ''
  }
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
      title: 'createContact (API v1: v2 has no contacts)',
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
    { title: 'updateContact (API v1)', run: () => action('updateContact', { contactId, name: 'Ada King' })() },
    {
      title: `messageChatbot on API v2, turn 1 of Botpress conversation "${PLAYGROUND_CONVERSATION}": a look-up of its Chatbase user (botpress.${PLAYGROUND_CONVERSATION}) finds no conversation, so the message starts one`,
      run: async () => {
        const turn = await traced('messageChatbot', {
          message: 'Hello! What can you do?',
          conversationId: PLAYGROUND_CONVERSATION,
        })
        v2Chat.chatbaseConversationId = String(turn.output?.chatbaseConversationId ?? '')
        const { ok, ...shown } = turn
        return {
          ok:
            ok &&
            turn.output?.api === 'v2' &&
            turn.botpressCalls.length === 0 &&
            (turn.chatbaseRequests === undefined || turn.chatbaseRequests.length === 2),
          shown,
        }
      },
    },
    {
      title:
        'messageChatbot on API v2, turns 2 and 3: the same Chatbase conversation continues (Chatbase keeps it), one request to Chatbase a turn and no Botpress call',
      run: async () => {
        const turns = []
        for (const message of ['And how do I reach a human?', 'Thanks, and your opening hours?']) {
          const turn = await traced('messageChatbot', { message, conversationId: PLAYGROUND_CONVERSATION })
          turns.push({
            ok: turn.ok,
            said: message,
            answer: turn.output?.text ?? turn.error,
            sameChatbaseConversation: turn.output?.chatbaseConversationId === v2Chat.chatbaseConversationId,
            chatbaseRequests: turn.chatbaseRequests ?? 'not visible with the real Chatbase',
            botpressCalls: turn.botpressCalls.length,
          })
        }
        return {
          ok: turns.every(
            (turn) =>
              turn.ok &&
              turn.sameChatbaseConversation &&
              turn.botpressCalls === 0 &&
              (emulator === undefined || turn.chatbaseRequests.length === 1)
          ),
          shown: { chatbaseConversationId: v2Chat.chatbaseConversationId, turns },
        }
      },
    },
    {
      title:
        'messageChatbot on API v1 (apiVersion: "v1", as for a plan without v2): the integration keeps the chat in a Botpress state and sends it whole',
      run: async () => {
        const input = (message: string) => ({ message, conversationId: 'playground-v1-conversation' })
        await onV1.callAction('messageChatbot', input('Hello! What can you do?'))
        const turn = await traced('messageChatbot', input('And how do I reach a human?'), onV1)
        const sent = emulator?.requests.filter((request) => request.api === 'v1' && request.path === '/chat').at(-1)
        const messagesSent = sent ? JSON.parse(sent.body).messages.length : 'not visible with the real Chatbase'
        return {
          ok: turn.ok && turn.output?.api === 'v1' && (emulator === undefined || messagesSent === 3),
          shown: { answer: turn.output?.text ?? turn.error, messagesSent, botpressCalls: turn.botpressCalls },
        }
      },
    },
    ...(emulator
      ? [
          {
            title: `client action on API v2: the agent asks for its Custom Action ${ORDER_ACTION} (tool calls) → the flow runs it → submitToolResult → the agent's continued answer`,
            run: async () => {
              const asked = await driver.callAction('messageChatbot', {
                message: ORDER_QUESTION,
                conversationId: 'playground-order-conversation',
              })
              const calls = (asked.output?.toolCalls ?? []) as {
                toolCallId: string
                toolName: string
                input: unknown
              }[]
              // The flow's part: run each action the agent named, hand each result back.
              const ran = calls.map((call) => ({ ...call, output: lookupOrder(call.input as OrderInput) }))
              const continued = []
              for (const { toolCallId, output } of ran) {
                const result = await driver.callAction('submitToolResult', {
                  chatbaseConversationId: asked.output?.chatbaseConversationId,
                  toolCallId,
                  output,
                })
                continued.push(result.output ?? result.error?.message)
              }
              const answer = continued.at(-1) as { text?: string; answered?: boolean } | undefined
              return {
                ok: asked.output?.unansweredReason === 'tool-calls' && ran.length === 1 && answer?.answered === true,
                shown: {
                  asked: pick(asked.output, ['text', 'answered', 'unansweredReason', 'toolCalls']),
                  flowRan: ran.map(({ toolName, input, output }) => ({ toolName, input, output })),
                  continued: answer && pick(answer, ['text', 'answered']),
                },
              }
            },
          },
        ]
      : []),
    {
      title:
        'escalation on API v2: a message the agent cannot answer (answered: false, fallback) → createTicket, so that the team takes it up',
      run: async () => {
        const asked = await driver.callAction('messageChatbot', {
          message: UNCOVERED_QUESTION,
          conversationId: 'playground-escalation',
        })
        const shownAsked = pick(asked.output, ['text', 'answered', 'unansweredReason'])
        if (asked.output?.answered !== false) {
          // The real agent may know the answer: then there is nothing to escalate.
          return { ok: emulator === undefined && asked.status === 200, shown: { asked: shownAsked, ticket: 'none' } }
        }
        const ticket = await driver.callAction('createTicket', {
          subject: 'A question the AI agent could not answer',
          description: `${UNCOVERED_QUESTION} (Chatbase conversation ${asked.output.chatbaseConversationId})`,
          customerEmail: 'ada@example.com',
          customerName: 'Ada Lovelace',
          priority: 'high',
        })
        const created = ticket.output?.ticket as Record<string, unknown> | undefined
        return {
          ok: created !== undefined,
          shown: {
            asked: shownAsked,
            ticket: created
              ? pick(created, ['ticketNumber', 'subject', 'description', 'statusCategory', 'priority', 'customer'])
              : ticket.error?.message,
          },
        }
      },
    },
    {
      title:
        'createContacts (API v1; bulk import: every contact accounted for, a repeated email fails without a request)',
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
    { title: 'listContacts (API v1)', run: () => action('listContacts', { perPage: 10 })() },
    {
      title: 'getConversations (API v2: the chats above, kept by Chatbase)',
      run: () => action('getConversations', { filteredSources: ['API'] })(),
    },
    {
      title: `searchConversations (API v2) across channels: by text, then by source${emulator ? ', over conversations added to the emulator from WhatsApp, the widget and Instagram' : ''}`,
      run: async () => {
        if (emulator) {
          for (const [source, text] of SEARCHED_CONVERSATIONS) {
            emulator.addAgentConversation(configuration.chatbotId, { source, messages: [{ role: 'user', text }] })
          }
        }
        type Found = { conversations?: { source?: string; snippet?: string; matched?: string[] }[] }
        const found = async (input: Record<string, unknown>) => {
          const result = await driver.callAction('searchConversations', { ...input, limit: 5 })
          const conversations = (result.output as Found | undefined)?.conversations ?? []
          return {
            ok: result.status === 200,
            count: conversations.length,
            shown:
              result.error?.message ??
              conversations.map(({ source, snippet, matched }) => ({ source, snippet, matched })),
          }
        }
        const [byText, bySource] = [
          await found({ query: 'refund' }),
          await found({ source: ['WhatsApp', 'Instagram'] }),
        ]
        return {
          ok: byText.ok && bySource.ok && (emulator === undefined || (byText.count === 2 && bySource.count === 2)),
          shown: { 'query "refund"': byText.shown, 'source WhatsApp or Instagram': bySource.shown },
        }
      },
    },
    { title: 'getLeads (API v1)', run: () => action('getLeads', { page: 1, size: 10 })() },
    ...(emulator
      ? [
          {
            title:
              "addFileSource on API v2: a .txt downloaded from the https file host, uploaded to Chatbase's files host, then waited on until the agent is trained on it",
            run: async () => {
              const fileUrl = files.serve('/returns-policy.txt', {
                body: Buffer.from(RETURNS_POLICY),
                contentType: 'text/plain',
              })
              const result = await driver.callAction('addFileSource', {
                name: 'Returns policy',
                fileUrl,
                waitUntilTrained: true,
              })
              const { source, training } = (result.output ?? {}) as {
                source?: { id: string }
                training?: { outcome: string }
              }
              const file = emulator.sources(configuration.chatbotId).find(({ id }) => id === source?.id)?.file
              return {
                ok: training?.outcome === 'trained' && file?.bytes.toString() === RETURNS_POLICY,
                shown: {
                  output: result.output ?? result.error?.message,
                  fileChatbaseReceived: file && `${file.fileName}, ${file.contentType}, ${file.bytes.length} bytes`,
                },
              }
            },
          },
          {
            title:
              'uploadChatbotIcon (API v1; downloaded from an https file host, then posted to Chatbase as multipart/form-data)',
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
              'listChatbots on API v1 (apiVersion: "v1") with Chatbase answering as it was seen live: { chatbots: { data, error } }, snake_case',
            run: async () => {
              emulator.setShapes('live')
              const result = await action('listChatbots', {}, onV1)()
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
      title: 'signed leads.submit from the API v2 chat → leadSubmitted, linked to its Botpress conversation',
      run: async () => {
        const response = await deliverLeadWebhook(
          webhookUrl,
          {
            chatbotId: configuration.chatbotId,
            payload: {
              conversationId: v2Chat.chatbaseConversationId,
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
        botChat.chatbaseConversationId = await chatbaseConversationOf(turn.conversation.id)
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
              conversationId: botChat.chatbaseConversationId,
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
          ok:
            response.status === 200 &&
            recorded?.conversationId === botChat.chatbaseConversationId &&
            botpress.messages.at(-1)?.conversationId === botChat.conversationId,
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
