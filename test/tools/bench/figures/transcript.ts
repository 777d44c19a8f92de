/*
 * Figure 4: what a long transcript costs the integration itself. Each round times messageChatbot through the
 * integration and the identical /chat request sent directly; their difference is the integration's side, so the
 * emulator's own time (which grows with the transcript) is subtracted round by round.
 */
import { captureRequest, replay, viaIntegration } from '../direct'
import { interleave, median, ms, ratio } from '../measure'
import type { IntegrationDriver } from '../../../support/botpress-protocol'
import type { Report, Rig } from '../rig'

const GOAL = 1.2
const LONG = 200
const SHORT = 1

type Turn = { role: 'user' | 'assistant'; content: string }

// About 40 words a turn, the length of an ordinary chat message.
const transcript = (turns: number): Turn[] =>
  Array.from({ length: turns }, (_, index) => ({
    role: index % 2 === 0 ? 'user' : 'assistant',
    content: `Turn ${index}: could you tell me whether the premium plan includes priority support, how long the trial lasts, and what happens to my saved conversations and contacts if I decide to cancel before the end of it?`,
  }))

const QUESTION = 'And how do I reach a human?'

type Contender = { driver: IntegrationDriver; input: Record<string, unknown> }

/**
 * How a transcript reaches messageChatbot on API v1, which takes it whole every turn: one entry per way. `history`:
 * the caller passes every turn. `remembered`: the integration keeps the conversation in Botpress state (read, sent,
 * saved on every call), bounded by the memory settings, so the 200 turns are played through it first and the default
 * bounds apply; the 1-turn side is an installation that remembers only the last exchange, so that both sides read and
 * save the state every time. On API v2 Chatbase keeps the conversation: figure 8.
 */
const TRANSCRIPT_SOURCES: { name: string; contender(rig: Rig, turns: Turn[]): Promise<Contender> }[] = [
  {
    name: 'history',
    contender: async (rig, turns) => ({
      driver: rig.subject,
      input: { message: QUESTION, conversationId: 'bench-transcript', history: turns },
    }),
  },
  {
    name: 'remembered transcript (API v1)',
    contender: async (rig, turns) => {
      const driver =
        turns.length > 1
          ? rig.subjectOnV1
          : rig.subjectOnV1.withConfiguration({ ...rig.subjectOnV1.installation.configuration, memoryMessages: 2 })
      const conversationId = `bench-remembered-${turns.length}`
      for (const turn of turns.filter((message) => message.role === 'user')) {
        await driver.callAction('messageChatbot', { message: turn.content, conversationId })
      }
      return { driver, input: { message: QUESTION, conversationId } }
    },
  },
]

export const measureTranscript = async (report: Report, rig: Rig): Promise<void> => {
  rig.chatbase.reset()
  for (const source of TRANSCRIPT_SOURCES) {
    const contender = async (turns: number) => {
      const { driver, input } = await source.contender(rig, transcript(turns))
      const request = await captureRequest(rig.chatbase, driver, 'messageChatbot', input)
      return {
        integration: viaIntegration(driver, 'messageChatbot', input),
        direct: replay(rig.chatbase, request),
        bytes: Buffer.byteLength(request.body),
      }
    }
    const [long, short] = [await contender(LONG), await contender(SHORT)]
    const samples = await interleave(
      {
        long: long.integration,
        longDirect: async () => {
          // The emulator records every request; dropping them keeps memory flat over the rounds.
          rig.chatbase.requests.length = 0
          return long.direct()
        },
        short: short.integration,
        shortDirect: short.direct,
      },
      { repetitions: 400, warmUp: 50 }
    )
    const integrationSide = (through: number[], direct: number[]) =>
      median(through.map((sample, round) => sample - (direct[round] as number)))
    const [longSide, shortSide] = [
      integrationSide(samples.long, samples.longDirect),
      integrationSide(samples.short, samples.shortDirect),
    ]
    // The emulator's own extra time for the long body is what receiving and parsing its bytes once costs; the
    // integration must do at least that much (it receives them, then serialises and sends them again).
    const bytesOnce = median(samples.longDirect) - median(samples.shortDirect)
    report.line(
      `4. messageChatbot via ${source.name}, 400 rounds: ${LONG} turns (${long.bytes} bytes to Chatbase) ` +
        `${ms(median(samples.long))} through, ${ms(median(samples.longDirect))} direct; ${SHORT} turn ` +
        `${ms(median(samples.short))} through, ${ms(median(samples.shortDirect))} direct; integration side ` +
        `${ms(longSide)} vs ${ms(shortSide)}; floor: ${ratio(shortSide + bytesOnce, shortSide)} ` +
        `(the 1-turn side plus ${ms(bytesOnce)}, the emulator's cost of taking the long body once)`
    )
    report.row({
      figure: `4. ${LONG}-turn vs ${SHORT}-turn ${source.name} (integration side, p50)`,
      subject: ms(longSide),
      baseline: ms(shortSide),
      ratio: ratio(longSide, shortSide),
      goal: `≤ ${GOAL.toFixed(2)}×`,
      holds: longSide / shortSide <= GOAL,
    })
  }
}
