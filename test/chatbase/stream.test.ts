import { describe, expect, it } from 'vitest'
import { decodeChatStream, isEventStream } from '../../src/chatbase/v2/stream'

/* Every variant of v2's streamed chat answer that Chatbase's sources describe reads as the JSON answer would. */

const sse = (...events: (object | string)[]) =>
  events.map((event) => `data: ${typeof event === 'string' ? event : JSON.stringify(event)}\n\n`).join('')

const metadata = { conversationId: 'c-1', userMessageId: 'u-1', userId: null, usage: { credits: 1 } }
const text = [
  { type: 'text-start', id: 't1' },
  { type: 'text-delta', id: 't1', delta: 'Hello' },
  { type: 'text-delta', id: 't1', delta: ' there' },
  { type: 'text-end', id: 't1' },
]

describe('decodeChatStream', () => {
  it.each([
    ['finish.messageMetadata', ['start'], [{ type: 'finish', finishReason: 'stop', messageMetadata: metadata }]],
    [
      'a message-metadata event',
      ['message-start'],
      [
        { type: 'message-metadata', messageMetadata: metadata },
        { type: 'finish', finishReason: 'stop' },
      ],
    ],
    ['finish.metadata', ['start'], [{ type: 'finish', finishReason: 'stop', metadata }]],
  ])('reads the metadata from %s', (_, [start], ending) => {
    const decoded = decodeChatStream(sse({ type: start, messageId: 'm-1' }, ...text, ...ending, '[DONE]'))

    expect(decoded).toEqual({
      answer: {
        data: {
          id: 'm-1',
          role: 'assistant',
          parts: [{ type: 'text', text: 'Hello there' }],
          metadata: { ...metadata, finishReason: 'stop' },
        },
      },
    })
  })

  it('collects the client actions the agent calls', () => {
    const decoded = decodeChatStream(
      sse(
        { type: 'start', messageId: 'm-2' },
        { type: 'tool-input-start', toolCallId: 'call_1', toolName: 'lookupOrder' },
        { type: 'tool-input-delta', toolCallId: 'call_1', inputTextDelta: '{"id"' },
        { type: 'tool-input-available', toolCallId: 'call_1', toolName: 'lookupOrder', input: { id: 42 } },
        { type: 'finish', finishReason: 'tool-calls', messageMetadata: metadata }
      )
    )

    expect(decoded).toMatchObject({
      answer: {
        data: {
          parts: [{ type: 'tool-call', toolCallId: 'call_1', toolName: 'lookupOrder', input: { id: 42 } }],
          metadata: { finishReason: 'tool-calls', conversationId: 'c-1' },
        },
      },
    })
  })

  it('takes the event name from the SSE event field when the JSON has no type', () => {
    const body = `event: finish\ndata: ${JSON.stringify({ finishReason: 'stop', messageMetadata: metadata })}\n\n`

    expect(decodeChatStream(body)).toMatchObject({ answer: { data: { metadata: { conversationId: 'c-1' } } } })
  })

  it.each([
    [{ type: 'error', errorText: 'model overloaded' }, 'model overloaded'],
    [{ type: 'error', error: { message: 'quota' } }, 'quota'],
  ])('reports an error event', (event, reason) => {
    expect(decodeChatStream(sse({ type: 'start' }, event))).toEqual({ streamError: reason })
  })

  it('tells a stream by its type or, without one, by its first line', () => {
    expect(isEventStream('text/event-stream; charset=utf-8', '')).toBe(true)
    expect(isEventStream('application/json', 'data: {}')).toBe(true)
    expect(isEventStream('application/json', '{"data":{}}')).toBe(false)
  })
})
