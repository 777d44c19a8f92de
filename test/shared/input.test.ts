import { RuntimeError } from '@botpress/sdk'
import { describe, expect, it } from 'vitest'
import { parseInput } from '../../src/actions/shared/input'
import { chatActions } from '../../src/definitions/actions/chat'
import { contactActions } from '../../src/definitions/actions/contacts'
import { leadAndConversationActions as leadActions } from '../../src/definitions/actions/leads-and-conversations'

const errorOf = (run: () => unknown): RuntimeError => {
  try {
    run()
  } catch (thrown) {
    if (thrown instanceof RuntimeError) return thrown
    throw thrown
  }
  throw new Error('expected a RuntimeError')
}

describe('action input parsing', () => {
  it('returns the parsed input when it is valid', () => {
    expect(parseInput(leadActions.getLeads, { startDate: '2025-01-01', size: 20 })).toEqual({
      startDate: '2025-01-01',
      size: 20,
      page: 1,
    })
  })

  it('names every invalid field and the action', () => {
    const error = errorOf(() => parseInput(leadActions.getLeads, { startDate: '01/02/2025', size: 0 }))
    expect(error.message).toMatch(/^Invalid input for Get Leads: /)
    expect(error.message).toContain('startDate: must be a date written YYYY-MM-DD')
    expect(error.message).toContain('size: Number must be greater than or equal to 1')
  })

  it('caps the page size only where the docs do: conversations, not leads', () => {
    expect(parseInput(leadActions.getLeads, { size: 5_000 })).toMatchObject({ size: 5_000 })
    expect(errorOf(() => parseInput(leadActions.getConversations, { size: 101 })).message).toContain(
      'size: Number must be less than or equal to 100'
    )
  })

  it('names a missing required field', () => {
    expect(errorOf(() => parseInput(chatActions.messageChatbot, {})).message).toContain('message: Required')
  })

  it('treats blank Studio fields as not set', () => {
    expect(parseInput(contactActions.createContact, { externalId: 'u1', email: '', name: null })).toEqual({
      externalId: 'u1',
    })
    expect(errorOf(() => parseInput(contactActions.createContact, { externalId: '' })).message).toContain(
      'externalId: Required'
    )
  })

  it('refuses unknown fields instead of dropping them silently', () => {
    const error = errorOf(() => parseInput(contactActions.createContact, { externalId: 'u1', phone: '+1555' }))
    expect(error.message).toContain("Unrecognized key(s) in object: 'phone'")
  })

  it('checks nested fields and names their path', () => {
    const error = errorOf(() =>
      parseInput(chatActions.messageChatbot, {
        message: 'hi',
        history: [{ role: 'bot', content: 'x' }],
        temperature: 2,
      })
    )
    expect(error.message).toContain('history.0.role')
    expect(error.message).toContain('temperature: Number must be less than or equal to 1')
  })

  it('refuses input that is not an object', () => {
    expect(errorOf(() => parseInput(leadActions.getLeads, 'page 2')).message).toContain(
      'input: Expected object, received string'
    )
  })
})
