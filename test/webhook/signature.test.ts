import { createHmac } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { isValidSignature } from '../../src/webhook/signature'
import { signWebhookBody } from '../support/chatbase-emulator'

const body = '{"eventType":"leads.submit","chatbotId":"bot","payload":{"conversationId":"c1"}}'
const secret = 'sk_test_signing'
const reference = createHmac('sha1', secret).update(body).digest('hex')

describe('webhook signature', () => {
  it('accepts the right signature, in either hex case', () => {
    expect(isValidSignature(body, reference, secret)).toBe(true)
    expect(isValidSignature(body, reference.toUpperCase(), secret)).toBe(true)
  })

  it('refuses a missing, empty, truncated, lengthened or non-hex signature without throwing', () => {
    for (const signature of [
      undefined,
      '',
      reference.slice(0, 39),
      `${reference}0`,
      `${reference.slice(0, 39)}g`,
      'x'.repeat(40),
    ]) {
      expect(isValidSignature(body, signature, secret)).toBe(false)
    }
  })

  it('refuses a signature made with another key or over another body', () => {
    expect(isValidSignature(body, signWebhookBody(body, 'other-key'), secret)).toBe(false)
    expect(isValidSignature(`${body} `, reference, secret)).toBe(false)
  })

  it('signs the UTF-8 bytes of the body', () => {
    const accented = '{"payload":{"customerName":"Zoë Ümlaut 😀"}}'
    const expected = createHmac('sha1', secret).update(Buffer.from(accented, 'utf8')).digest('hex')
    expect(isValidSignature(accented, expected, secret)).toBe(true)
  })
})
