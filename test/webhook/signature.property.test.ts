import { createHmac } from 'node:crypto'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { isSignedWithAny, isValidSignature, SIGNATURE_HEADER, signatureFrom } from '../../src/webhook/signature'

const hmac = (body: string, secret: string) => createHmac('sha1', secret).update(body, 'utf8').digest('hex')

/** Any text: ASCII, full Unicode (lone surrogates included) and raw bytes, of any length. */
const anyText = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme', maxLength: 50 }))
const hexText = fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEF'), maxLength: 90 })
const caseVariant = (name: string) =>
  fc
    .array(fc.boolean(), { minLength: name.length, maxLength: name.length })
    .map((upper) => [...name].map((char, index) => (upper[index] ? char.toUpperCase() : char)).join(''))

describe('webhook signature, for any input', () => {
  it('accepts a signature exactly when it is the HMAC of the body with one of the secrets, hex in any case', () => {
    fc.assert(
      fc.property(
        anyText,
        fc.oneof(anyText, hexText),
        fc.array(fc.string({ minLength: 1 }), { maxLength: 3 }),
        (body, signature, secrets) => {
          const expected = secrets.some((secret) => signature.toLowerCase() === hmac(body, secret))
          expect(isSignedWithAny(body, signature, secrets)).toBe(expected)
        }
      ),
      { numRuns: 2_000 }
    )
  })

  it('accepts the right signature whatever the body and secret', () => {
    fc.assert(
      fc.property(anyText, fc.string({ minLength: 1 }), fc.boolean(), (body, secret, upper) => {
        const signature = upper ? hmac(body, secret).toUpperCase() : hmac(body, secret)
        expect(isValidSignature(body, signature, secret)).toBe(true)
        expect(isSignedWithAny(body, signature, ['another secret', secret])).toBe(true)
      })
    )
  })

  it('takes the header in any letter case, only when it is given once and as a string', () => {
    const headerValue = fc.oneof(fc.string(), fc.array(fc.string(), { maxLength: 3 }), fc.integer(), fc.constant(null))
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.oneof(caseVariant(SIGNATURE_HEADER), fc.string()), headerValue), { maxLength: 4 }),
        (entries) => {
          const headers = Object.fromEntries(entries)
          const named = Object.entries(headers).filter(([name]) => name.toLowerCase() === SIGNATURE_HEADER)
          const expected = named.length === 1 && typeof named[0]?.[1] === 'string' ? named[0][1] : undefined
          expect(signatureFrom(headers)).toBe(expected)
        }
      ),
      { numRuns: 1_000 }
    )
  })

  it('finds no signature in headers that are not an object', () => {
    for (const headers of [undefined, null, 'x-chatbase-signature', 42]) {
      expect(signatureFrom(headers)).toBeUndefined()
    }
  })
})
