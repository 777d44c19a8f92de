import type { Configuration } from '../definitions/configuration'
import { DEFAULT_FALLBACK_PHRASES } from '../definitions/constants'

const normalize = (text: string): string => text.toLowerCase().replace(/\s+/g, ' ').trim()

/**
 * The handled / not-handled signal a flow needs to hand over to a human: a reply that is empty or contains one of the
 * fallback phrases did not answer the user.
 */
export const isAnswered = (reply: string, configuration: Configuration): boolean => {
  const normalizedReply = normalize(reply)
  const phrases = configuration.fallbackPhrases ?? DEFAULT_FALLBACK_PHRASES
  return normalizedReply !== '' && !phrases.some((phrase) => normalizedReply.includes(normalize(phrase)))
}
