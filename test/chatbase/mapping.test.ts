import { describe, expect, it } from 'vitest'
import {
  fromChatbaseChatbot,
  fromChatbaseContact,
  fromChatbaseConversation,
  fromChatbaseLead,
  toChatbaseContactFields,
  toStudioFieldPath,
} from '../../src/chatbase/v1/mapping'
import { chatbotsResponse, conversationsResponse, leadsResponse } from '../../src/chatbase/v1/wire'

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
    expect(
      fromChatbaseLead(
        { id: 7, chatbot_id: 'bot', created_at: '2025-01-02T03:04:05Z', name: null, email: 'a@b.co' },
        'asked'
      )
    ).toEqual({
      id: '7',
      chatbotId: 'bot',
      createdAt: '2025-01-02T03:04:05Z',
      name: undefined,
      email: 'a@b.co',
      phone: undefined,
    })
  })
})

describe('lists as Chatbase wraps them', () => {
  const lead = { id: 1, chatbot_id: 'bot' }

  it.each([
    ['the docs example', { data: [lead] }],
    ['the docs prose', { collectedCustomers: [lead] }],
    ['the live wrapper', { collectedCustomers: { data: [lead], error: null } }],
    ['a bare array', [lead]],
  ])('reads the leads of %s', (_, body) => {
    expect(leadsResponse.parse(body)).toEqual([lead])
  })

  it('says what is missing, or the error Chatbase reported instead of the list', () => {
    expect(leadsResponse.safeParse({ leads: [] }).error?.issues[0]?.message).toBe(
      'no list under "data" or "collectedCustomers"'
    )
    expect(
      leadsResponse.safeParse({ collectedCustomers: { data: null, error: { message: 'permission denied' } } }).error
        ?.issues[0]?.message
    ).toBe('no list; Chatbase reported an error: permission denied')
  })

  it('takes a lead without a chatbot id, or with nulls, as one of the chatbot asked for', () => {
    const [read] = leadsResponse.parse({ data: [{ id: '9', chatbot_id: null, name: null, extra: true }] })
    expect(fromChatbaseLead(read!, 'asked')).toEqual({
      id: '9',
      chatbotId: 'asked',
      name: undefined,
      email: undefined,
      phone: undefined,
      createdAt: undefined,
    })
  })

  it('keeps conversations with any role, extra fields or no chatbot id', () => {
    const [read] = conversationsResponse.parse({
      data: [
        { id: 'c1', messages: [{ role: 'human_agent', content: 'Hi' }], type: 'chat', score: null, country: 'FR' },
      ],
    })
    expect(fromChatbaseConversation(read!, 'asked')).toEqual({
      id: 'c1',
      chatbotId: 'asked',
      messages: [{ role: 'human_agent', content: 'Hi' }],
      createdAt: undefined,
      customer: undefined,
      source: undefined,
    })
  })
})

describe('chatbot mapping', () => {
  it('reads the documented parameters in camelCase or snake_case and keeps every other one', () => {
    const [snake, camel] = chatbotsResponse.parse({
      chatbots: {
        data: [
          {
            id: 'b1',
            chatbot_name: 'Support',
            created_at: '2025-01-01T00:00:00Z',
            model: 'gpt-4o',
            ip_limit: 20,
            styles: { theme: 'dark' },
          },
          {
            chatbotId: 'b2',
            name: 'Sales',
            createdAt: '2025-02-01',
            visibility: 'public',
            instructions: null,
            temp: 0.2,
          },
        ],
        error: null,
      },
    })
    expect(fromChatbaseChatbot(snake!)).toEqual({
      id: 'b1',
      name: 'Support',
      createdAt: '2025-01-01T00:00:00Z',
      model: 'gpt-4o',
      settings: { ip_limit: 20, styles: { theme: 'dark' } },
    })
    expect(fromChatbaseChatbot(camel!)).toEqual({
      id: 'b2',
      name: 'Sales',
      createdAt: '2025-02-01',
      visibility: 'public',
      settings: { instructions: null, temp: 0.2 },
    })
  })

  it('refuses a chatbot without an id, naming its position', () => {
    const issue = chatbotsResponse.safeParse([{ id: 'b1' }, { name: 'No id' }]).error?.issues[0]
    expect(issue).toMatchObject({ path: [1], message: 'the chatbot has no id (id, chatbotId, chatbot_id)' })
  })
})
