/*
 * The baseline of figures 3 and 4: the very request the integration sent to Chatbase, recorded by the emulator,
 * sent again straight from the bench. The difference is what the integration adds.
 */
import type { IntegrationDriver } from '../../support/botpress-protocol'
import type { ChatbaseEmulator, RecordedRequest } from '../../support/chatbase-emulator'
import { timed } from './measure'

/** Runs the action once through the integration and returns the request it made to Chatbase. */
export const captureRequest = async (
  chatbase: ChatbaseEmulator,
  driver: IntegrationDriver,
  type: string,
  input: unknown
): Promise<RecordedRequest> => {
  chatbase.requests.length = 0
  const result = await driver.callAction(type, input)
  const request = chatbase.requests.at(-1)
  if (result.status !== 200 || !request) {
    throw new Error(`${type} failed through the integration: ${JSON.stringify(result.error)}`)
  }
  return request
}

/** Sends `request` straight to the emulator; resolves to the milliseconds taken. */
export const replay = (chatbase: ChatbaseEmulator, request: RecordedRequest) => {
  const query = new URLSearchParams(request.query).toString()
  const base = { v1: chatbase.url, v2: chatbase.v2Url, files: chatbase.filesUrl }[request.api ?? 'v1']
  const url = `${base}${request.path}${query ? `?${query}` : ''}`
  const headers = Object.fromEntries(
    ['authorization', 'accept', 'content-type'].flatMap((name) => {
      const value = request.headers[name]
      return typeof value === 'string' ? [[name, value]] : []
    })
  )
  return (): Promise<number> =>
    timed(async () => {
      const response = await fetch(url, { method: request.method, headers, body: request.body || undefined })
      await response.text()
      if (!response.ok) {
        throw new Error(`The direct ${request.method} ${request.path} answered ${response.status}`)
      }
    })
}

/** Times one action through the integration; a failure stops the bench rather than timing an error path. */
export const viaIntegration = (driver: IntegrationDriver, type: string, input: unknown) => (): Promise<number> =>
  timed(async () => {
    const result = await driver.callAction(type, input)
    if (result.status !== 200) {
      throw new Error(`${type} failed through the integration: ${JSON.stringify(result.error)}`)
    }
  })
