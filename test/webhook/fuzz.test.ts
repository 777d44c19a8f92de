import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { MAX_WEBHOOK_BODY_BYTES } from '../../src/webhook/handler'
import { signWebhookBody } from '../support/chatbase-emulator'
import { CHATBOT_ID, useHarness } from '../support/harness'

/*
 * Property-based: arbitrary requests handed to the served integration as Botpress relays them. Whatever the method,
 * body, headers (any case, repeated, arrays, not strings) and signature (any length and alphabet), the handler
 * answers (it never throws), emits nothing without a valid signature, and exactly one event for a valid new lead.
 */

const h = useHarness()
const SIGNATURE = 'x-chatbase-signature'
const ANSWERED = [200, 401, 405, 413]

type Body = { text: string; isLead: boolean }

let leads = 0
const leadBody: fc.Arbitrary<Body> = fc
  .record({
    customerName: fc.option(fc.string()),
    customerEmail: fc.option(fc.emailAddress()),
    customerPhone: fc.option(fc.string()),
  })
  .map((customer) => ({
    // A fresh conversation id, so that each generated lead is a new delivery.
    text: JSON.stringify({
      eventType: 'leads.submit',
      chatbotId: CHATBOT_ID,
      payload: { conversationId: `fuzz-${++leads}`, ...customer },
    }),
    isLead: true,
  }))
const otherBody: fc.Arbitrary<Body> = fc
  .oneof(
    fc.string(),
    fc.string({ unit: 'binary' }),
    fc.json(),
    fc.constant(
      JSON.stringify({ eventType: 'leads.submit', chatbotId: CHATBOT_ID, payload: { customerName: 'no conversation' } })
    ),
    fc.constant('x'.repeat(MAX_WEBHOOK_BODY_BYTES + 1))
  )
  .map((text) => ({ text, isLead: false }))

const anyText = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEF'), maxLength: 90 })
)

/** How the signature is made from the body and the right secret. */
const signing = fc.oneof(
  { arbitrary: fc.constant((body: string, secret: string) => signWebhookBody(body, secret)), weight: 5 },
  fc.constant((body: string, secret: string) => signWebhookBody(body, secret).toUpperCase()),
  fc.constant((body: string) => signWebhookBody(body, 'another-secret')),
  fc.constant((body: string, secret: string) => signWebhookBody(`${body} `, secret)),
  fc.nat(39).map((length) => (body: string, secret: string) => signWebhookBody(body, secret).slice(0, length)),
  anyText.map((text) => () => text)
)

const caseVariant = fc
  .array(fc.boolean(), { minLength: SIGNATURE.length, maxLength: SIGNATURE.length })
  .map((upper) => [...SIGNATURE].map((char, index) => (upper[index] ? char.toUpperCase() : char)).join(''))

/** The signature header as it may arrive: any case, as an array, twice under two spellings, or missing. */
const headerShape = fc.oneof(
  { arbitrary: caseVariant.map((name) => (signature: string) => [[name, signature]]), weight: 5 },
  caseVariant.map((name) => (signature: string) => [[name, [signature]]]),
  caseVariant.map((name) => (signature: string) => [[name, [signature, signature]]]),
  fc.tuple(caseVariant, caseVariant, anyText).map(([first, second, other]) => (signature: string) => [
    [first, signature],
    [second === first ? second.toUpperCase() : second, other],
  ]),
  fc.constant(() => [])
)

const method = fc.oneof(
  { arbitrary: fc.constant('POST'), weight: 8 },
  fc.constantFrom('post', 'Post', 'GET', 'PUT', 'DELETE', ''),
  fc.string()
)

describe('the webhook handler, for any request', () => {
  it('answers, never emits without a valid signature, and emits exactly one event for a valid new lead', async () => {
    const secret = h.chatbase.apiKey
    const emitted = new Set<string>()
    await fc.assert(
      fc.asyncProperty(
        method,
        fc.oneof(leadBody, otherBody),
        signing,
        headerShape,
        fc.dictionary(fc.string({ maxLength: 20 }), fc.oneof(fc.string(), fc.array(fc.string(), { maxLength: 2 }))),
        async (verb, body, sign, shape, extraHeaders) => {
          const headers = Object.fromEntries([...Object.entries(extraHeaders), ...shape(sign(body.text, secret))])
          const signatures = Object.entries(headers).filter(([name]) => name.toLowerCase() === SIGNATURE)
          const [only] = signatures
          const validSignature =
            signatures.length === 1 &&
            typeof only?.[1] === 'string' &&
            only[1].toLowerCase() === signWebhookBody(body.text, secret)
          const eventsBefore = h.botpress.events.length

          const answer = await h.driver.webhook({ method: verb, headers, body: body.text })
          const newEvents = h.botpress.events.length - eventsBefore

          expect(ANSWERED).toContain(answer.status)
          expect(() => JSON.parse(answer.body)).not.toThrow()
          if (!validSignature) {
            expect(newEvents).toBe(0)
          }
          const accepted =
            verb.toUpperCase() === 'POST' && Buffer.byteLength(body.text) <= MAX_WEBHOOK_BODY_BYTES && validSignature
          const expectedEvents = accepted && body.isLead && !emitted.has(body.text) ? 1 : 0
          expect(newEvents).toBe(expectedEvents)
          if (expectedEvents === 1) {
            emitted.add(body.text)
          }
        }
      ),
      { numRuns: 300 }
    )
    expect(emitted.size).toBeGreaterThan(10)
    expect(h.integration.logs.filter((line) => line.includes('unexpected error'))).toEqual([])
  })
})
