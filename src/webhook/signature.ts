import { createHmac, timingSafeEqual } from 'node:crypto'

export const SIGNATURE_HEADER = 'x-chatbase-signature'

const HEX_SHA1 = /^[0-9a-f]{40}$/i

/** Chatbase's signature: hex HMAC-SHA1 of the raw body, keyed with the account's secret key. */
export const signBody = (rawBody: string, secret: string): string =>
  createHmac('sha1', secret).update(rawBody, 'utf8').digest('hex')

export const isValidSignature = (rawBody: string, signature: string | undefined, secret: string): boolean => {
  // The shape check also guarantees equal lengths, which timingSafeEqual requires.
  if (!signature || !HEX_SHA1.test(signature)) {
    return false
  }
  const expected = createHmac('sha1', secret).update(rawBody, 'utf8').digest()
  return timingSafeEqual(expected, Buffer.from(signature, 'hex'))
}
