import { createParser } from 'eventsource-parser'
import { isRecord } from '../../json'

/*
 * Chatbase v2 streams chat answers by default (Vercel AI SDK UI message stream). The integration asks for JSON
 * (`stream: false`), but reads a streamed answer too, in every variant Chatbase's sources describe: the start event
 * as `start` or `message-start`, and its metadata in `finish.messageMetadata`, in a `message-metadata` event, or in
 * `finish.metadata`. The result has the JSON answer's shape, so one schema reads both.
 */

type StreamEvent = Record<string, unknown> & { type?: unknown }

/** Whether an answer is an event stream: by its type, or by its first line when the type is missing or wrong. */
export const isEventStream = (contentType: string | undefined, body: string): boolean =>
  (contentType ?? '').toLowerCase().includes('text/event-stream') || /^\s*(data|event|id|retry):/.test(body)

const textOfError = (event: StreamEvent): string => {
  const { errorText, error, message } = event
  if (typeof errorText === 'string') return errorText
  if (isRecord(error) && typeof error.message === 'string') return error.message
  if (typeof error === 'string') return error
  return typeof message === 'string' ? message : 'no reason given'
}

export type DecodedStream = { answer: { data: Record<string, unknown> } } | { streamError: string }

/** The streamed answer as Chatbase's JSON answer would carry it (`{ data: ChatResponse }`), or the error it reported. */
export const decodeChatStream = (body: string): DecodedStream => {
  const events: StreamEvent[] = []
  const parser = createParser({
    onEvent: ({ event, data }) => {
      if (data.trim() === '[DONE]') return
      try {
        const parsed: unknown = JSON.parse(data)
        // The JSON's `type` names the event; the SSE `event:` field is the fallback.
        if (isRecord(parsed)) events.push({ ...parsed, type: parsed.type ?? event })
      } catch {
        // A line that is not JSON carries nothing the answer needs.
      }
    },
  })
  parser.feed(body)
  parser.feed('\n\n')

  let id: unknown
  const metadata: Record<string, unknown> = {}
  const texts = new Map<string, string>()
  const toolCalls = new Map<string, Record<string, unknown>>()
  let finishReason: unknown
  for (const event of events) {
    switch (event.type) {
      case 'start':
      case 'message-start':
        id ??= event.messageId
        if (isRecord(event.messageMetadata)) Object.assign(metadata, event.messageMetadata)
        break
      case 'text-delta': {
        const key = typeof event.id === 'string' ? event.id : ''
        texts.set(key, (texts.get(key) ?? '') + (typeof event.delta === 'string' ? event.delta : ''))
        break
      }
      case 'tool-input-start':
      case 'tool-input-available':
        if (typeof event.toolCallId === 'string') {
          const known = toolCalls.get(event.toolCallId) ?? { type: 'tool-call', toolCallId: event.toolCallId }
          toolCalls.set(event.toolCallId, {
            ...known,
            ...(event.toolName !== undefined && { toolName: event.toolName }),
            ...('input' in event && { input: event.input }),
          })
        }
        break
      case 'message-metadata':
        Object.assign(metadata, isRecord(event.messageMetadata) ? event.messageMetadata : event)
        break
      case 'finish':
        finishReason = event.finishReason
        if (isRecord(event.metadata)) Object.assign(metadata, event.metadata)
        if (isRecord(event.messageMetadata)) Object.assign(metadata, event.messageMetadata)
        break
      case 'error':
        return { streamError: textOfError(event) }
    }
  }
  delete metadata.type
  const parts = [...[...texts.values()].map((text) => ({ type: 'text', text })), ...[...toolCalls.values()]]
  return {
    answer: {
      data: {
        id: id ?? metadata.messageId,
        role: 'assistant',
        parts,
        metadata: { ...metadata, finishReason: metadata.finishReason ?? finishReason },
      },
    },
  }
}
