import { configurationSchema } from '../../src/definitions/configuration'
import {
  IntegrationDriver,
  operationHeaders,
  type ActionResult,
  type HttpAnswer,
  type Installation,
} from './botpress-protocol'

/*
 * Secrets must never come back out of the integration: not in a log line, an error message, an action's output, a
 * webhook answer, nor anything it sends to Botpress. The harness gives every scenario recognisable secrets, shows
 * everything that comes out to a LeakCheck, and fails the file when one of them shows up. No vitest import here:
 * the soak script uses it too.
 */

/** The API key every end-to-end scenario runs with, unless it sets another (which is then watched too). */
export const CANARY_API_KEY = 'sk_canary_7Qx2_api_key_must_not_leak'

type JsonSchema = { properties?: Record<string, { 'x-zui'?: { secret?: boolean } }> }

/** The configuration fields marked `.secret()` in the definition, so a new secret field is watched at once. */
export const SECRET_FIELDS = Object.entries((configurationSchema.toJSONSchema() as JsonSchema).properties ?? {})
  .filter(([, property]) => property['x-zui']?.secret)
  .map(([name]) => name)

const MAX_SHOWN = 300

export class LeakCheck {
  /** Secret value → what it is, for reports that name the secret without showing it. */
  private readonly secrets = new Map<string, string>()
  private readonly outputs: { where: string; text: string }[] = []
  private checked = 0

  /** Watches the secrets of a configuration sent to the integration, and the header that carries them (base64). */
  public watch(installation: Installation): void {
    for (const field of SECRET_FIELDS) {
      const value = installation.configuration[field]
      if (typeof value === 'string' && value !== '') {
        this.secrets.set(value, field)
      }
    }
    this.secrets.set(operationHeaders('ping', installation)['x-bp-configuration'], 'the x-bp-configuration header')
  }

  public record(where: string, text: string): void {
    this.outputs.push({ where, text })
  }

  /**
   * One line per output recorded since the last call that holds a secret, with every secret masked so that the
   * report leaks nothing either.
   */
  public newLeaks(): string[] {
    const fresh = this.outputs.slice(this.checked)
    this.checked = this.outputs.length
    return fresh.flatMap(({ where, text }) => {
      const found = [...this.secrets].filter(([value]) => text.includes(value)).map(([, name]) => name)
      return found.length > 0 ? [`${found.join(', ')} in ${where}: ${this.mask(text).slice(0, MAX_SHOWN)}`] : []
    })
  }

  private mask(text: string): string {
    return [...this.secrets].reduce((masked, [value, name]) => masked.split(value).join(`<${name}>`), text)
  }
}

/** An IntegrationDriver whose configurations are watched and whose answers from the integration are recorded. */
export class CheckedDriver extends IntegrationDriver {
  public constructor(
    url: string,
    installation: Installation,
    private readonly check: LeakCheck
  ) {
    super(url, installation)
    check.watch(installation)
  }

  public override withConfiguration(configuration: Record<string, unknown>): CheckedDriver {
    return new CheckedDriver(this.url, { ...this.installation, configuration }, this.check)
  }

  public override async callAction(type: string, input: unknown): Promise<ActionResult> {
    return this.recorded(`the answer to ${type}`, await super.callAction(type, input))
  }

  public override async register(webhookUrl: string): Promise<HttpAnswer> {
    return this.recorded('the answer to register', await super.register(webhookUrl))
  }

  public override async unregister(webhookUrl: string): Promise<HttpAnswer> {
    return this.recorded('the answer to unregister', await super.unregister(webhookUrl))
  }

  public override async webhook(req: Parameters<IntegrationDriver['webhook']>[0]): Promise<HttpAnswer> {
    return this.recorded('a webhook answer', await super.webhook(req))
  }

  private recorded<T>(where: string, answer: T): T {
    this.check.record(where, JSON.stringify(answer))
    return answer
  }
}
