import { describe, expect, it } from 'vitest'
import { testInstallation } from './botpress-protocol'
import { CANARY_API_KEY, LeakCheck, SECRET_FIELDS } from './leak-check'

describe('LeakCheck', () => {
  it('watches every configuration field marked secret', () => {
    expect(SECRET_FIELDS).toEqual(expect.arrayContaining(['apiKey', 'webhookSecret', 'previousWebhookSecret']))
    expect(SECRET_FIELDS).not.toContain('chatbotId')
  })

  it('reports an output holding a secret, names the secret and masks it', () => {
    const check = new LeakCheck()
    check.watch(testInstallation({ apiKey: CANARY_API_KEY, chatbotId: 'bot', webhookSecret: 'whsec_canary_1234' }))
    check.record('log line 1', 'all good for chatbot bot')
    check.record('log line 2', `request failed: Authorization: Bearer ${CANARY_API_KEY}`)
    check.record('a webhook answer', '{"secret":"whsec_canary_1234"}')
    const leaks = check.newLeaks()

    expect(leaks).toEqual([
      'apiKey in log line 2: request failed: Authorization: Bearer <apiKey>',
      'webhookSecret in a webhook answer: {"secret":"<webhookSecret>"}',
    ])
    expect(leaks.join('\n')).not.toContain(CANARY_API_KEY)
  })

  it('catches the base64 configuration header, and reports each output once', () => {
    const check = new LeakCheck()
    const installation = testInstallation({ apiKey: CANARY_API_KEY, chatbotId: 'bot' })
    check.watch(installation)
    check.record('log line 1', `headers: ${Buffer.from(JSON.stringify(installation.configuration)).toString('base64')}`)

    expect(check.newLeaks()).toEqual([
      'the x-bp-configuration header in log line 1: headers: <the x-bp-configuration header>',
    ])
    expect(check.newLeaks()).toEqual([])
  })
})
