import { createHmac, timingSafeEqual } from 'node:crypto'

export const SIGNATURE_HEADER = 'x-chatbase-signature'

const HEX_SHA1 = /^[0-9a-f]{40}$/i

/** Chatbase's signature is the hex HMAC-SHA1 of the raw body, keyed with the account's secret key. */
export const isValidSignature = (rawBody: string, signature: string | undefined, secret: string): boolean => {
  // The shape check also guarantees equal lengths, which timingSafeEqual requires.
  if (!signature || !HEX_SHA1.test(signature)) {
    return false
  }
  const expected = createHmac('sha1', secret).update(rawBody, 'utf8').digest()
  return timingSafeEqual(expected, Buffer.from(signature, 'hex'))
}

/** Valid for one of the accepted secrets (the current one and, during a key rotation, the previous one). */
export const isSignedWithAny = (rawBody: string, signature: string | undefined, secrets: string[]): boolean =>
  secrets.some((secret) => isValidSignature(rawBody, signature, secret))

/**
 * The signature header, its name in any letter case. Anything ambiguous is no signature: the header given twice
 * (under two spellings, or as an array), or a value that is not a string.
 */
export const signatureFrom = (headers: unknown): string | undefined => {
  if (typeof headers !== 'object' || headers === null) {
    return undefined
  }
  const values = Object.entries(headers).filter(([name]) => name.toLowerCase() === SIGNATURE_HEADER)
  const [only] = values
  return values.length === 1 && typeof only?.[1] === 'string' ? only[1] : undefined
}
