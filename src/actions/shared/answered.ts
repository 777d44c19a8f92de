import type { Configuration } from '../../definitions/configuration'

const normalize = (text: string): string => text.toLowerCase().replace(/\s+/g, ' ').trim()

/**
 * The handled / not-handled signal a flow needs to hand over to a human: a reply that is empty or contains one of the
 * fallback phrases did not answer the user.
 */
export const isAnswered = (reply: string, { fallbackPhrases }: Configuration): boolean => {
  const normalizedReply = normalize(reply)
  return normalizedReply !== '' && !fallbackPhrases.some((phrase) => normalizedReply.includes(normalize(phrase)))
}

/** Whether a reply answered the user, and if not, that it is a fallback: as the card's output says it. */
export const answerVerdict = (reply: string, configuration: Configuration) => {
  const answered = isAnswered(reply, configuration)
  return { answered, ...(!answered && { unansweredReason: 'fallback' as const }) }
}
