import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest'
import { startBotpressStandIn, type BotpressStandIn } from './botpress-stand-in'
import { IntegrationDriver, testInstallation } from './botpress-protocol'
import { chatbaseEnvironment, startChatbaseEmulator, type ChatbaseEmulator } from './chatbase-emulator'
import { startFileHost, type FileHost } from './file-host'
import { CANARY_API_KEY, CheckedDriver, LeakCheck } from './leak-check'
import { serveBundle, type ServedIntegration } from './serve-bundle'

export const CHATBOT_ID = 'emulator-chatbot'
/** An installation that speaks Chatbase API v1 only, as one whose plan has no v2 does. */
export const ON_V1 = { apiVersion: 'v1' } as const

/**
 * Everything an end-to-end test needs, all real servers on loopback: Chatbase, Botpress, an https file host the
 * upload actions download from, and the served bundle.
 */
export type Harness = {
  chatbase: ChatbaseEmulator
  botpress: BotpressStandIn
  files: FileHost
  integration: ServedIntegration
  /** The bot's side, installed with the emulator's key and chatbot. */
  driver: IntegrationDriver
  /**
   * Every served process of the installation, the first being `integration` and `driver`: Botpress Cloud may hand two
   * requests of one installation to two instances that share nothing but the Botpress API.
   */
  instances: { integration: ServedIntegration; driver: IntegrationDriver }[]
  configuration: Record<string, unknown>
  reset(): void
  close(): Promise<void>
  /** Where a secret of a configuration sent to the integration came out of it since the last call (leak-check.ts). */
  leaks(): string[]
}

export type HarnessOptions = { instances?: number }

export const startHarness = async (
  configuration: Record<string, unknown> = {},
  { instances = 1 }: HarnessOptions = {}
): Promise<Harness> => {
  const chatbase = await startChatbaseEmulator({ chatbotIds: [CHATBOT_ID], apiKey: CANARY_API_KEY })
  const botpress = await startBotpressStandIn()
  const files = await startFileHost()
  const env = {
    ...chatbaseEnvironment(chatbase),
    BP_API_URL: botpress.url,
    BP_TOKEN: botpress.token,
    NODE_EXTRA_CA_CERTS: files.caPath,
  }
  const served = await Promise.all(Array.from({ length: instances }, () => serveBundle(env)))
  const fullConfiguration = { apiKey: chatbase.apiKey, chatbotId: CHATBOT_ID, ...configuration }
  const check = new LeakCheck()
  const all = served.map((integration) => ({
    integration,
    driver: new CheckedDriver(integration.url, testInstallation(fullConfiguration), check),
  }))
  const [{ integration, driver }] = all as [(typeof all)[number]]
  botpress.connect(driver)
  const logsSeen = all.map(() => 0)
  let requestsSeen = 0
  let downloadsSeen = 0
  const collect = () => {
    all.forEach(({ integration: { logs } }, instance) => {
      logs
        .slice(logsSeen[instance])
        .forEach((line, index) =>
          check.record(`log line ${logsSeen[instance]! + index + 1} of instance ${instance + 1}`, line)
        )
      logsSeen[instance] = logs.length
    })
    botpress.requests
      .slice(requestsSeen)
      .forEach((request) =>
        check.record(`a request to Botpress (${request.method} ${request.path})`, JSON.stringify(request))
      )
    requestsSeen = botpress.requests.length
    files.requests
      .slice(downloadsSeen)
      .forEach((request) =>
        check.record(`a request to the file host (${request.method} ${request.path})`, JSON.stringify(request))
      )
    downloadsSeen = files.requests.length
  }
  return {
    chatbase,
    botpress,
    files,
    integration,
    driver,
    instances: all,
    configuration: fullConfiguration,
    reset: () => {
      collect()
      requestsSeen = 0
      downloadsSeen = 0
      chatbase.reset()
      botpress.reset()
      files.reset()
    },
    close: async () => {
      await Promise.all(all.map((instance) => instance.integration.close()))
      await Promise.all([chatbase.close(), botpress.close(), files.close()])
    },
    leaks: () => {
      collect()
      return check.newLeaks()
    },
  }
}

/**
 * One harness for a describe block (or a file): started before its tests, reset before each, closed after.
 * The returned object is filled in by beforeAll, so tests use it directly.
 */
export const useHarness = (configuration: Record<string, unknown> = {}, options: HarnessOptions = {}): Harness => {
  const harness = {} as Harness
  beforeAll(async () => {
    Object.assign(harness, await startHarness(configuration, options))
  })
  beforeEach(() => harness.reset())
  // Every scenario runs with recognisable secrets: the test during which one comes out fails, and lines logged
  // after the last test fail the file.
  const failOnLeaks = (leaks: string[]) => {
    if (leaks.length > 0) {
      throw new Error(`A secret came out of the integration:\n${leaks.join('\n')}`)
    }
  }
  afterEach(() => failOnLeaks(harness.leaks()))
  // Chatbase v2 traffic is held to Chatbase's OpenAPI spec: the test whose requests or answers broke it fails
  afterEach(() => {
    const violations = harness.chatbase.contractViolations()
    if (violations.length > 0) throw new Error(`Chatbase v2 traffic broke the API's spec:\n${violations.join('\n')}`)
  })
  afterAll(async () => {
    await harness.close()
    failOnLeaks(harness.leaks())
  })
  return harness
}
