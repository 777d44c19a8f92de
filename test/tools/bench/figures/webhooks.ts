/*
 * Figure 5: signed leads.submit webhooks turned into createEvent calls on the Botpress stand-in, sustained for
 * 10 s. Deliveries go straight to the integration as `webhook_received` (what Botpress Cloud hands it), not
 * through the stand-in's public-URL relay: the relay is the platform's work and would share the bench's one core
 * with the sender. The baseline is the same load on the empty integration, whose handler does nothing.
 */
import type { IntegrationDriver } from '../../../support/botpress-protocol'
import { leadWebhook } from '../../../support/chatbase-emulator'
import { CHATBOT_ID, type Report, type Rig } from '../rig'

const GOAL_PER_SECOND = 1000
const SECONDS = 10
const WARM_UP_SECONDS = 1
// Deliveries in flight at once: enough to keep both processes busy on two cores.
const IN_FLIGHT = 16
// The stand-in keeps every request it served, state bodies included: cleared as the load goes, or they fill memory.
const KEPT_REQUESTS = 10_000

type Load = { sent: number; accepted: number; seconds: number; conversationIds: Set<string> }

/** Delivers distinct signed leads from IN_FLIGHT senders until `seconds` have passed, then waits for the last. */
const sustain = async (rig: Rig, driver: IntegrationDriver, seconds: number, tag: string): Promise<Load> => {
  const secret = rig.chatbase.apiKey
  const load: Load = { sent: 0, accepted: 0, seconds: 0, conversationIds: new Set() }
  const start = performance.now()
  const deadline = start + seconds * 1000
  const sender = async () => {
    while (performance.now() < deadline) {
      const conversationId = `${tag}-${load.sent++}`
      load.conversationIds.add(conversationId)
      const { body, headers } = leadWebhook(
        {
          chatbotId: CHATBOT_ID,
          payload: { conversationId, customerName: 'Bench Lead', customerEmail: 'lead@example.com' },
        },
        secret
      )
      const answer = await driver.webhook({ method: 'POST', headers, body })
      if (answer.status === 200) {
        load.accepted++
      }
      if (rig.botpress.requests.length > KEPT_REQUESTS) {
        rig.botpress.requests.length = 0
      }
    }
  }
  await Promise.all(Array.from({ length: IN_FLIGHT }, sender))
  load.seconds = (performance.now() - start) / 1000
  return load
}

export const measureWebhooks = async (report: Report, rig: Rig): Promise<void> => {
  await sustain(rig, rig.floor, WARM_UP_SECONDS, 'warm-floor')
  const floor = await sustain(rig, rig.floor, SECONDS, 'floor')
  await sustain(rig, rig.subject, WARM_UP_SECONDS, 'warm')
  rig.botpress.reset()
  const subject = await sustain(rig, rig.subject, SECONDS, 'lead')
  const recorded = rig.botpress.events.filter(
    (event) => event.type === 'leadSubmitted' && subject.conversationIds.has(String(event.payload.conversationId))
  )
  const distinct = new Set(recorded.map((event) => event.payload.conversationId)).size
  const eventsPerSecond = distinct / subject.seconds
  const floorPerSecond = floor.accepted / floor.seconds
  const lost = subject.sent - distinct
  rig.botpress.reset()
  report.line(
    `5. webhooks, ${SECONDS} s at ${IN_FLIGHT} in flight: ${subject.sent} signed leads sent, ${subject.accepted} answered 200, ` +
      `${distinct} events recorded (${recorded.length - distinct} duplicates), ${lost} lost; ` +
      `empty integration: ${Math.round(floorPerSecond)} webhooks/s`
  )
  report.row({
    figure: '5. webhook → createEvent, sustained 10 s',
    subject: `${Math.round(eventsPerSecond)}/s, ${lost} lost`,
    baseline: `${Math.round(floorPerSecond)}/s`,
    ratio: `${(eventsPerSecond / floorPerSecond).toFixed(2)}×`,
    goal: `≥ ${GOAL_PER_SECOND}/s, 0 lost`,
    holds: eventsPerSecond >= GOAL_PER_SECOND && lost === 0,
  })
}
