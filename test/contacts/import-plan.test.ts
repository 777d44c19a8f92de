import { describe, expect, it } from 'vitest'
import { matchCreated, planBatches, settleTakenEmails, type Entry } from '../../src/actions/contact-import'
import type { ContactWire } from '../../src/chatbase/v1/wire'
import { MAX_CONTACTS_PER_REQUEST } from '../../src/definitions/actions/contacts'

/* The bulk import's plan, without requests: batching, repeated emails, and which Chatbase contact is whose. */

const entry = (index: number, externalId: string, email?: string): Entry => ({
  index,
  contact: { externalId, ...(email && { email }) },
})

const chatbaseContact = (id: string, externalId: string, email: string | null = null): ContactWire => ({
  id,
  external_id: externalId,
  email,
})

describe('planBatches', () => {
  it(`sends at most ${MAX_CONTACTS_PER_REQUEST} contacts a request, in input order, each with its input index`, () => {
    const contacts = Array.from({ length: 2 * MAX_CONTACTS_PER_REQUEST + 1 }, (_, index) => ({
      externalId: `u${index}`,
    }))
    const { batches, repeatedEmails } = planBatches(contacts)

    expect(batches.map((batch) => batch.length)).toEqual([MAX_CONTACTS_PER_REQUEST, MAX_CONTACTS_PER_REQUEST, 1])
    expect(batches.flat().map((planned) => planned.index)).toEqual(contacts.map((_, index) => index))
    expect(repeatedEmails).toEqual([])
  })

  it('sets apart a contact whose email an earlier contact of the input has, naming the first one', () => {
    const { batches, repeatedEmails } = planBatches([
      { externalId: 'a', email: 'same@example.com' },
      { externalId: 'b' },
      { externalId: 'c', email: 'same@example.com' },
      { externalId: 'd', email: 'other@example.com' },
    ])

    expect(batches.flat().map((planned) => planned.contact.externalId)).toEqual(['a', 'b', 'd'])
    expect(repeatedEmails).toEqual([{ entry: entry(2, 'c', 'same@example.com'), firstIndex: 0 }])
  })

  it('plans nothing for no contacts', () => {
    expect(planBatches([])).toEqual({ batches: [], repeatedEmails: [] })
  })
})

describe('matchCreated', () => {
  it('matches by external id and email, and leaves an entry whose email differs unmatched', () => {
    const batch = [entry(0, 'a', 'a@example.com'), entry(1, 'b', 'b@example.com'), entry(2, 'c')]
    const { matched, missing } = matchCreated(
      batch,
      [
        chatbaseContact('1', 'a', 'a@example.com'),
        chatbaseContact('2', 'b', 'someone@example.com'),
        chatbaseContact('3', 'c'),
      ],
      new Set()
    )

    expect(matched.map(([planned, contact]) => [planned.index, contact.id])).toEqual([
      [0, '1'],
      [2, '3'],
    ])
    expect(missing).toEqual([batch[1]])
  })

  it('takes each Chatbase contact once, in order, for entries with the same identity', () => {
    const batch = [entry(0, 'twin'), entry(1, 'twin'), entry(2, 'twin')]
    const { matched, missing } = matchCreated(
      batch,
      [chatbaseContact('1', 'twin'), chatbaseContact('2', 'twin')],
      new Set()
    )

    expect(matched.map(([planned, contact]) => [planned.index, contact.id])).toEqual([
      [0, '1'],
      [1, '2'],
    ])
    expect(missing).toEqual([batch[2]])
  })

  it('skips contacts already taken by earlier entries of the import', () => {
    const { matched, missing } = matchCreated([entry(5, 'a')], [chatbaseContact('1', 'a')], new Set(['1']))

    expect(matched).toEqual([])
    expect(missing).toEqual([entry(5, 'a')])
  })
})

describe('settleTakenEmails', () => {
  it('counts the same contact as an echo, another contact with the email as a conflict, and keeps the rest', () => {
    const echo = entry(0, 'a', 'a@example.com')
    const conflict = entry(1, 'b', 'taken@example.com')
    const free = entry(2, 'c', 'c@example.com')
    const withoutEmail = entry(3, 'd')
    const existing = [
      chatbaseContact('1', 'a', 'a@example.com'),
      chatbaseContact('2', 'someone-else', 'taken@example.com'),
      chatbaseContact('3', 'd'),
    ]

    expect(settleTakenEmails([echo, conflict, free, withoutEmail], existing)).toEqual({
      echoes: [[echo, existing[0]]],
      conflicts: [[conflict, existing[1]]],
      remaining: [free, withoutEmail],
    })
  })
})
