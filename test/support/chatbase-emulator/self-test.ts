// What the emulator's self-tests share: each test file runs its own emulator and talks to it over HTTP.
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest'
import { startChatbaseEmulator, type ChatbaseEmulator, type StoredContact } from './index'

export const CHATBOT = 'emulator-chatbot'
export const CONTACTS = `/chatbots/${CHATBOT}/contacts`

// Response bodies are whatever JSON the emulator sent; the assertions check their shape.
export type Body = any
// events: the JSON payloads of an event stream's data: lines, before its data: [DONE]
export type Reply = { status: number; headers: Headers; text: string; json: Body; events: Body[] }
type RequestOptions = {
  body?: unknown
  rawBody?: string
  form?: FormData // a multipart/form-data body instead
  authorization?: string | null
  query?: Record<string, string>
}

/**
 * Starts an emulator with the default key and chatbot for the test file, hands it to `started`, resets it before
 * each test and closes it after the last. Returns calls to its v1 API (`api`), v2 API (`v2`) and files host
 * (`files`), with the key unless `authorization` says otherwise. A test fails when the v2 traffic it caused broke
 * Chatbase's OpenAPI spec, unless it took the violations with `takeViolations()`.
 */
export function useEmulator(started: (emulator: ChatbaseEmulator) => void) {
  let emulator: ChatbaseEmulator
  let violationsTaken = 0
  beforeAll(async () => {
    emulator = await startChatbaseEmulator()
    started(emulator)
  })
  afterAll(() => emulator.close())
  beforeEach(() => {
    emulator.reset()
    violationsTaken = 0
  })
  afterEach(() => expect(emulator.contractViolations().slice(violationsTaken)).toEqual([]))

  function takeViolations(): string[] {
    const all = emulator.contractViolations()
    const taken = all.slice(violationsTaken)
    violationsTaken = all.length
    return taken
  }

  async function call(base: string, method: string, path: string, options: RequestOptions): Promise<Reply> {
    const url = new URL(base + path)
    for (const [key, value] of Object.entries(options.query ?? {})) url.searchParams.set(key, value)
    const headers: Record<string, string> = options.form ? {} : { 'content-type': 'application/json' }
    const authorization = options.authorization === undefined ? `Bearer ${emulator.apiKey}` : options.authorization
    if (authorization !== null) headers.authorization = authorization
    const body =
      options.form ?? options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body))
    const response = await fetch(url, { method, headers, body })
    const text = await response.text()
    const type = response.headers.get('content-type') ?? ''
    const events = type.startsWith('text/event-stream')
      ? text
          .split('\n')
          .filter((line) => line.startsWith('data: ') && line !== 'data: [DONE]')
          .map((line) => JSON.parse(line.slice(6)))
      : []
    const json = type.startsWith('application/json') ? JSON.parse(text) : undefined
    return { status: response.status, headers: response.headers, text, json, events }
  }

  const api = (method: string, path: string, options: RequestOptions = {}) => call(emulator.url, method, path, options)
  const v2 = (method: string, path: string, options: RequestOptions = {}) => call(emulator.v2Url, method, path, options)
  const files = (method: string, path: string, options: RequestOptions = {}) =>
    call(emulator.filesUrl, method, path, options)

  async function createContacts(users: unknown[]): Promise<StoredContact[]> {
    const reply = await api('POST', CONTACTS, { body: { users } })
    expect(reply.status).toBe(200)
    return reply.json.data.created
  }

  return { api, v2, files, takeViolations, createContacts }
}
