/*
 * Values that both the definitions and the code loaded at start-up need. They live apart from the schemas so that
 * importing them builds none: an area's schemas are built when one of its actions first runs.
 */

export const TRANSCRIPT_STATE = 'chatbaseTranscript'
export const DELIVERIES_STATE = 'chatbaseDeliveries'

/** Chatbase takes icons and profile pictures "under 1MB": read as under 1,000,000 bytes, the stricter reading. */
export const IMAGE_UPLOAD_LIMIT_BYTES = 1_000_000

export const megabytes = (bytes: number): string => `${Math.round(bytes / 100_000) / 10} MB`

/** The configuration's "Chatbase API": automatic picks v2 where the plan has it, v1 otherwise. */
export const AUTOMATIC_API = 'automatic'
export const API_CHOICES = [AUTOMATIC_API, 'v2', 'v1'] as const
export type ApiChoice = (typeof API_CHOICES)[number]

/** A file source's size: "Max 20 MB", read as under 20,000,000 bytes, the stricter reading (as for images). */
export const FILE_SOURCE_LIMIT_BYTES = 20_000_000

/** The files Chatbase takes as a file source, by extension, with the content type each is sent as. */
export const FILE_SOURCE_TYPES = {
  pdf: 'application/pdf',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  txt: 'text/plain',
} as const

/** The largest page of API v2's conversation export. */
export const EXPORT_PAGE_SIZE = 20
/** The largest page of API v2's conversation search, as Chatbase's CLI gives it (the API's own is not documented). */
export const SEARCH_PAGE_SIZE = 25

/**
 * The text source the chatbot cards manage on API v2 in place of v1's "source text": Create Chatbot adds it, Update
 * Chatbot Data replaces its content. Found again by this name.
 */
export const MANAGED_TEXT_SOURCE_NAME = 'Source Text (Botpress)'
/** API v2's longest text source. */
export const SOURCE_TEXT_MAX_LENGTH = 1_048_576

/** Chatbase v2's end-user id: "1–128 characters, letters, digits, hyphens, underscores, dots". */
export const CHATBASE_USER_ID_PATTERN = /^[a-zA-Z0-9._-]+$/
export const MAX_CHATBASE_USER_ID_LENGTH = 128
