/*
 * How Botpress Cloud calls an integration (../shared/reference/botpress-runtime.md): every operation is a POST with
 * the ids and the base64 JSON configuration in headers. Used by the tests' driver and by the Botpress stand-in's
 * webhook relay, so both speak exactly the same protocol.
 */
import http from 'node:http'

const agent = new http.Agent({ keepAlive: true })

export type Installation = {
  configuration: Record<string, unknown>
  botId: string
  botUserId: string
  integrationId: string
  integrationAlias: string
  webhookId: string
}

export type Operation = 'action_triggered' | 'webhook_received' | 'register' | 'unregister' | 'ping'

export type HttpAnswer = { status: number; headers: Record<string, string>; body: string }

export const testInstallation = (configuration: Record<string, unknown>): Installation => ({
  configuration,
  botId: 'bot_standin',
  botUserId: 'user_bot_standin',
  integrationId: 'intver_chatbase_standin',
  integrationAlias: 'chatbase',
  webhookId: 'wh_chatbase_standin',
})

export const operationHeaders = (operation: Operation, installation: Installation): Record<string, string> => ({
  'content-type': 'application/json',
  'x-bp-operation': operation,
  'x-bp-configuration': Buffer.from(JSON.stringify(installation.configuration)).toString('base64'),
  'x-bot-id': installation.botId,
  'x-bot-user-id': installation.botUserId,
  'x-integration-id': installation.integrationId,
  'x-integration-alias': installation.integrationAlias,
  'x-webhook-id': installation.webhookId,
})

/**
 * A POST over node:http on kept-alive connections: the load tools send thousands a second, and fetch costs the
 * sending process several times more CPU per request than the integration it measures.
 */
const postJson = (
  url: string,
  headers: Record<string, string>,
  body: string,
  signal?: AbortSignal
): Promise<HttpAnswer> =>
  new Promise((resolve, reject) => {
    const request = http.request(
      url,
      { method: 'POST', agent, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) }, signal },
      (response) => {
        const chunks: Buffer[] = []
        response.on('data', (chunk: Buffer) => chunks.push(chunk))
        response.on('error', reject)
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: Object.fromEntries(
              Object.entries(response.headers).map(([name, value]) => [
                name,
                Array.isArray(value) ? value.join(', ') : String(value),
              ])
            ),
            body: Buffer.concat(chunks).toString('utf8'),
          })
        )
      }
    )
    request.on('error', reject)
    request.end(body)
  })

export const callOperation = (
  integrationUrl: string,
  operation: Operation,
  installation: Installation,
  body: unknown,
  signal?: AbortSignal
): Promise<HttpAnswer> =>
  postJson(integrationUrl, operationHeaders(operation, installation), JSON.stringify(body), signal)

export type ActionResult = { status: number; output?: Record<string, any>; error?: { message: string; type: string } }

/** Plays the bot's side of the protocol against a served integration. */
export class IntegrationDriver {
  public constructor(
    public readonly url: string,
    public readonly installation: Installation
  ) {}

  public withConfiguration(configuration: Record<string, unknown>): IntegrationDriver {
    return new IntegrationDriver(this.url, { ...this.installation, configuration })
  }

  public async callAction(type: string, input: unknown): Promise<ActionResult> {
    const answer = await callOperation(this.url, 'action_triggered', this.installation, { type, input })
    const body = JSON.parse(answer.body)
    return answer.status === 200
      ? { status: answer.status, output: body.output }
      : { status: answer.status, error: body }
  }

  public register(webhookUrl: string): Promise<HttpAnswer> {
    return callOperation(this.url, 'register', this.installation, { webhookUrl })
  }

  public unregister(webhookUrl: string): Promise<HttpAnswer> {
    return callOperation(this.url, 'unregister', this.installation, { webhookUrl })
  }

  /** Hands an incoming HTTP request to the integration, as Botpress Cloud does with requests to the webhook URL. */
  public webhook(req: {
    method: string
    path?: string
    query?: string
    headers: Record<string, unknown>
    body?: string
  }): Promise<HttpAnswer> {
    return callOperation(this.url, 'webhook_received', this.installation, {
      req: { path: '', query: '', ...req },
    })
  }
}

/*
 * How Botpress Cloud calls a bot (sdk bot/server/context.ts): a POST with the bot id, the operation, its subtype
 * (`x-bp-type`: the event type, e.g. `message_created` or `chatbase:leadSubmitted`) and the bot's own configuration,
 * base64 JSON. All four are required: an empty configuration header makes the bot answer 500.
 */
export type BotInstallation = { botId: string; configuration: Record<string, unknown> }

export type BotEvent = {
  id: string
  createdAt: string
  type: string
  payload: Record<string, unknown>
  conversationId?: string
  userId?: string
  messageId?: string
  status: 'pending'
  failureReason: null
}

/** Plays Botpress Cloud's side of the protocol against a served bot. */
export class BotDriver {
  public constructor(
    public readonly url: string,
    public readonly installation: BotInstallation
  ) {}

  public async eventReceived(event: BotEvent): Promise<HttpAnswer> {
    return postJson(
      this.url,
      {
        'content-type': 'application/json',
        'x-bot-id': this.installation.botId,
        'x-bp-operation': 'event_received',
        'x-bp-type': event.type,
        'x-bp-configuration': Buffer.from(JSON.stringify(this.installation.configuration)).toString('base64'),
      },
      JSON.stringify({ event })
    )
  }
}
