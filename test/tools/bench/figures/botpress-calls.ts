/*
 * Figure 7: Botpress API calls per operation, counted on the Botpress stand-in. The baseline is the least each
 * operation needs: reading and writing the memory of a chat; creating the event of a lead. The rest buys what the
 * operation promises: the re-read before a save keeps an exchange another instance saved meanwhile; the record of
 * deliveries (a read and a write) catches a repeat that reaches another instance; the lookup links a lead to the
 * conversation it came from.
 */
import { leadWebhook } from '../../../support/chatbase-emulator'
import { CHATBOT_ID, type Report, type Rig } from '../rig'

type Operation = { figure: string; least: number; why: string; run(rig: Rig): Promise<unknown> }

const lead = (rig: Rig, conversationId: string) => {
  const { body, headers } = leadWebhook({ chatbotId: CHATBOT_ID, payload: { conversationId, customerName: 'Bench Lead' } }, rig.chatbase.apiKey)
  return rig.subject.webhook({ method: 'POST', headers, body })
}

const OPERATIONS: Operation[] = [
  {
    figure: 'Message Chatbot with memory, a later turn',
    least: 2,
    why: 'read and write the memory',
    run: async (rig) => {
      await rig.subject.callAction('messageChatbot', { message: 'first', conversationId: 'bench-calls' })
      rig.botpress.requests.length = 0
      return rig.subject.callAction('messageChatbot', { message: 'second', conversationId: 'bench-calls' })
    },
  },
  { figure: 'a widget lead (unlinked)', least: 1, why: 'create the event', run: (rig) => lead(rig, 'bench-widget-lead') },
  {
    figure: 'a lead of a remembered conversation (linked)',
    least: 1,
    why: 'create the event',
    run: async (rig) => {
      await rig.subject.callAction('messageChatbot', { message: 'a demo, please', conversationId: 'bench-linked' })
      rig.botpress.requests.length = 0
      return lead(rig, 'bench-linked')
    },
  },
]

export const measureBotpressCalls = async (report: Report, rig: Rig): Promise<void> => {
  for (const operation of OPERATIONS) {
    rig.botpress.reset()
    await operation.run(rig)
    const calls = rig.botpress.requests.map((request) => `${request.method} ${request.path.replace(/^\/v1\/chat\//, '')}`)
    report.line(`7. ${operation.figure}: ${calls.length} Botpress API calls (${calls.join(', ')}); the least it needs: ${operation.least} (${operation.why})`)
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
