import { createHash } from 'node:crypto'
import { keepNewest } from '../kept'

/*
 * Which API keys Chatbase refused API v2 for their plan, as this instance saw: their next cards and lead look-ups
 * go to v1 directly instead of paying a refused request each. Apart from the choice of API, so that the webhook can
 * read it at start-up without loading Chatbase's error handling.
 */

// A plan is checked again after this long: a workspace may upgrade.
const PLAN_MEMORY_MS = 10 * 60 * 1000
const MAX_REMEMBERED_KEYS = 64
/** Keys seen refused v2 for their plan, by digest (never the key), and when: saves a refused request per card. */
const keysWithoutV2 = new Map<string, number>()

const digestOf = (apiKey: string): string => createHash('sha256').update(apiKey).digest('base64url')

export const isKnownWithoutV2 = (apiKey: string): boolean => {
  const at = keysWithoutV2.get(digestOf(apiKey))
  return at !== undefined && Date.now() - at < PLAN_MEMORY_MS
}

export const rememberWithoutV2 = (apiKey: string): void => {
  keepNewest(keysWithoutV2, digestOf(apiKey), Date.now(), MAX_REMEMBERED_KEYS)
}
