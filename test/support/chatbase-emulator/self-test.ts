// What the emulator's self-tests share: each test file runs its own emulator and talks to it over HTTP.
import { afterAll, beforeAll, beforeEach, expect } from 'vitest'
import { startChatbaseEmulator, type ChatbaseEmulator, type StoredContact } from './index'

export const CHATBOT = 'emulator-chatbot'
export const CONTACTS = `/chatbots/${CHATBOT}/contacts`

// Response bodies are whatever JSON the emulator sent; the assertions check their shape.
export type Body = any
export type Reply = { status: number; headers: Headers; text: string; json: Body }
type RequestOptions = {
  body?: unknown
  rawBody?: string
  authorization?: string | null
  query?: Record<string, string>
}

/**
 * Starts an emulator with the default key and chatbot for the test file, hands it to `started`, resets it before
 * each test and closes it after the last. Returns calls to its API, with the key unless `authorization` says otherwise.
 */
export function useEmulator(started: (emulator: ChatbaseEmulator) => void) {
  let emulator: ChatbaseEmulator
  beforeAll(async () => {
    emulator = await startChatbaseEmulator()
    started(emulator)
  })
  afterAll(() => emulator.close())
  beforeEach(() => emulator.reset())

  async function api(method: string, path: string, options: RequestOptions = {}): Promise<Reply> {
    const url = new URL(emulator.url + path)
    for (const [key, value] of Object.entries(options.query ?? {})) url.searchParams.set(key, value)
    const headers: Record<string, string> = { 'content-type': 'application/json' }
    const authorization = options.authorization === undefined ? `Bearer ${emulator.apiKey}` : options.authorization
    if (authorization !== null) headers.authorization = authorization
    const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body))
    const response = await fetch(url, { method, headers, body })
    const text = await response.text()
    const isJson = response.headers.get('content-type')?.startsWith('application/json') ?? false
    return { status: response.status, headers: response.headers, text, json: isJson ? JSON.parse(text) : undefined }
  }

  async function createContacts(users: unknown[]): Promise<StoredContact[]> {
    const reply = await api('POST', CONTACTS, { body: { users } })
    expect(reply.status).toBe(200)
    return reply.json.data.created
  }

  return { api, createContacts }
}
