/*
 * Figure 7: Botpress API calls per operation, counted on the Botpress stand-in. The baseline is the least each
 * operation needs: reading and writing the memory of a chat; creating the event of a lead. The rest buys what the
 * operation promises: the re-read before a save keeps an exchange another instance saved meanwhile; the record of
 * deliveries (a read and a write) catches a repeat that reaches another instance; the lookup links a lead to the
 * conversation it came from.
 */
import { leadWebhook } from '../../../support/chatbase-emulator'
import { CHATBOT_ID, type Report, type Rig } from '../rig'

type Operation = {
  figure: string
  least: number
  why: string
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

const say = (rig: Rig, message: string, conversationId: string) =>
  rig.subject.callAction('messageChatbot', { message, conversationId })

const OPERATIONS: Operation[] = [
  {
    figure: 'Message Chatbot with memory, a later turn',
    least: 2,
    why: 'read and write the memory',
    prepare: (rig) => say(rig, 'first', 'bench-calls'),
    run: (rig) => say(rig, 'second', 'bench-calls'),
  },
  {
    figure: 'a widget lead (unlinked)',
    least: 1,
    why: 'create the event',
    run: (rig) => lead(rig, 'bench-widget-lead'),
  },
  {
    figure: 'a lead of a remembered conversation (linked)',
    least: 1,
    why: 'create the event',
    prepare: (rig) => say(rig, 'a demo, please', 'bench-linked'),
    run: (rig) => lead(rig, 'bench-linked'),
  },
]

export const measureBotpressCalls = async (report: Report, rig: Rig): Promise<void> => {
  for (const operation of OPERATIONS) {
    rig.botpress.reset()
    await operation.prepare?.(rig)
    rig.botpress.requests.length = 0
    await operation.run(rig)
    const calls = rig.botpress.requests.map(
      (request) => `${request.method} ${request.path.replace(/^\/v1\/chat\//, '')}`
    )
    report.line(
      `7. ${operation.figure}: ${calls.length} Botpress API calls (${calls.join(', ')}); the least it needs: ${operation.least} (${operation.why})`
    )
    report.row({
      figure: `7. Botpress API calls: ${operation.figure}`,
      subject: String(calls.length),
      baseline: String(operation.least),
      ratio: `${(calls.length / operation.least).toFixed(2)}×`,
      goal: 'printed',
    })
  }
  rig.botpress.reset()
}
