/*
 * Everything the figures run against, all on loopback: the Chatbase emulator, the Botpress API stand-in, the built
 * bundle served as `bp serve` serves it, and the empty baseline served the same way.
 */
import { startBotpressStandIn, type BotpressStandIn } from '../../support/botpress-stand-in'
import { IntegrationDriver, testInstallation } from '../../support/botpress-protocol'
import { chatbaseEnvironment, startChatbaseEmulator, type ChatbaseEmulator } from '../../support/chatbase-emulator'
import { serveBundle } from '../../support/serve-bundle'

export const CHATBOT_ID = 'bench-chatbot'

export type Rig = {
  chatbase: ChatbaseEmulator
  botpress: BotpressStandIn
  /** The bot's side of the served .botpress/dist/index.cjs. */
  subject: IntegrationDriver
  /** The same, installed on Chatbase API v1 only, as for a plan without v2: what the v1 figures measure. */
  subjectOnV1: IntegrationDriver
  /** Serves the bundle again in a new process beside the rig's: an instance that has seen nothing yet. */
  serveFreshSubject(): Promise<{ driver: IntegrationDriver; close(): Promise<void> }>
  /** The bot's side of the served empty integration. */
  floor: IntegrationDriver
  /** The bot's side of the served one-event integration (one-event-integration.ts). */
  oneEvent: IntegrationDriver
  /** What the served bundle printed: the cause of an "unexpected error" answer is only there. */
  subjectLogs: string[]
  /** The served processes' ids, for their CPU time. */
  pids: { subject?: number; floor?: number; oneEvent?: number }
  close(): Promise<void>
}

export type Row = {
  figure: string
  subject: string
  baseline: string
  ratio: string
  goal: string
  holds?: boolean
  /** Why a goal is not met, printed beside its NO. */
  reason?: string
}

/** What a figure hands back: table rows, and detail lines printed above the table. */
export type Report = { row(row: Row): void; line(text: string): void }

export const startRig = async (baselines: { floor: string; oneEvent: string }): Promise<Rig> => {
  const chatbase = await startChatbaseEmulator({ chatbotIds: [CHATBOT_ID] })
  const botpress = await startBotpressStandIn()
  const env = { ...chatbaseEnvironment(chatbase), BP_API_URL: botpress.url, BP_TOKEN: botpress.token }
  const [served, floor, oneEvent] = await Promise.all([
    serveBundle(env),
    serveBundle(env, baselines.floor),
    serveBundle(env, baselines.oneEvent),
  ])
  const installation = testInstallation({ apiKey: chatbase.apiKey, chatbotId: CHATBOT_ID })
  const subject = new IntegrationDriver(served.url, installation)
  return {
    chatbase,
    botpress,
    subject,
    subjectOnV1: subject.withConfiguration({ ...installation.configuration, apiVersion: 'v1' }),
    serveFreshSubject: async () => {
      const fresh = await serveBundle(env)
      return { driver: new IntegrationDriver(fresh.url, installation), close: fresh.close }
    },
    floor: new IntegrationDriver(floor.url, installation),
    oneEvent: new IntegrationDriver(oneEvent.url, installation),
    subjectLogs: served.logs,
    pids: { subject: served.pid, floor: floor.pid, oneEvent: oneEvent.pid },
    close: async () => {
      await Promise.all([served.close(), floor.close(), oneEvent.close()])
      await Promise.all([chatbase.close(), botpress.close()])
    },
  }
}
