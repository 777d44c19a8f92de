/*
 * Figure 3: an action's round trip through the served bundle to the emulator, against the same request sent to
 * the emulator directly. The floor also prints: the direct request plus one round trip to the empty integration
 * (a `ping`), which is what any integration costs before it does anything.
 */
import { callOperation } from '../../../support/botpress-protocol'
import { captureRequest, replay, viaIntegration } from '../direct'
import { interleave, median, ms, percentile, ratio, timed } from '../measure'
import { CHATBOT_ID, type Report, type Rig } from '../rig'

const GOAL = 1.5
const LEADS_ON_PAGE = 10

const ACTIONS: { type: string; input: Record<string, unknown> }[] = [
  { type: 'getLeads', input: { startDate: '2020-01-01', size: LEADS_ON_PAGE } },
  // Without a conversation id the integration keeps no transcript in Botpress state: one request to Chatbase, as
  // here. The remembered transcript belongs to figure 4.
  { type: 'messageChatbot', input: { message: 'What are your opening hours?' } },
]

export const measureRoundTrip = async (report: Report, rig: Rig): Promise<void> => {
  rig.chatbase.reset()
  for (let lead = 0; lead < LEADS_ON_PAGE; lead++) {
    rig.chatbase.addLead(CHATBOT_ID, { name: `Lead ${lead}`, email: `lead${lead}@example.com`, phone: '+14155550100' })
  }
  const ping = () => timed(() => callOperation(rig.floor.url, 'ping', rig.floor.installation, {}))
  for (const { type, input } of ACTIONS) {
    const direct = replay(rig.chatbase, await captureRequest(rig.chatbase, rig.subject, type, input))
    const samples = await interleave(
      { integration: viaIntegration(rig.subject, type, input), direct, ping },
      { repetitions: 1500, warmUp: 200 }
    )
    rig.chatbase.requests.length = 0
    const floor = samples.direct.map((sample, round) => sample + (samples.ping[round] as number))
    const [p50, p99] = [median(samples.integration), percentile(samples.integration, 99)]
    report.line(
      `3. ${type}, 1500 rounds: through the integration p50 ${ms(p50)} p99 ${ms(p99)}; ` +
        `direct p50 ${ms(median(samples.direct))} p99 ${ms(percentile(samples.direct, 99))}; ` +
        `empty-integration hop p50 ${ms(median(samples.ping))}; floor (direct + hop) p50 ${ms(median(floor))}, ` +
        `${ratio(median(floor), median(samples.direct))} of direct; the integration is ${ratio(p50, median(floor))} of the floor`
    )
    report.row({
      figure: `3. ${type} round trip p50`,
      subject: ms(p50),
      baseline: ms(median(samples.direct)),
      ratio: ratio(p50, median(samples.direct)),
      goal: `≤ ${GOAL.toFixed(2)}×`,
      holds: p50 / median(samples.direct) <= GOAL,
    })
    report.row({
      figure: `3. ${type} round trip p99`,
      subject: ms(p99),
      baseline: ms(percentile(samples.direct, 99)),
      ratio: ratio(p99, percentile(samples.direct, 99)),
      goal: 'printed',
    })
  }
}
