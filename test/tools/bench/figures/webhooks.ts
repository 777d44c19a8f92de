/*
 * Figure 5: signed leads.submit webhooks turned into createEvent calls on the Botpress stand-in, sustained for
 * 10 s. Deliveries go straight to the integration as `webhook_received` (what Botpress Cloud hands it), not
 * through the stand-in's public-URL relay: the relay is the platform's work and would share the bench's cores
 * with the sender. The baseline is the same load on the empty integration, whose handler does nothing; beside it,
 * the one-event integration, which only creates the event, shows what any integration doing this reaches here.
 *
 * Here the sender, the Botpress stand-in and the integration share the machine's cores, so the rate is bounded by
 * the CPU all three spend on a lead. The CPU time of each process is printed per lead: the integration's is what
 * one instance of it needs on a core of its own, as on Botpress Cloud, where the sender and Botpress are elsewhere.
 */
import os from 'node:os'
import type { IntegrationDriver } from '../../../support/botpress-protocol'
import { leadWebhook } from '../../../support/chatbase-emulator'
import { cpuMsOf, ms, ratio } from '../measure'
import { CHATBOT_ID, type Report, type Rig } from '../rig'

const GOAL_PER_SECOND = 1000
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
  const cpuBefore = { integration: cpuMsOf(pid), bench: cpuMsOf()! }
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
  const perLead = (before: number | undefined, after: number | undefined) =>
    before === undefined || after === undefined ? undefined : (after - before) / load.sent
  return {
    ...load,
    seconds: (performance.now() - start) / 1000,
    cpu: { integration: perLead(cpuBefore.integration, integrationAfter), bench: perLead(cpuBefore.bench, cpuMsOf())! },
  }
}

const cpuText = ({ integration, bench }: CpuPerLead): string =>
  `integration ${integration === undefined ? 'not measured' : ms(integration)}, sender and stand-ins ${ms(bench)}`

export const measureWebhooks = async (report: Report, rig: Rig): Promise<void> => {
  const subjectServed = { driver: rig.subject, pid: rig.pids.subject }
  const floorServed = { driver: rig.floor, pid: rig.pids.floor }
  await sustain(rig, floorServed, WARM_UP_SECONDS, 'warm-floor')
  const floor = await sustain(rig, floorServed, SECONDS, 'floor')
  const oneEventServed = { driver: rig.oneEvent, pid: rig.pids.oneEvent }
  await sustain(rig, oneEventServed, WARM_UP_SECONDS, 'warm-one-event')
  const oneEvent = await sustain(rig, oneEventServed, SECONDS, 'one-event')
  const oneEventPerSecond = oneEvent.accepted / oneEvent.seconds
  await sustain(rig, subjectServed, WARM_UP_SECONDS, 'warm')
  rig.botpress.reset()
  const subject = await sustain(rig, subjectServed, SECONDS, 'lead')
  const recorded = rig.botpress.events.filter(
    (event) => event.type === 'leadSubmitted' && subject.conversationIds.has(String(event.payload.conversationId))
  )
  const distinct = new Set(recorded.map((event) => event.payload.conversationId)).size
  const eventsPerSecond = distinct / subject.seconds
  const floorPerSecond = floor.accepted / floor.seconds
  const lost = subject.sent - distinct
  rig.botpress.reset()
  const cores = os.availableParallelism()
  const allCpu = subject.cpu.integration === undefined ? undefined : subject.cpu.integration + subject.cpu.bench
  report.line(
    `5. webhooks, ${SECONDS} s at ${IN_FLIGHT} in flight: ${subject.sent} signed leads sent, ${subject.accepted} answered 200, ` +
      `${distinct} events recorded (${recorded.length - distinct} duplicates), ${lost} lost; ` +
      `empty integration: ${Math.round(floorPerSecond)} webhooks/s`
  )
  report.line(
    `5. one createEvent through the SDK's client and nothing else: ${Math.round(oneEventPerSecond)} webhooks/s`
  )
  report.line(
    `5. CPU per lead: ${cpuText(subject.cpu)}; one-event integration: ${cpuText(oneEvent.cpu)}; ` +
      `empty integration: ${cpuText(floor.cpu)}` +
      (allCpu === undefined
        ? ''
        : `; ${cores} cores at ${ms(allCpu)} a lead allow at most ${Math.round((cores * 1000) / allCpu)}/s here, ` +
          `and the integration alone on one core ${Math.round(1000 / subject.cpu.integration!)}/s`)
  )
  report.row({
    figure: '5. webhook → createEvent, sustained 10 s',
    subject: `${Math.round(eventsPerSecond)}/s, ${lost} lost`,
    baseline: `${Math.round(floorPerSecond)}/s`,
    ratio: ratio(eventsPerSecond, floorPerSecond),
    goal: `≥ ${GOAL_PER_SECOND}/s, 0 lost`,
    holds: eventsPerSecond >= GOAL_PER_SECOND && lost === 0,
  })
  report.row({
    figure: '5. the same, vs one createEvent and nothing else',
    subject: `${Math.round(eventsPerSecond)}/s`,
    baseline: `${Math.round(oneEventPerSecond)}/s`,
    ratio: ratio(eventsPerSecond, oneEventPerSecond),
    goal: 'printed',
  })
  if (subject.cpu.integration !== undefined && floor.cpu.integration !== undefined) {
    report.row({
      figure: '5. integration CPU per webhook',
      subject: ms(subject.cpu.integration),
      baseline: ms(floor.cpu.integration),
      ratio: ratio(subject.cpu.integration, floor.cpu.integration),
      goal: 'printed',
    })
  }
}
