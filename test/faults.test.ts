import { describe, expect, it } from 'vitest'
import type { RetryPolicy } from '../src/chatbase/retry'
import type { Fault } from './support/chatbase-emulator'
import { configurationSchema } from '../src/definitions/configuration'
import { pngImage } from './support/file-host'
import { CHATBOT_ID, useHarness } from './support/harness'

/*
 * Every action against every fault the emulator can inject. Each action's request has its own method and path, so
 * all actions run together against one fault kind and a test takes as long as its slowest action. Each ends either
 * in success after retries or in a clear RuntimeError, within the action's deadline.
 */

const h = useHarness()

const CONTACTS = `/chatbots/${CHATBOT_ID}/contacts`
const ATTRIBUTES = `/chatbots/${CHATBOT_ID}/custom-attributes`
const DOOMED_CHATBOT = 'doomed-chatbot'
// Update Agent Settings gets an agent of its own: Update Agent Data sends the same PUT to the configured one.
const SETTINGS_CHATBOT = 'settings-chatbot'
const AGENT = `/agents/${CHATBOT_ID}`
// The chat cards that act on one conversation get an agent of their own: Submit Tool Result's continuation is a
// POST chat, which must not count as a request of Message AI Agent.
const CONVERSATIONS_CHATBOT = 'conversations-chatbot'
const CONVERSATIONS_AGENT = `/agents/${CONVERSATIONS_CHATBOT}/conversations`
// Contact creation gets a chatbot of its own: its check after an unknown outcome lists contacts, which must not
// count as a request of List Contacts.
const IMPORT_CHATBOT = 'import-chatbot'
const IMPORT_CONTACTS = `/chatbots/${IMPORT_CHATBOT}/contacts`
const HELPDESK = `/agents/${CHATBOT_ID}/helpdesk`
const { timeoutSeconds: DEFAULT_TIMEOUT_SECONDS } = configurationSchema.parse({ apiKey: 'k', chatbotId: 'c' })
const MAY_HAVE_ACTED = 'Chatbase may have carried out the request anyway'

/**
 * One action, ready to call: the request the fault hits, what sending it twice would do, whether its output needs
 * the answer's body, and whether the action checks what Chatbase did after an unknown outcome before sending again
 * (contact creation does).
 */
type Case = {
  action: string
  input: Record<string, unknown>
  method: string
  path: string
  policy: RetryPolicy
  needsBody: boolean
  reconciles?: boolean
  /**
   * Its next request needs what this one did (Submit Tool Result continues the chat): a 2xx fault then answers after
   * Chatbase handled it, as a real 2xx would, instead of in place of handling it.
   */
  continuesAfterIt?: boolean
}

// The source cards: reads and changes on one agent; each add on an agent of its own, since an add whose outcome is
// unknown lists that agent's sources before sending again, which must not meet another case's fault.
const SOURCES_AGENT = 'sources-agent'
const SOURCES = `/agents/${SOURCES_AGENT}/sources`
const teachingAgent = (card: string) => `teach-${card}`

const newContact = async (externalId: string): Promise<string> =>
  (await h.driver.callAction('createContact', { externalId })).output?.contact.id

/** Creates what each action needs (before any fault is injected) and describes its call. */
const prepareCases = async (): Promise<Case[]> => {
  const [updated, read, deleted] = [
    await newContact('to-update'),
    await newContact('to-read'),
    await newContact('to-delete'),
  ]
  h.chatbase.addCustomAttribute(CHATBOT_ID, { name: 'plan', type: 'text' })
  h.chatbase.addChatbot(DOOMED_CHATBOT)
  h.chatbase.addChatbot(SETTINGS_CHATBOT)
  h.chatbase.addChatbot(IMPORT_CHATBOT)
  h.chatbase.addChatbot(CONVERSATIONS_CHATBOT)
  const conversation = () => h.chatbase.addAgentConversation(CONVERSATIONS_CHATBOT, {}).id
  const [paused, resumed] = [conversation(), conversation()]
  h.chatbase.setConversationStatus(resumed, 'paused')
  const rated = h.chatbase.addAgentConversation(CONVERSATIONS_CHATBOT, {
    messages: [
      { role: 'user', text: 'hi' },
      { role: 'assistant', text: 'hello' },
    ],
  })
  h.chatbase.setAgentReply(({ agentId, message }) =>
    agentId === CONVERSATIONS_CHATBOT && message !== undefined
      ? { toolCalls: [{ toolName: 'lookupOrder', input: { orderId: 1 } }] }
      : 'the agent answers'
  )
  const asked = await h.driver.callAction('messageChatbot', { message: 'my order?', chatbotId: CONVERSATIONS_CHATBOT })
  const toolCall = { id: asked.output?.chatbaseConversationId, callId: asked.output?.toolCalls[0]?.toolCallId }
  const image = h.files.serve('/matrix-image.png', { body: pngImage(16), contentType: 'image/png' })
  h.chatbase.addChatbot(SOURCES_AGENT)
  const [readSource, updatedSource, deletedSource] = ['read', 'updated', 'deleted'].map(
    (name) => h.chatbase.addSource(SOURCES_AGENT, { type: 'text', name, content: name }).id
  )
  const adds = [
    ['addTextSource', { name: 'Hours', content: 'Open 9 to 5.' }],
    ['addQnaSource', { name: 'Hours', questions: ['When are you open?'], answer: '9 to 5' }],
    ['addLinkSource', { url: 'https://example.com/faq' }],
    [
      'addFileSource',
      {
        name: 'Handbook',
        fileUrl: h.files.serve('/matrix-handbook.pdf', {
          body: Buffer.from('%PDF-1.4'),
          contentType: 'application/pdf',
        }),
      },
    ],
  ] as const
  adds.forEach(([action]) => h.chatbase.addChatbot(teachingAgent(action)))
  const sourceCases: Case[] = [
    {
      action: 'listSources',
      input: { chatbotId: SOURCES_AGENT },
      method: 'GET',
      path: SOURCES,
      policy: 'read',
      needsBody: true,
    },
    {
      action: 'getSource',
      input: { chatbotId: SOURCES_AGENT, sourceId: readSource },
      method: 'GET',
      path: `${SOURCES}/${readSource}`,
      policy: 'read',
      needsBody: true,
    },
    {
      action: 'getSourcesSummary',
      input: { chatbotId: SOURCES_AGENT },
      method: 'GET',
      path: `${SOURCES}/summary`,
      policy: 'read',
      needsBody: true,
    },
    {
      action: 'updateSource',
      input: { chatbotId: SOURCES_AGENT, sourceId: updatedSource, content: 'changed' },
      method: 'PUT',
      path: `${SOURCES}/${updatedSource}`,
      policy: 'idempotent-write',
      needsBody: true,
    },
    // A lost DELETE is checked, like a lost add: the source is read before the DELETE is sent again.
    {
      action: 'deleteSource',
      input: { chatbotId: SOURCES_AGENT, sourceId: deletedSource },
      method: 'DELETE',
      path: `${SOURCES}/${deletedSource}`,
      policy: 'creation',
      needsBody: true,
      reconciles: true,
    },
    ...adds.map(([action, input]): Case => ({
      action,
      input: { ...input, chatbotId: teachingAgent(action) },
      method: 'POST',
      path: `/agents/${teachingAgent(action)}/sources`,
      policy: 'creation',
      needsBody: true,
      reconciles: true,
    })),
  ]
  const { ticketNumber } = h.chatbase.addTicket(CHATBOT_ID, { subject: 'Matrix' })
  const ticket = `${HELPDESK}/tickets/${ticketNumber}`
  return [
    ...sourceCases,
    {
      action: 'messageChatbot',
      input: { message: 'hi' },
      method: 'POST',
      path: `${AGENT}/chat`,
      policy: 'billed',
      needsBody: true,
    },
    {
      action: 'submitToolResult',
      input: {
        chatbaseConversationId: toolCall.id,
        toolCallId: toolCall.callId,
        output: { status: 'shipped' },
        chatbotId: CONVERSATIONS_CHATBOT,
      },
      method: 'POST',
      path: `${CONVERSATIONS_AGENT}/${toolCall.id}/tool-result`,
      policy: 'idempotent-write',
      needsBody: false,
      continuesAfterIt: true,
    },
    {
      action: 'rateAnswer',
      input: {
        chatbaseConversationId: rated.id,
        messageId: rated.messages[1]!.id,
        rating: 'positive',
        chatbotId: CONVERSATIONS_CHATBOT,
      },
      method: 'PATCH',
      path: `${CONVERSATIONS_AGENT}/${rated.id}/messages/${rated.messages[1]!.id}/feedback`,
      policy: 'idempotent-write',
      needsBody: false,
    },
    {
      action: 'pauseConversation',
      input: { chatbaseConversationId: paused, chatbotId: CONVERSATIONS_CHATBOT },
      method: 'PATCH',
      path: `${CONVERSATIONS_AGENT}/${paused}`,
      policy: 'idempotent-write',
      needsBody: false,
    },
    {
      action: 'resumeConversation',
      input: { chatbaseConversationId: resumed, chatbotId: CONVERSATIONS_CHATBOT },
      method: 'PATCH',
      path: `${CONVERSATIONS_AGENT}/${resumed}`,
      policy: 'idempotent-write',
      needsBody: false,
    },
    {
      action: 'createContact',
      input: { externalId: 'created-under-fault', chatbotId: IMPORT_CHATBOT },
      method: 'POST',
      path: IMPORT_CONTACTS,
      policy: 'creation',
      needsBody: true,
      reconciles: true,
    },
    {
      action: 'updateContact',
      input: { contactId: updated, name: 'Renamed' },
      method: 'PATCH',
      path: `${CONTACTS}/${updated}`,
      policy: 'idempotent-write',
      needsBody: true,
    },
    {
      action: 'getContact',
      input: { contactId: read },
      method: 'GET',
      path: `${CONTACTS}/${read}`,
      policy: 'read',
      needsBody: true,
    },
    {
      action: 'deleteContact',
      input: { contactId: deleted },
      method: 'DELETE',
      path: `${CONTACTS}/${deleted}`,
      policy: 'idempotent-write',
      needsBody: false,
    },
    { action: 'listContacts', input: {}, method: 'GET', path: CONTACTS, policy: 'read', needsBody: true },
    { action: 'listCustomAttributes', input: {}, method: 'GET', path: ATTRIBUTES, policy: 'read', needsBody: true },
    {
      action: 'createCustomAttribute',
      input: { name: 'tier', type: 'text', label: 'Tier' },
      method: 'POST',
      path: ATTRIBUTES,
      policy: 'creation',
      needsBody: true,
    },
    {
      action: 'updateCustomAttribute',
      input: { name: 'plan', archived: true },
      method: 'PUT',
      path: `${ATTRIBUTES}/plan`,
      policy: 'idempotent-write',
      needsBody: true,
    },
    { action: 'getLeads', input: {}, method: 'GET', path: '/get-leads', policy: 'read', needsBody: true },
    {
      action: 'getConversations',
      input: {},
      method: 'GET',
      path: `${AGENT}/conversations/export`,
      policy: 'read',
      needsBody: true,
    },
    {
      action: 'searchConversations',
      input: { query: 'refund' },
      method: 'GET',
      path: `${AGENT}/conversations/search`,
      policy: 'read',
      needsBody: true,
    },
    { action: 'listChatbots', input: {}, method: 'GET', path: '/agents', policy: 'read', needsBody: true },
    { action: 'getAgent', input: {}, method: 'GET', path: AGENT, policy: 'read', needsBody: true },
    {
      action: 'createChatbot',
      input: { chatbotName: 'Made under fault' },
      method: 'POST',
      path: '/agents',
      policy: 'creation',
      needsBody: true,
    },
    {
      action: 'cloneAgent',
      input: {},
      method: 'POST',
      path: `${AGENT}/clone`,
      policy: 'creation',
      needsBody: true,
    },
    {
      action: 'updateChatbotData',
      input: { chatbotName: 'Renamed' },
      method: 'PUT',
      path: AGENT,
      policy: 'idempotent-write',
      needsBody: false,
    },
    {
      action: 'updateChatbotSettings',
      input: { temperature: 0.3, chatbotId: SETTINGS_CHATBOT },
      method: 'PUT',
      path: `/agents/${SETTINGS_CHATBOT}`,
      policy: 'idempotent-write',
      needsBody: false,
    },
    {
      action: 'updateAgentStyles',
      input: { chat: { theme: 'dark' } },
      method: 'PUT',
      path: `${AGENT}/styles`,
      policy: 'idempotent-write',
      needsBody: false,
    },
    {
      action: 'setAutoRetrain',
      input: { enabled: true },
      method: 'PUT',
      path: `${AGENT}/auto-retrain`,
      policy: 'idempotent-write',
      needsBody: false,
    },
    {
      action: 'uploadChatbotIcon',
      input: { fileUrl: image },
      method: 'POST',
      path: '/upload-chatbot-icon',
      policy: 'creation',
      needsBody: false,
    },
    {
      action: 'uploadChatbotProfilePicture',
      input: { fileUrl: image },
      method: 'POST',
      path: '/upload-chatbot-profile-picture',
      policy: 'creation',
      needsBody: false,
    },
    {
      action: 'deleteChatbotIcon',
      input: {},
      method: 'DELETE',
      path: '/delete-chatbot-icon',
      policy: 'idempotent-write',
      needsBody: false,
    },
    {
      action: 'deleteChatbotProfilePicture',
      input: {},
      method: 'DELETE',
      path: '/delete-chatbot-profile-picture',
      policy: 'idempotent-write',
      needsBody: false,
    },
    {
      action: 'deleteChatbot',
      input: { chatbotId: DOOMED_CHATBOT },
      method: 'DELETE',
      path: `/agents/${DOOMED_CHATBOT}`,
      policy: 'idempotent-write',
      needsBody: false,
    },
    {
      action: 'createTicket',
      input: { subject: 'Made under fault', description: 'Help', customerEmail: 'jane@example.com' },
      method: 'POST',
      path: `${HELPDESK}/tickets`,
      policy: 'creation',
      needsBody: true,
    },
    {
      action: 'listTickets',
      input: {},
      method: 'GET',
      path: `${HELPDESK}/tickets`,
      policy: 'read',
      needsBody: true,
    },
    {
      action: 'searchTickets',
      input: { query: 'matrix' },
      method: 'POST',
      path: `${HELPDESK}/tickets/search`,
      policy: 'read',
      needsBody: true,
    },
    { action: 'getTicket', input: { ticketNumber }, method: 'GET', path: ticket, policy: 'read', needsBody: true },
    {
      action: 'updateTicket',
      input: { ticketNumber, priority: 'high' },
      method: 'PATCH',
      path: ticket,
      policy: 'idempotent-write',
      needsBody: true,
    },
    {
      action: 'replyToTicket',
      input: { ticketNumber, content: 'On it.', authorEmail: 'grace@example.com' },
      method: 'POST',
      path: `${ticket}/messages`,
      policy: 'creation',
      needsBody: true,
    },
    {
      action: 'listTicketMessages',
      input: { ticketNumber },
      method: 'GET',
      path: `${ticket}/messages`,
      policy: 'read',
      needsBody: true,
    },
    {
      action: 'listTicketStatuses',
      input: {},
      method: 'GET',
      path: `${HELPDESK}/ticket-statuses`,
      policy: 'read',
      needsBody: true,
    },
    {
      action: 'listHelpdeskTeams',
      input: {},
      method: 'GET',
      path: `${HELPDESK}/teams`,
      policy: 'read',
      needsBody: true,
    },
  ]
}

type Outcome = { action: string; status: number; sent: number; message?: string; warnsItMayHaveActed?: boolean }

/** Injects the fault on every action's request, runs all actions together, and says how each ended. */
const runAll = async (fault: Omit<Fault, 'method' | 'path'>, timeoutSeconds?: number) => {
  const cases = await prepareCases()
  const before = h.chatbase.requests.length
  cases.forEach(({ method, path, continuesAfterIt }) =>
    h.chatbase.injectFault({
      method,
      path,
      ...fault,
      ...(continuesAfterIt && fault.status !== undefined && fault.status < 300 && { afterHandling: true }),
    })
  )
  const driver = timeoutSeconds ? h.driver.withConfiguration({ ...h.configuration, timeoutSeconds }) : h.driver
  const runs = await Promise.all(
    cases.map(async (run) => {
      const started = Date.now()
      const result = await driver.callAction(run.action, run.input)
      return { run, result, elapsedMs: Date.now() - started }
    })
  )
  const requests = h.chatbase.requests.slice(before)
  const outcomes = runs.map(({ run, result }): Outcome => {
    const sent = requests.filter((request) => request.method === run.method && request.path === run.path).length
    if (result.status === 200) {
      return { action: run.action, status: 200, sent }
    }
    const message =
      result.error?.type === 'Runtime' ? result.error.message : `not a RuntimeError: ${JSON.stringify(result)}`
    return {
      action: run.action,
      status: result.status,
      sent,
      message,
      warnsItMayHaveActed: message.includes(MAY_HAVE_ACTED),
    }
  })
  return { cases, outcomes, slowestMs: Math.max(...runs.map((run) => run.elapsedMs)) }
}

/** Whether an action's request goes to API v2, whose generic errors differ from v1's (see the tests below). */
const isV2 = (action: string, cases: Case[]) =>
  cases.some((run) => run.action === action && run.path.startsWith('/agents'))

const succeeded = (cases: Case[], sent: number): Outcome[] => cases.map(({ action }) => ({ action, status: 200, sent }))

/** Only requests that are not repeated blindly (billed, creations) warn when their outcome is unknown. */
const warnsWhenUnknown = (run: Case) => run.policy === 'billed' || run.policy === 'creation'

/** A failure named in the message, with the warning when Chatbase may have acted (outcome unknown). */
const failed = (cases: Case[], says: string, { sent = 1, outcomeUnknown = true } = {}): Outcome[] =>
  cases.map((run) => ({
    action: run.action,
    status: 400,
    sent,
    message: expect.stringMatching(new RegExp(`^Could not .*${says.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`)),
    warnsItMayHaveActed: outcomeUnknown && warnsWhenUnknown(run),
  }))

/** A fault after which Chatbase may have acted: what the policy allows is sent again; contact creation checks first. */
const recoveredOrFailed = (cases: Case[], says: string, retried: (run: Case) => boolean): Outcome[] =>
  cases.flatMap((run) => (retried(run) || run.reconciles ? succeeded([run], 2) : failed([run], says)))

/** A 2xx whose body cannot be read: fine for actions that need nothing from it, an unknown outcome for the others. */
const unreadable = (cases: Case[], says: string): Outcome[] =>
  cases.flatMap((run) => (run.needsBody ? recoveredOrFailed([run], says, () => false) : succeeded([run], 1)))

const afterPossibleDelivery = (run: Case) => run.policy !== 'creation'

/** The deadline is counted from the action's start inside the integration; this allows for the trip there and back. */
const WITHIN_DEADLINE_SLACK_MS = 750

describe('every action under injected Chatbase faults', () => {
  it('waits as Retry-After says after a 429, then succeeds; a created contact exists once', async () => {
    const { cases, outcomes } = await runAll({ status: 429, headers: { 'retry-after': '1' } })

    expect(outcomes).toEqual(succeeded(cases, 2))
    expect(
      h.chatbase.contacts(IMPORT_CHATBOT).filter((contact) => contact.external_id === 'created-under-fault')
    ).toHaveLength(1)
  })

  it('backs off after a 429 without Retry-After, then succeeds', async () => {
    const { cases, outcomes } = await runAll({ status: 429 })

    expect(outcomes).toEqual(succeeded(cases, 2))
  })

  it('retries a 500, which Chatbase answered itself, only for reads', async () => {
    const { cases, outcomes } = await runAll({ status: 500 })

    expect(outcomes).toEqual(
      recoveredOrFailed(cases, 'Chatbase had a server error (500)', (run) => run.policy === 'read')
    )
    expect(
      h.chatbase.contacts(IMPORT_CHATBOT).filter((contact) => contact.external_id === 'created-under-fault')
    ).toHaveLength(1)
  })

  it.each([502, 503])('retries a %i for every request but creations', async (status) => {
    const { cases, outcomes } = await runAll({
      status,
      body: '<html><body>Bad gateway</body></html>',
      headers: { 'content-type': 'text/html' },
    })

    expect(outcomes).toEqual(recoveredOrFailed(cases, `Chatbase had a server error (${status})`, afterPossibleDelivery))
  })

  it('retries a reset connection for every request but creations', async () => {
    const { cases, outcomes } = await runAll({ resetConnection: true })

    expect(outcomes).toEqual(recoveredOrFailed(cases, 'Could not reach Chatbase (ECONNRESET)', afterPossibleDelivery))
  })

  it('stops an answer slower than the deadline, within the deadline', async () => {
    const { cases, outcomes, slowestMs } = await runAll({ delayMs: 1_500 }, 1)

    expect(outcomes).toEqual(failed(cases, 'Chatbase did not answer within 1 s (timeout)'))
    expect(slowestMs).toBeLessThan(1_000 + WITHIN_DEADLINE_SLACK_MS)
  })

  it.each([
    ['an HTML page', 200, '<!DOCTYPE html><html><body>Service temporarily unavailable</body></html>', 'text/html'],
    ['truncated JSON', 200, '{"data": [{"id": "1", "na', undefined],
    ['no body', 200, '', undefined],
    ['a text body', 202, 'Done.', 'text/plain'],
  ])(
    'says a success with %s is unexpected when the output needs the body, and takes it otherwise',
    async (_, status, body, type) => {
      const { cases, outcomes } = await runAll({ status, body, ...(type && { headers: { 'content-type': type } }) })

      expect(outcomes).toEqual(unreadable(cases, `Chatbase answered ${status} with an unexpected response (not JSON)`))
    }
  )

  it.each([301, 307])(
    'reports a %i with where Chatbase tried to send the request, sending nothing there',
    async (status) => {
      const location = `https://elsewhere.example/api?key=${String(h.configuration.apiKey)}`
      const { cases, outcomes } = await runAll({ status, headers: { location } })

      expect(outcomes).toEqual(
        failed(
          cases,
          `Chatbase answered ${status} and tried to send the request to "https://elsewhere.example/api?key=[redacted]"`,
          { outcomeUnknown: false }
        )
      )
    }
  )

  it('says Chatbase kept rate-limiting when 429s last until the deadline, within the deadline', async () => {
    const { cases, outcomes, slowestMs } = await runAll({ status: 429, times: 1_000 }, 2)

    expect(outcomes).toEqual(
      cases.map(({ action }) => ({
        action,
        status: 400,
        sent: expect.any(Number),
        message: expect.stringMatching(
          /^Could not .*Chatbase (kept rate-limiting requests \(429 Too Many Requests\) for [\d.]+ s \(\d+ attempts\); another try would not fit|is rate-limiting requests \(429 Too Many Requests\); waiting the [\d.]+ s Chatbase asked for \(X-RateLimit-Reset\) would leave no time for another try) within the 2 s the action may take/
        ),
        warnsItMayHaveActed: false,
      }))
    )
    // API v2 says when its rate window resets (X-RateLimit-Reset, 10 s here): past the deadline, nothing is resent.
    expect(outcomes.every((outcome) => outcome.sent >= (isV2(outcome.action, cases) ? 1 : 2))).toBe(true)
    expect(slowestMs).toBeLessThan(2_000 + WITHIN_DEADLINE_SLACK_MS)
  })

  it('says Chatbase kept failing when gateway errors last until the deadline; sends /chat twice at most, creations once', async () => {
    const { cases, outcomes, slowestMs } = await runAll({ status: 503, times: 1_000 }, 2)
    // API v2's 503 is scheduled maintenance, "rejected before any data is read or written": retried whatever it is.
    const maintenance = outcomes.filter((outcome) => isV2(outcome.action, cases))
    expect(maintenance).toEqual(
      maintenance.map(({ action }) => ({
        action,
        status: 400,
        sent: expect.any(Number),
        message: expect.stringContaining('Chatbase kept answering with a server error (503) for'),
        warnsItMayHaveActed: false,
      }))
    )
    const outcomeOf = (policies: RetryPolicy[]) =>
      outcomes.filter((outcome) =>
        cases.some(
          (run) =>
            run.action === outcome.action &&
            policies.includes(run.policy) &&
            !run.reconciles &&
            !isV2(run.action, cases)
        )
      )
    const ofPolicies = (policies: RetryPolicy[]) =>
      cases.filter((run) => policies.includes(run.policy) && !run.reconciles && !isV2(run.action, cases))

    expect(outcomeOf(['read', 'idempotent-write'])).toEqual(
      ofPolicies(['read', 'idempotent-write']).map(({ action }) => ({
        action,
        status: 400,
        sent: expect.any(Number),
        message: expect.stringContaining('Chatbase kept answering with a server error (503) for'),
        warnsItMayHaveActed: false,
      }))
    )
    expect(outcomeOf(['billed'])).toEqual(
      failed(ofPolicies(['billed']), 'Chatbase had a server error (503)', { sent: 2 })
    )
    expect(outcomeOf(['creation'])).toEqual(failed(ofPolicies(['creation']), 'Chatbase had a server error (503)'))
    expect(slowestMs).toBeLessThan(2_000 + WITHIN_DEADLINE_SLACK_MS)
  })
})

describe('Retry-After', () => {
  it('is read as an HTTP date too', async () => {
    h.chatbase.injectFault({
      path: '/get-leads',
      status: 429,
      headers: { 'retry-after': new Date(Date.now() + 1_000).toUTCString() },
    })
    const result = await h.driver.callAction('getLeads', {})

    expect(result.status).toBe(200)
    expect(h.chatbase.requests).toHaveLength(2)
  })

  it.each([
    ['seconds', () => '120'],
    ['an HTTP date', () => new Date(Date.now() + 120_000).toUTCString()],
  ])('in %s, fails at once when it asks for longer than the deadline leaves', async (_, retryAfter) => {
    h.chatbase.injectFault({ path: '/get-leads', status: 429, headers: { 'retry-after': retryAfter() } })
    const result = await h.driver.callAction('getLeads', {})

    expect(result.error?.message).toMatch(
      new RegExp(
        `^Could not get the leads\\. Chatbase is rate-limiting requests \\(429 Too Many Requests\\); waiting the 1[12]\\d(\\.\\d)? s Chatbase asked for \\(Retry-After\\) would leave no time for another try within the ${DEFAULT_TIMEOUT_SECONDS} s the action may take`
      )
    )
    expect(h.chatbase.requests).toHaveLength(1)
  })
})

describe('Import Contacts under injected Chatbase faults', () => {
  const BULK_CHATBOT = 'bulk-chatbot'
  const BULK_CONTACTS = `/chatbots/${BULK_CHATBOT}/contacts`
  const contacts = Array.from({ length: 3 }, (_, index) => ({
    externalId: `bulk-under-fault-${index}`,
    email: `bulk${index}@example.com`,
  }))

  const importUnder = async (fault: Omit<Fault, 'method' | 'path'>, timeoutSeconds?: number) => {
    h.chatbase.addChatbot(BULK_CHATBOT)
    h.chatbase.injectFault({ method: 'POST', path: BULK_CONTACTS, ...fault })
    const driver = timeoutSeconds ? h.driver.withConfiguration({ ...h.configuration, timeoutSeconds }) : h.driver
    const result = await driver.callAction('createContacts', { contacts, chatbotId: BULK_CHATBOT })
    const posts = h.chatbase.requests.filter(
      (request) => request.method === 'POST' && request.path === BULK_CONTACTS
    ).length
    return {
      result,
      posts,
      stored: h.chatbase
        .contacts(BULK_CHATBOT)
        .map((contact) => contact.external_id)
        .sort(),
    }
  }

  it.each([
    ['a 429 with Retry-After', { status: 429, headers: { 'retry-after': '1' } }],
    ['a 429 without Retry-After', { status: 429 }],
    ['a 500', { status: 500 }],
    ['a 502', { status: 502 }],
    ['a 503', { status: 503 }],
    ['a reset connection', { resetConnection: true }],
    ['an HTML page with 200', { status: 200, body: '<html><body>Maintenance</body></html>' }],
    ['truncated JSON with 200', { status: 200, body: '{"message":"Success","data":{"cre' }],
  ] as const)('creates every contact exactly once after %s', async (_, fault) => {
    const { result, posts, stored } = await importUnder(fault)

    expect(result.output).toMatchObject({ createdCount: 3, failedCount: 0 })
    expect(stored).toEqual(contacts.map((contact) => contact.externalId).sort())
    expect(posts).toBe(2)
  })

  it('reports every contact as not confirmed when Chatbase is slower than the deadline, within the deadline', async () => {
    const started = Date.now()
    const { result } = await importUnder({ delayMs: 1_500 }, 1)

    expect(result.status).toBe(200)
    expect(result.output?.failed).toEqual(
      contacts.map((contact, index) => ({
        index,
        externalId: contact.externalId,
        reason: expect.stringMatching(
          /^Chatbase did not confirm whether the contact was created \(Chatbase did not answer within 1 s \(timeout\)/
        ),
      }))
    )
    expect(Date.now() - started).toBeLessThan(1_000 + WITHIN_DEADLINE_SLACK_MS)
  })

  it('fails with the reason when 429s last until the deadline and nothing was created', async () => {
    const { result, stored } = await importUnder({ status: 429, times: 1_000 }, 2)

    expect(result.error?.message).toMatch(
      /^Could not create 3 contacts\. Chatbase kept rate-limiting requests \(429 Too Many Requests\)/
    )
    expect(stored).toEqual([])
  })
})

describe('Chatbase acted, but its answer was lost', () => {
  const LOST_CHATBOT = 'lost-answer-chatbot'
  const LOST_CONTACTS = `/chatbots/${LOST_CHATBOT}/contacts`
  const posts = () =>
    h.chatbase.requests.filter((request) => request.method === 'POST' && request.path === LOST_CONTACTS).length
  const storedIds = () =>
    h.chatbase
      .contacts(LOST_CHATBOT)
      .map((contact) => contact.external_id)
      .sort()

  it.each([
    ['a 502', { status: 502 }],
    ['a reset connection', { resetConnection: true }],
  ] as const)('Create Contact returns the contact it created, once, after %s', async (_, fault) => {
    h.chatbase.addChatbot(LOST_CHATBOT)
    h.chatbase.injectFault({ method: 'POST', path: LOST_CONTACTS, afterHandling: true, ...fault })
    const result = await h.driver.callAction('createContact', {
      externalId: 'acted-once',
      email: 'acted@example.com',
      chatbotId: LOST_CHATBOT,
    })

    expect(result.output?.contact).toMatchObject({
      externalId: 'acted-once',
      email: 'acted@example.com',
      id: h.chatbase.contacts(LOST_CHATBOT)[0]?.id,
    })
    expect(storedIds()).toEqual(['acted-once'])
    expect(posts()).toBe(1)
  })

  it('Import Contacts creates every contact exactly once when one batch was acted on and its answer lost', async () => {
    h.chatbase.addChatbot(LOST_CHATBOT)
    const contacts = Array.from({ length: 1_500 }, (_, index) => ({ externalId: `lost-${index}` }))
    h.chatbase.injectFault({ method: 'POST', path: LOST_CONTACTS, status: 504, afterHandling: true })
    const result = await h.driver.callAction('createContacts', { contacts, chatbotId: LOST_CHATBOT, concurrency: 1 })

    expect(result.output).toMatchObject({ createdCount: 1_500, failedCount: 0 })
    expect(storedIds()).toEqual(contacts.map((contact) => contact.externalId).sort())
    expect(posts()).toBe(2)
  })

  it.each([
    ['with emails', (index: number) => ({ externalId: `behind-${index}`, email: `behind${index}@example.com` })],
    ['without emails', (index: number) => ({ externalId: `behind-${index}` })],
  ])("Import Contacts creates every contact once %s when Chatbase's clock runs behind this one", async (_, contact) => {
    h.chatbase.addChatbot(LOST_CHATBOT)
    h.chatbase.setClockSkew(-30)
    const contacts = Array.from({ length: 3 }, (__, index) => contact(index))
    h.chatbase.injectFault({ method: 'POST', path: LOST_CONTACTS, status: 502, afterHandling: true })
    const result = await h.driver.callAction('createContacts', { contacts, chatbotId: LOST_CHATBOT })

    expect(result.output).toMatchObject({ createdCount: 3, failedCount: 0 })
    expect(storedIds()).toEqual(contacts.map((entry) => entry.externalId).sort())
    expect(posts()).toBe(1)
  })

  it("Create Contact returns the contact it created, once, when Chatbase's clock runs behind this one", async () => {
    h.chatbase.addChatbot(LOST_CHATBOT)
    h.chatbase.setClockSkew(-30)
    h.chatbase.injectFault({ method: 'POST', path: LOST_CONTACTS, resetConnection: true, afterHandling: true })
    const result = await h.driver.callAction('createContact', { externalId: 'behind-once', chatbotId: LOST_CHATBOT })

    expect(result.output?.contact).toMatchObject({
      externalId: 'behind-once',
      id: h.chatbase.contacts(LOST_CHATBOT)[0]?.id,
    })
    expect(storedIds()).toEqual(['behind-once'])
    expect(posts()).toBe(1)
  })

  it('Import Contacts does not take an earlier contact with the same external id but another email for its own', async () => {
    h.chatbase.addChatbot(LOST_CHATBOT)
    await h.driver.callAction('createContact', {
      externalId: 'same-id',
      email: 'old@example.com',
      chatbotId: LOST_CHATBOT,
    })
    h.chatbase.injectFault({ method: 'POST', path: LOST_CONTACTS, status: 502 })
    const result = await h.driver.callAction('createContacts', {
      contacts: [{ externalId: 'same-id', email: 'new@example.com' }],
      chatbotId: LOST_CHATBOT,
    })

    expect(result.output).toMatchObject({ createdCount: 1, failedCount: 0 })
    expect(
      h.chatbase
        .contacts(LOST_CHATBOT)
        .map((stored) => stored.email)
        .sort()
    ).toEqual(['new@example.com', 'old@example.com'])
  })

  it('Delete Contact succeeds when its repeat finds the contact already gone', async () => {
    h.chatbase.addChatbot(LOST_CHATBOT)
    const created = await h.driver.callAction('createContact', { externalId: 'to-go', chatbotId: LOST_CHATBOT })
    const contactId = created.output?.contact.id
    h.chatbase.injectFault({ method: 'DELETE', afterHandling: true, status: 502 })
    const result = await h.driver.callAction('deleteContact', { contactId, chatbotId: LOST_CHATBOT })

    expect(result.output).toEqual({ deletedContactId: contactId })
    expect(storedIds()).toEqual([])
  })
})
