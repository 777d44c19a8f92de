import { spawn } from 'node:child_process'
import path from 'node:path'
import { Client, type Conversation, type Message } from '@botpress/client'
import exampleBotDefinition from '../examples/bot/bot.definition'
import { BotDriver, IntegrationDriver, testInstallation } from './botpress-protocol'
import { startBotpressStandIn, type BotpressStandIn } from './botpress-stand-in'
import { chatbaseEnvironment, startChatbaseEmulator, type ChatbaseEmulator } from './chatbase-emulator'
import { serveBundle, watchProcess, type ServedIntegration } from './serve-bundle'

/*
 * Bot-as-code on loopback, wired as Botpress Cloud wires it: the example bot (test/examples/bot) and the built
 * integration bundle each run in their own process, and reach each other only through the Botpress stand-in.
 * No vitest import here: the playground (`npm start`) uses it too.
 */

const EXAMPLE_BOT_ENTRY = path.resolve(__dirname, '../examples/bot/src/index.ts')
const REPO_ROOT = path.resolve(__dirname, '../..')

// What `bp serve` does for a bot: load it and call bot.start(port). tsx stands in for the CLI's bundler. Port 0 lets
// the system pick a free port, reported over IPC once listening.
const SERVE_BOT_SCRIPT = `
require(process.argv[1]).default.start(0).then((server) => {
  const report = () => process.send(server.address().port)
  server.listening ? report() : server.once('listening', report)
})`

/** The channel the user writes on: a stand-in for any channel integration (webchat, Telegram, …). */
const USER_CHANNEL = { integrationId: 'intver_chat_standin', alias: 'chat', channel: 'channel' } as const

export type ServedBot = {
  url: string
  /** Everything the bot process printed (stdout and stderr), line by line: its logger writes there. */
  logs: string[]
  close(): Promise<void>
}

/** Serves the example bot in its own Node process, with the environment Botpress gives it (BP_API_URL, BP_TOKEN). */
export const serveBot = async (env: Record<string, string>): Promise<ServedBot> => {
  const child = spawn(process.execPath, ['--import', 'tsx', '-e', SERVE_BOT_SCRIPT, EXAMPLE_BOT_ENTRY], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  })
  const { logs, exit, close } = watchProcess(child)
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (message) => resolve(Number(message)))
    void exit.then(() => reject(new Error(`The bot process exited before it was listening:\n${logs.join('\n')}`)))
  })
  return {
    url: `http://127.0.0.1:${port}`,
    logs,
    close,
  }
}

/** The Botpress API client the bot's handlers get, to read what the bot stored (its states). */
export const botClient = (botpress: BotpressStandIn, botId: string): Client =>
  new Client({ apiUrl: botpress.url, token: botpress.botToken, botId })

export type UserTurn = { conversation: Conversation; message: Message; replies: Message[] }

/**
 * A user writes `text`: the official client, acting as the channel integration, creates the user, the conversation
 * and the message, as a channel integration does with what its platform sends; Botpress then hands the message to
 * the bot. Waits for the bot and returns what it answered in that conversation.
 */
export const userSays = async (
  botpress: BotpressStandIn,
  botId: string,
  text: string,
  who: { user?: string; conversation?: string } = {}
): Promise<UserTurn> => {
  const channel = new Client({
    apiUrl: botpress.url,
    token: botpress.token,
    botId,
    integrationId: USER_CHANNEL.integrationId,
    integrationAlias: USER_CHANNEL.alias,
  })
  const { user } = await channel.getOrCreateUser({ tags: { id: who.user ?? 'visitor-1' } })
  const { conversation } = await channel.getOrCreateConversation({
    channel: USER_CHANNEL.channel,
    tags: { id: who.conversation ?? 'chat-1' },
  })
  const { message } = await channel.createMessage({
    type: 'text',
    payload: { text },
    userId: user.id,
    conversationId: conversation.id,
    tags: {},
  })
  await botpress.settled()
  const replies = botpress.messages
    .slice(botpress.messages.findIndex((created) => created.id === message.id) + 1)
    .filter((created) => created.direction === 'outgoing' && created.conversationId === conversation.id)
  return { conversation, message, replies }
}

export const BOT_CHATBOT_ID = 'example-bot-chatbot'

export type BotHarness = {
  chatbase: ChatbaseEmulator
  botpress: BotpressStandIn
  integration: ServedIntegration
  bot: ServedBot
  /** The integration as installed in the bot: the alias the bot declares, the emulator's key and chatbot. */
  driver: IntegrationDriver
  botId: string
  userSays(text: string, who?: { user?: string; conversation?: string }): Promise<UserTurn>
  /** The API client the bot's handlers get: reads what the bot stored. */
  botClient: Client
  reset(): void
  close(): Promise<void>
}

export const startBotHarness = async (): Promise<BotHarness> => {
  const declared = exampleBotDefinition.integrations?.chatbase
  if (!declared) throw new Error('The example bot does not declare the chatbase integration')

  const chatbase = await startChatbaseEmulator({ chatbotIds: [BOT_CHATBOT_ID] })
  const botpress = await startBotpressStandIn()
  const integration = await serveBundle({
    ...chatbaseEnvironment(chatbase),
    BP_API_URL: botpress.url,
    BP_TOKEN: botpress.token,
  })
  const bot = await serveBot({ BP_API_URL: botpress.url, BP_TOKEN: botpress.botToken })
  const driver = new IntegrationDriver(integration.url, {
    ...testInstallation({ apiKey: chatbase.apiKey, chatbotId: BOT_CHATBOT_ID }),
    integrationAlias: declared.alias,
  })
  const botId = driver.installation.botId
  botpress.connect(driver)
  botpress.connectBot(new BotDriver(bot.url, { botId, configuration: {} }))
  return {
    chatbase,
    botpress,
    integration,
    bot,
    driver,
    botId,
    userSays: (text, who) => userSays(botpress, botId, text, who),
    botClient: botClient(botpress, botId),
    reset: () => {
      chatbase.reset()
      botpress.reset()
    },
    close: async () => {
      await Promise.all([integration.close(), bot.close()])
      await Promise.all([chatbase.close(), botpress.close()])
    },
  }
}
