/*
 * Figure 7, what costs on Botpress Cloud: Botpress API calls per operation, and how many of them wait on each other,
 * counted on the Botpress stand-in answering each call after a Cloud-like delay. On Cloud each webhook and each card
 * is a short invocation of its own, and each round trip to the API is time the sender or the bot waits. The goals are
 * the calls README justifies one by one: reading and writing the memory of a chat, and the re-read before a save that
 * keeps an exchange another instance saved meanwhile; creating the event of a lead, the record of deliveries (a read
 * and a write) that catches a repeat reaching another instance, and the lookup that links a lead to the conversation
 * it came from, made at the same time as the record's read.
 */
import type { RecordedApiRequest } from '../../../support/botpress-stand-in'
import { leadWebhook } from '../../../support/chatbase-emulator'
import { CHATBOT_ID, type Report, type Rig } from '../rig'

/** Between a Lambda and the Botpress API in one region, a call takes tens of milliseconds. */
const CLOUD_LATENCY_MS = 40

type Operation = {
  figure: string
  /** The calls it makes, and how many of them one after the other, as README justifies them. */
  goal: { calls: number; sequential: number }
  /** What the operation needs first, not counted. */
  prepare?: (rig: Rig) => Promise<unknown>
  run: (rig: Rig) => Promise<unknown>
}

const lead = (rig: Rig, conversationId: string) => {
  const { body, headers } = leadWebhook(
    { chatbotId: CHATBOT_ID, payload: { conversationId, customerName: 'Bench Lead' } },
    rig.chatbase.apiKey
  )
  return rig.subject.webhook({ method: 'POST', headers, body })
}

// The memory in Botpress state is API v1's; on v2 a turn makes no Botpress call (figure 8).
const say = (rig: Rig, message: string, conversationId: string) =>
  rig.subjectOnV1.callAction('messageChatbot', { message, conversationId })

const OPERATIONS: Operation[] = [
  {
    figure: 'Message Chatbot with memory (API v1), a later turn',
    goal: { calls: 3, sequential: 3 },
    prepare: (rig) => say(rig, 'first', 'bench-calls'),
    run: (rig) => say(rig, 'second', 'bench-calls'),
  },
  {
    figure: 'a widget lead (unlinked)',
    goal: { calls: 4, sequential: 3 },
    run: (rig) => lead(rig, 'bench-widget-lead'),
  },
  {
    figure: 'a lead of a remembered conversation (linked)',
    goal: { calls: 4, sequential: 3 },
    prepare: (rig) => say(rig, 'a demo, please', 'bench-linked'),
    run: (rig) => lead(rig, 'bench-linked'),
  },
]

/** The most calls of `requests` that ran one after the other: each started only once the one before was answered. */
const sequentialCalls = (requests: RecordedApiRequest[]): number => {
  let count = 0
  let lastAnswered = -Infinity
  for (const request of [...requests].sort((a, b) => (a.answeredAt ?? Infinity) - (b.answeredAt ?? Infinity))) {
    if (request.receivedAt >= lastAnswered) {
      count += 1
      lastAnswered = request.answeredAt ?? Infinity
    }
  }
  return count
}

export const measureBotpressCalls = async (report: Report, rig: Rig): Promise<void> => {
  for (const operation of OPERATIONS) {
    rig.botpress.reset()
    rig.botpress.behave({ latencyMs: CLOUD_LATENCY_MS })
    await operation.prepare?.(rig)
    rig.botpress.requests.length = 0
    const started = performance.now()
    await operation.run(rig)
    const tookMs = performance.now() - started
    const requests = [...rig.botpress.requests]
    const sequential = sequentialCalls(requests)
    const calls = requests.map((request) => `${request.method} ${request.path.replace(/^\/v1\/chat\//, '')}`)
    report.line(
      `7. ${operation.figure}, each call answered after ${CLOUD_LATENCY_MS} ms: ${calls.length} Botpress API calls (${calls.join(', ')}), ${sequential} one after the other; it took ${Math.round(tookMs)} ms`
    )
    report.row({
      figure: `7. Botpress API calls / one after the other: ${operation.figure}`,
      subject: `${calls.length} / ${sequential}`,
      baseline: '',
      ratio: '',
      goal: `≤ ${operation.goal.calls} / ≤ ${operation.goal.sequential}`,
      holds: calls.length <= operation.goal.calls && sequential <= operation.goal.sequential,
    })
  }
  rig.botpress.reset()
}
