import { describe, expect, it } from 'vitest'
import { fromChatbaseContact, fromChatbaseLead, toChatbaseContactFields, toStudioFieldPath } from '../../src/chatbase/mapping'

describe('contact mapping', () => {
  it('sends Studio fields under Chatbase names and leaves unset ones out', () => {
    expect(
      toChatbaseContactFields({
        externalId: 'u1',
        phoneNumber: '+1555',
        customAttributes: { plan: 'pro' },
        stripeAccounts: [{ label: 'Main', stripeId: 'cus_1' }],
      })
    ).toEqual({
      external_id: 'u1',
      phonenumber: '+1555',
      custom_attributes: { plan: 'pro' },
      stripe_accounts: [{ label: 'Main', stripe_id: 'cus_1' }],
    })
    expect(toChatbaseContactFields({ name: 'Ada' })).toEqual({ name: 'Ada' })
  })

  it('reads a Chatbase contact into camelCase with ISO dates', () => {
    expect(
      fromChatbaseContact({
        id: 'c1',
        external_id: 'u1',
        name: 'Ada',
        email: null,
        phonenumber: '+1555',
        custom_attributes: { age: 31 },
        stripe_accounts: [{ label: 'Main', stripe_email: 'a@b.co' }],
        created_at: 1571672154,
        updated_at: 1571672155,
      })
    ).toEqual({
      id: 'c1',
      externalId: 'u1',
      name: 'Ada',
      email: undefined,
      phoneNumber: '+1555',
      customAttributes: { age: 31 },
      stripeAccounts: [{ label: 'Main', stripeEmail: 'a@b.co' }],
      createdAt: '2019-10-21T15:35:54.000Z',
      updatedAt: '2019-10-21T15:35:55.000Z',
    })
  })

  it('gives empty collections, not undefined, when Chatbase omits them', () => {
    const contact = fromChatbaseContact({ id: 'c1', external_id: 'u1' })
    expect(contact.customAttributes).toEqual({})
    expect(contact.stripeAccounts).toEqual([])
    expect(contact.createdAt).toBeUndefined()
  })

  it('translates the field paths of Chatbase validation issues', () => {
    expect(toStudioFieldPath('custom_attributes.age')).toBe('customAttributes.age')
    expect(toStudioFieldPath('stripe_accounts.0.stripe_id')).toBe('stripeAccounts.0.stripeId')
    expect(toStudioFieldPath('custom_attributes.phonenumber')).toBe('customAttributes.phoneNumber')
  })
})

describe('lead mapping', () => {
  it('turns numeric ids into strings and missing fields into undefined', () => {
    expect(fromChatbaseLead({ id: 7, chatbot_id: 'bot', created_at: '2025-01-02T03:04:05Z', name: null, email: 'a@b.co' })).toEqual({
      id: '7',
      chatbotId: 'bot',
      createdAt: '2025-01-02T03:04:05Z',
      name: undefined,
      email: 'a@b.co',
      phone: undefined,
    })
  })
})
