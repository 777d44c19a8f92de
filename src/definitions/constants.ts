/*
 * Values that both the definitions and the code loaded at start-up need. They live apart from the schemas so that
 * importing them builds none: the schemas are built when an action of their area first runs.
 */

// A bot invocation has 60 s: the default leaves the bot time for its own work around the card.
export const DEFAULT_TIMEOUT_SECONDS = 40
export const MAX_TIMEOUT_SECONDS = 55
// The answer Chatbase's default instructions tell a chatbot to give when its sources do not cover a question.
export const DEFAULT_FALLBACK_PHRASES = ['Hmm, I am not sure.']
export const DEFAULT_MEMORY_MESSAGES = 40
export const MAX_MEMORY_MESSAGES = 200
export const DEFAULT_MEMORY_CHARACTERS = 16_000
// At 3 bytes a character (CJK) and with the JSON around 200 messages, this many stay under a state's 128 KB.
export const MAX_MEMORY_CHARACTERS = 40_000
export const DEFAULT_MEMORY_DAYS = 30
export const MAX_MEMORY_DAYS = 365

export const TRANSCRIPT_STATE = 'chatbaseTranscript'
export const DELIVERIES_STATE = 'chatbaseDeliveries'

/** Ids that go into a request's URL path: "." or ".." or a slash would make it name another endpoint. */
export const PATH_SAFE_ID = /^(?!\.{1,2}$)[^/\\]*$/
export const PATH_SAFE_ID_PROBLEM = 'must not be "." or ".." nor contain "/" or "\\": it goes into the request\'s URL path'

/** Chatbase takes icons and profile pictures "under 1MB": read as under 1,000,000 bytes, the stricter reading. */
export const IMAGE_UPLOAD_LIMIT_BYTES = 1_000_000

export const megabytes = (bytes: number): string => `${Math.round(bytes / 100_000) / 10} MB`
