import { describe, expect, it } from 'vitest'
import { fromAgent } from '../../src/chatbase/v2/agents'
import { fromExportedConversation, fromFoundConversation } from '../../src/chatbase/v2/conversations'

describe('an exported conversation', () => {
  it('gives times in ISO 8601, joins text parts, and leaves tool parts and nulls out', () => {
    const read = fromExportedConversation(
      {
        id: 'c1',
        title: null,
        createdAt: 1_736_937_000,
        updatedAt: 1_736_937_060,
        userId: null,
        source: 'WhatsApp',
        status: 'ongoing',
        messages: [
          { id: 'm1', role: 'user', parts: [{ type: 'text', text: 'Where is my order?' }], createdAt: 1_736_937_000 },
          {
            id: 'm2',
            role: 'assistant',
            parts: [
              { type: 'tool-call', toolCallId: 't1', toolName: 'lookupOrder' },
              { type: 'text', text: 'It ships today.' },
              { type: 'text', text: 'Anything else?' },
            ],
            feedback: 'positive',
          },
        ],
      },
      'agent-1'
    )

    expect(read).toEqual({
      id: 'c1',
      createdAt: '2025-01-15T10:30:00.000Z',
      updatedAt: '2025-01-15T10:31:00.000Z',
      status: 'ongoing',
      userId: undefined,
      title: undefined,
      source: 'WhatsApp',
      chatbotId: 'agent-1',
      messages: [
        {
          id: 'm1',
          role: 'user',
          content: 'Where is my order?',
          createdAt: '2025-01-15T10:30:00.000Z',
          feedback: undefined,
        },
        {
          id: 'm2',
          role: 'assistant',
          content: 'It ships today.\nAnything else?',
          createdAt: undefined,
          feedback: 'positive',
        },
      ],
    })
  })

  it('is a summary with no messages when export leaves them out', () => {
    expect(fromExportedConversation({ id: 'c2' }, 'a').messages).toEqual([])
  })
})

describe('a found conversation', () => {
  it('turns the highlighted snippet into plain text and lists what matched', () => {
    const found = fromFoundConversation({
      id: 'c1',
      createdAt: 1_736_937_000,
      source: 'Widget or Iframe',
      status: 'ended',
      snippet: {
        speaker: 'user',
        highlights: [
          { value: 'I want a ', isHit: false },
          { value: 'refund', isHit: true },
          { value: ' for my ', isHit: false },
          { value: 'order', isHit: true },
        ],
      },
    })

    expect(found).toMatchObject({
      snippet: 'I want a refund for my order',
      snippetSpeaker: 'user',
      matched: ['refund', 'order'],
      createdAt: '2025-01-15T10:30:00.000Z',
      status: 'ended',
    })
  })

  it('has no snippet when only the title matched', () => {
    const found = fromFoundConversation({ id: 'c1', snippet: null })

    expect(found.snippet).toBeUndefined()
    expect(found.matched).toBeUndefined()
  })
})

describe('an AI agent', () => {
  it('keeps a model Chatbase has not listed, and every other field in settings', () => {
    expect(
      fromAgent({ id: 'a1', name: 'Support', model: 'gpt-9-future', temp: 0.2, status: 'trained', styles: null })
    ).toEqual({
      id: 'a1',
      name: 'Support',
      model: 'gpt-9-future',
      createdAt: undefined,
      visibility: undefined,
      instructions: undefined,
      settings: { temp: 0.2, status: 'trained', styles: null },
    })
  })
})
