import { afterAll, beforeAll, beforeEach } from 'vitest'
import { startBotpressStandIn, type BotpressStandIn } from './botpress-stand-in'
import { IntegrationDriver, testInstallation } from './botpress-protocol'
import { startChatbaseEmulator, type ChatbaseEmulator } from './chatbase-emulator'
import { serveBundle, type ServedIntegration } from './serve-bundle'

export const CHATBOT_ID = 'emulator-chatbot'

/** Everything an end-to-end test needs, all real servers on loopback: Chatbase, Botpress and the served bundle. */
export type Harness = {
  chatbase: ChatbaseEmulator
  botpress: BotpressStandIn
  integration: ServedIntegration
  /** The bot's side, installed with the emulator's key and chatbot. */
  driver: IntegrationDriver
  configuration: Record<string, unknown>
  reset(): void
  close(): Promise<void>
}

export const startHarness = async (configuration: Record<string, unknown> = {}): Promise<Harness> => {
  const chatbase = await startChatbaseEmulator({ chatbotIds: [CHATBOT_ID] })
  const botpress = await startBotpressStandIn()
  const integration = await serveBundle({
    CHATBASE_API_URL: chatbase.url,
    BP_API_URL: botpress.url,
    BP_TOKEN: botpress.token,
  })
  const fullConfiguration = { apiKey: chatbase.apiKey, chatbotId: CHATBOT_ID, ...configuration }
  const driver = new IntegrationDriver(integration.url, testInstallation(fullConfiguration))
  botpress.connect(driver)
  return {
    chatbase,
    botpress,
    integration,
    driver,
    configuration: fullConfiguration,
    reset: () => {
      chatbase.reset()
      botpress.reset()
    },
    close: async () => {
      await integration.close()
      await Promise.all([chatbase.close(), botpress.close()])
    },
  }
}

/**
 * One harness for a describe block (or a file): started before its tests, reset before each, closed after.
 * The returned object is filled in by beforeAll, so tests use it directly.
 */
export const useHarness = (configuration: Record<string, unknown> = {}): Harness => {
  const harness = {} as Harness
  beforeAll(async () => {
    Object.assign(harness, await startHarness(configuration))
  })
  beforeEach(() => harness.reset())
  afterAll(() => harness.close())
  return harness
}
