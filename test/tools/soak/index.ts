/*
 * `npm run soak` (not part of `npm test`): thousands of signed webhooks and actions, all at once, against the built
 * bundle served on loopback, while Chatbase (the emulator) and Botpress (the stand-in) fail on purpose. Bounded in
 * count and in time. It prints what was delivered, emitted and failed, and exits non-zero on any lost or duplicated
 * event, any forged event, any action that did not end in success or a clear RuntimeError, or any leaked secret.
 */
import { startBotpressStandIn } from '../../support/botpress-stand-in'
import { testInstallation } from '../../support/botpress-protocol'
import {
  chatbaseEnvironment,
  leadWebhook,
  signWebhookBody,
  startChatbaseEmulator,
  type Fault,
} from '../../support/chatbase-emulator'
import { CANARY_API_KEY, CheckedDriver, LeakCheck } from '../../support/leak-check'
import { serveBundle } from '../../support/serve-bundle'

const LEADS = 3_000
/** Every few leads is sent twice at once, and every few again once accepted: a proxy or Chatbase retrying. */
const SENT_TWICE_AT_ONCE_EVERY = 4
const SENT_AGAIN_LATER_EVERY = 5
const STRANGERS = 300
const ACTIONS = 1_000
const WEBHOOK_CONCURRENCY = 64
const ACTION_CONCURRENCY = 48
/** What a sender does with a delivery answered non-2xx: deliver it again, a bounded number of times. */
const MAX_DELIVERY_ATTEMPTS = 30
/** Botpress fails 3 events at most per this many deliveries sent. */
const DELIVERIES_PER_OUTAGE = 10
const ACTION_TIMEOUT_SECONDS = 10
const TIME_LIMIT_MS = 240_000
const CHATBOT_ID = 'soak-chatbot'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Runs `work` on every item with at most `concurrency` in flight. */
const pool = async <T>(items: T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> => {
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      await work(items[next++] as T)
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
}

const main = async (): Promise<number> => {
  const chatbase = await startChatbaseEmulator({ chatbotIds: [CHATBOT_ID], apiKey: CANARY_API_KEY })
  const botpress = await startBotpressStandIn()
  const integration = await serveBundle({
    ...chatbaseEnvironment(chatbase),
    BP_API_URL: botpress.url,
    BP_TOKEN: botpress.token,
  })
  const check = new LeakCheck()
  const configuration = { apiKey: CANARY_API_KEY, chatbotId: CHATBOT_ID, timeoutSeconds: ACTION_TIMEOUT_SECONDS }
  const driver = new CheckedDriver(integration.url, testInstallation(configuration), check)
  botpress.connect(driver)
  const webhookUrl = botpress.webhookUrl(driver.installation.webhookId)

  // Chatbase faults, consumed in order by the requests of each path: rate limits with and without Retry-After,
  // gateway errors with an HTML page, resets, slow answers, and the ones not retried (500, truncated JSON).
  const faultKinds: Omit<Fault, 'path'>[] = [
    { status: 429 },
    { status: 429, headers: { 'retry-after': '1' } },
    { status: 503 },
    { status: 502, body: '<html><body>Bad gateway</body></html>', headers: { 'content-type': 'text/html' } },
    { resetConnection: true },
    { delayMs: 300 },
    { status: 500 },
    { status: 200, body: '{"data": [' },
  ]
  const faultedPaths = ['/get-leads', '/chat', `/chatbots/${CHATBOT_ID}/contacts`]
  for (let round = 0; round < 30; round++) {
    for (const path of faultedPaths) faultKinds.forEach((fault) => chatbase.injectFault({ path, ...fault }))
  }

  const counts = {
    deliveries: 0,
    deliveriesRefusedForRetry: 0,
    deliveryNetworkErrors: 0,
    leadsAccepted: 0,
    leadsGivenUp: 0,
    strangersRefused: 0,
    strangersAccepted: 0,
    actionsSucceeded: 0,
    actionsFailedClearly: 0,
    actionsFailedOtherwise: 0,
  }
  let slowestActionMs = 0
  const unexpected: string[] = []

  /** One delivery as Chatbase makes it, delivered again while it is not answered 2xx. */
  const deliver = async (body: string, signature: string): Promise<number | undefined> => {
    for (let attempt = 1; attempt <= MAX_DELIVERY_ATTEMPTS; attempt++) {
      counts.deliveries += 1
      try {
        const response = await fetch(webhookUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-chatbase-signature': signature },
          body,
        })
        await response.text()
        if (response.status === 200 || response.status === 401) {
          return response.status
        }
        counts.deliveriesRefusedForRetry += 1
      } catch {
        counts.deliveryNetworkErrors += 1
      }
      await sleep(20 * attempt)
    }
    return undefined
  }

  const deliverLead = async (index: number): Promise<void> => {
    const { body, headers } = leadWebhook(
      {
        chatbotId: CHATBOT_ID,
        payload: { conversationId: `soak-${index}`, customerEmail: `lead${index}@example.com` },
      },
      CANARY_API_KEY
    )
    const signature = headers['x-chatbase-signature'] as string
    const copies = index % SENT_TWICE_AT_ONCE_EVERY === 0 ? 2 : 1
    const statuses = await Promise.all(Array.from({ length: copies }, () => deliver(body, signature)))
    if (statuses.some((status) => status === 200)) {
      counts.leadsAccepted += 1
    } else {
      counts.leadsGivenUp += 1
    }
    if (index % SENT_AGAIN_LATER_EVERY === 0) {
      await deliver(body, signature)
    }
  }

  const deliverStranger = async (index: number): Promise<void> => {
    const { body } = leadWebhook(
      { chatbotId: CHATBOT_ID, payload: { conversationId: `stranger-${index}` } },
      CANARY_API_KEY
    )
    const status = await deliver(body, signWebhookBody(body, `guessed-secret-${index}`))
    if (status === 401) counts.strangersRefused += 1
    else counts.strangersAccepted += 1
  }

  const actions: [string, (index: number) => Record<string, unknown>][] = [
    ['getLeads', () => ({})],
    ['messageChatbot', (index) => ({ message: `Question ${index}` })],
    ['listContacts', () => ({})],
    ['createContact', (index) => ({ externalId: `soak-contact-${index}` })],
  ]
  const createdContacts = new Set<string>()
  const runAction = async (index: number): Promise<void> => {
    const [type, input] = actions[index % actions.length] as (typeof actions)[number]
    const started = Date.now()
    const result = await driver.callAction(type, input(index))
    slowestActionMs = Math.max(slowestActionMs, Date.now() - started)
    if (result.status === 200) {
      counts.actionsSucceeded += 1
      if (type === 'createContact') createdContacts.add(`soak-contact-${index}`)
    } else if (result.error?.type === 'Runtime' && result.error.message.startsWith('Could not ')) {
      counts.actionsFailedClearly += 1
    } else {
      counts.actionsFailedOtherwise += 1
      unexpected.push(`${type}: ${JSON.stringify(result).slice(0, 300)}`)
    }
  }

  // Botpress failing to take events now and then, all along: each failure must end in a new delivery, not a loss.
  // An outage hits the deliveries of its moment: it is injected only after more came, or unconsumed failures would
  // pile up and meet the last few deliveries alone, every time they are sent again.
  let deliveriesAtLastOutage = 0
  const botpressOutages = setInterval(() => {
    if (counts.deliveries - deliveriesAtLastOutage >= DELIVERIES_PER_OUTAGE) {
      deliveriesAtLastOutage = counts.deliveries
      botpress.injectFault({ operation: 'createEvent', status: 500, times: 3 })
    }
  }, 100)
  const started = Date.now()
  const indexes = (count: number) => Array.from({ length: count }, (_, index) => index)
  const work = Promise.all([
    pool(indexes(LEADS), WEBHOOK_CONCURRENCY, deliverLead),
    pool(indexes(STRANGERS), 8, deliverStranger),
    pool(indexes(ACTIONS), ACTION_CONCURRENCY, runAction),
  ])
  const finished = await Promise.race([work.then(() => true), sleep(TIME_LIMIT_MS).then(() => false)])
  clearInterval(botpressOutages)
  const elapsedMs = Date.now() - started

  const emitted = botpress.events.filter((event) => event.type === 'leadSubmitted')
  const ids = emitted.map((event) => String(event.payload.conversationId))
  const distinct = new Set(ids)
  const lost = indexes(LEADS).filter((index) => !distinct.has(`soak-${index}`)).length
  const duplicated = ids.length - distinct.size
  const forged = ids.filter((id) => !id.startsWith('soak-')).length
  const stored = chatbase.contacts(CHATBOT_ID).map((contact) => contact.external_id)
  const duplicatedContacts = stored.length - new Set(stored).size
  const missingContacts = [...createdContacts].filter((externalId) => !stored.includes(externalId)).length

  await integration.close()
  await Promise.all([chatbase.close(), botpress.close()])
  integration.logs.forEach((line, index) => check.record(`log line ${index + 1}`, line))
  botpress.requests.forEach((request) =>
    check.record(`a request to Botpress (${request.path})`, JSON.stringify(request))
  )
  const leaks = check.newLeaks()

  const overDeadline = slowestActionMs > ACTION_TIMEOUT_SECONDS * 1000 + 2_000
  console.log(
    `soak: ${finished ? 'finished' : `STOPPED at the ${TIME_LIMIT_MS / 1000} s limit`} in ${(elapsedMs / 1000).toFixed(1)} s`
  )
  console.log(
    `webhooks: ${LEADS} leads, ${counts.deliveries} deliveries sent (${counts.deliveriesRefusedForRetry} answered 503 and delivered again, ${counts.deliveryNetworkErrors} network errors); delivered ${counts.leadsAccepted}, given up ${counts.leadsGivenUp}`
  )
  console.log(
    `strangers: ${STRANGERS} forged deliveries, refused ${counts.strangersRefused}, accepted ${counts.strangersAccepted}`
  )
  console.log(`events: emitted ${emitted.length}, lost ${lost}, duplicated ${duplicated}, forged ${forged}`)
  console.log(
    `actions: ${ACTIONS} run, succeeded ${counts.actionsSucceeded}, failed with a clear RuntimeError ${counts.actionsFailedClearly}, failed otherwise ${counts.actionsFailedOtherwise}; slowest ${(slowestActionMs / 1000).toFixed(1)} s (deadline ${ACTION_TIMEOUT_SECONDS} s)`
  )
  console.log(
    `contacts: ${createdContacts.size} reported created, missing ${missingContacts}, duplicated ${duplicatedContacts}`
  )
  console.log(`secrets: ${leaks.length} leaks`)
  unexpected.slice(0, 10).forEach((line) => console.log(`  unexpected: ${line}`))
  leaks.slice(0, 10).forEach((line) => console.log(`  leak: ${line}`))

  const ok =
    finished &&
    lost === 0 &&
    duplicated === 0 &&
    forged === 0 &&
    counts.leadsGivenUp === 0 &&
    counts.strangersAccepted === 0 &&
    counts.actionsFailedOtherwise === 0 &&
    !overDeadline &&
    duplicatedContacts === 0 &&
    missingContacts === 0 &&
    leaks.length === 0
  console.log(ok ? 'soak: OK' : 'soak: FAILED')
  return ok ? 0 : 1
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error)
    process.exit(1)
  }
)
