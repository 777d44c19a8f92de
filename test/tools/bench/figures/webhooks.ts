/*
 * Figure 5: signed leads.submit webhooks turned into createEvent calls on the Botpress stand-in, sustained for
 * 10 s. Deliveries go straight to the integration as `webhook_received` (what Botpress Cloud hands it), not
 * through the stand-in's public-URL relay: the relay is the platform's work and would share the bench's cores
 * with the sender. The baseline is the same load on the empty integration, whose handler does nothing; beside it,
 * the one-event integration, which only creates the event, shows what any integration doing this reaches here.
 *
 * The rate is information, not a goal: here the sender, the Botpress stand-in and the integration share the
 * machine's cores, so it is bounded by the CPU all three spend on a lead, which says more about this rig than about
 * Botpress Cloud, where each webhook is an invocation of its own and what costs is its calls to the API (figure 7).
 * The goal is that no lead is lost. The CPU time of each process is printed per lead: the integration's is what
 * one instance of it needs on a core of its own, as on Botpress Cloud, where the sender and Botpress are elsewhere.
 */
import os from 'node:os'
import type { IntegrationDriver } from '../../../support/botpress-protocol'
import { leadWebhook } from '../../../support/chatbase-emulator'
import { cpuMsOf, ms, ownCpuMs, ratio } from '../measure'
import { CHATBOT_ID, type Report, type Rig } from '../rig'

const SECONDS = 10
const WARM_UP_SECONDS = 1
// Deliveries in flight at once: enough to keep both processes busy on two cores.
const IN_FLIGHT = 16
// The stand-in keeps every request it served, state bodies included: cleared as the load goes, or they fill memory.
const KEPT_REQUESTS = 10_000

type Served = { driver: IntegrationDriver; pid?: number }
/** CPU milliseconds per delivery, of the integration process and of the bench's (the sender and the stand-ins). */
type CpuPerLead = { integration?: number; bench: number }
type Load = { sent: number; accepted: number; seconds: number; conversationIds: Set<string>; cpu: CpuPerLead }

/** Delivers distinct signed leads from IN_FLIGHT senders until `seconds` have passed, then waits for the last. */
const sustain = async (rig: Rig, { driver, pid }: Served, seconds: number, tag: string): Promise<Load> => {
  const secret = rig.chatbase.apiKey
  const load = { sent: 0, accepted: 0, conversationIds: new Set<string>() }
  const cpuBefore = { integration: cpuMsOf(pid), bench: ownCpuMs() }
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
  const integrationAfter = cpuMsOf(pid)
  const benchMs = ownCpuMs() - cpuBefore.bench
  return {
    ...load,
    seconds: (performance.now() - start) / 1000,
    cpu: {
      integration:
        cpuBefore.integration === undefined || integrationAfter === undefined
          ? undefined
          : (integrationAfter - cpuBefore.integration) / load.sent,
      bench: benchMs / load.sent,
    },
  }
}

const cpuText = ({ integration, bench }: CpuPerLead): string =>
  `integration ${integration === undefined ? 'not measured' : ms(integration)}, sender and stand-ins ${ms(bench)}`

/** A warm-up, then the measured load. */
const warmedUp = async (rig: Rig, served: Served, tag: string): Promise<Load> => {
  await sustain(rig, served, WARM_UP_SECONDS, `warm-${tag}`)
  rig.botpress.reset()
  return sustain(rig, served, SECONDS, tag)
}

const perSecond = (load: Load): number => load.accepted / load.seconds

export const measureWebhooks = async (report: Report, rig: Rig): Promise<void> => {
  const floor = await warmedUp(rig, { driver: rig.floor, pid: rig.pids.floor }, 'floor')
  const oneEvent = await warmedUp(rig, { driver: rig.oneEvent, pid: rig.pids.oneEvent }, 'one-event')
  const subject = await warmedUp(rig, { driver: rig.subject, pid: rig.pids.subject }, 'lead')
  const recorded = rig.botpress.events.filter(
    (event) => event.type === 'leadSubmitted' && subject.conversationIds.has(String(event.payload.conversationId))
  )
  const distinct = new Set(recorded.map((event) => event.payload.conversationId)).size
  const eventsPerSecond = distinct / subject.seconds
  const lost = subject.sent - distinct
  rig.botpress.reset()
  report.line(
    `5. webhooks, ${SECONDS} s at ${IN_FLIGHT} in flight: ${subject.sent} signed leads sent, ${subject.accepted} answered 200, ` +
      `${distinct} events recorded (${recorded.length - distinct} duplicates), ${lost} lost; ` +
      `empty integration: ${Math.round(perSecond(floor))} webhooks/s; ` +
      `one createEvent through the SDK's client and nothing else: ${Math.round(perSecond(oneEvent))} webhooks/s`
  )
  const integrationCpu = subject.cpu.integration
  const cores = os.availableParallelism()
  const bound =
    integrationCpu === undefined
      ? ''
      : `; ${cores} cores at ${ms(integrationCpu + subject.cpu.bench)} a lead allow at most ` +
        `${Math.round((cores * 1000) / (integrationCpu + subject.cpu.bench))}/s here, ` +
        `and the integration alone on one core ${Math.round(1000 / integrationCpu)}/s`
  report.line(
    `5. CPU per lead: ${cpuText(subject.cpu)}; one-event integration: ${cpuText(oneEvent.cpu)}; ` +
      `empty integration: ${cpuText(floor.cpu)}${bound}`
  )
  report.row({
    figure: '5. webhook → createEvent, sustained 10 s',
    subject: `${Math.round(eventsPerSecond)}/s, ${lost} lost`,
    baseline: `${Math.round(perSecond(floor))}/s`,
    ratio: ratio(eventsPerSecond, perSecond(floor)),
    goal: '0 lost; the rate printed',
    holds: lost === 0,
  })
  report.row({
    figure: '5. the same, vs one createEvent and nothing else',
    subject: `${Math.round(eventsPerSecond)}/s`,
    baseline: `${Math.round(perSecond(oneEvent))}/s`,
    ratio: ratio(eventsPerSecond, perSecond(oneEvent)),
    goal: 'printed',
  })
  if (integrationCpu !== undefined && floor.cpu.integration !== undefined) {
    report.row({
      figure: '5. integration CPU per webhook',
      subject: ms(integrationCpu),
      baseline: ms(floor.cpu.integration),
      ratio: ratio(integrationCpu, floor.cpu.integration),
      goal: 'printed',
    })
  }
}
