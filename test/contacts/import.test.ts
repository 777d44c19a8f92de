import { beforeEach, describe, expect, it } from 'vitest'
import { CHATBOT_ID, useHarness } from '../support/harness'

const h = useHarness()

beforeEach(() => {
  h.chatbase.addCustomAttribute(CHATBOT_ID, { name: 'age', type: 'number' })
})

const contactsToImport = (count: number) =>
  Array.from({ length: count }, (_, index) => ({
    externalId: `import-${index}`,
    email: `person${index}@example.com`,
    name: `Person ${index}`,
  }))

type ImportOutput = {
  created: { index: number; externalId: string; id: string; alreadyExisted: boolean }[]
  failed: { index: number; externalId: string; reason: string }[]
  createdCount: number
  failedCount: number
}

const runImport = async (contacts: unknown[], extra: Record<string, unknown> = {}) => {
  const result = await h.driver.callAction('createContacts', { contacts, ...extra })
  expect(result.status).toBe(200)
  return result.output as ImportOutput
}

/** Every input index appears exactly once, in created or in failed. */
const expectAllAccountedFor = (output: ImportOutput, count: number) => {
  const indexes = [...output.created, ...output.failed].map((entry) => entry.index).sort((a, b) => a - b)
  expect(indexes).toEqual(Array.from({ length: count }, (_, index) => index))
  expect(output.createdCount + output.failedCount).toBe(count)
}

const contactPosts = () =>
  h.chatbase.requests.filter((request) => request.method === 'POST' && request.path.endsWith('/contacts'))

describe('createContacts (bulk import)', () => {
  it('imports 2,500 contacts in requests of at most 1000, with bounded concurrency', async () => {
    const output = await runImport(contactsToImport(2_500), { concurrency: 2 })

    expect(output.createdCount).toBe(2_500)
    expect(output.failed).toEqual([])
    expectAllAccountedFor(output, 2_500)
    expect(contactPosts().map((request) => JSON.parse(request.body).users.length)).toEqual([1_000, 1_000, 500])
    expect(h.chatbase.stats.maxInFlight).toBeLessThanOrEqual(2)
    expect(h.chatbase.contacts(CHATBOT_ID)).toHaveLength(2_500)
    expect(output.created[1_234]).toMatchObject({ index: 1_234, externalId: 'import-1234', alreadyExisted: false })
  })

  it('accounts for every contact when some fail, with Chatbase reasons, and creates the rest', async () => {
    await h.driver.callAction('createContact', { externalId: 'someone-else', email: 'person10@example.com' })
    await h.driver.callAction('createContact', { externalId: 'another-one', email: 'person2000@example.com' })
    const contacts: Record<string, unknown>[] = contactsToImport(2_500)
    contacts[42] = { ...contacts[42], customAttributes: { age: 'forty-two' } }
    contacts[1_500] = { ...contacts[1_500], email: 'person7@example.com' }

    const output = await runImport(contacts)

    expectAllAccountedFor(output, 2_500)
    expect(output.failed.map((failure) => failure.index)).toEqual([10, 42, 1_500, 2_000])
    expect(output.failed.find((failure) => failure.index === 10)?.reason).toMatch(
      /Email already exists.*contact .* has this email/
    )
    expect(output.failed.find((failure) => failure.index === 42)?.reason).toContain('customAttributes.age')
    expect(output.failed.find((failure) => failure.index === 1_500)?.reason).toBe(
      'Email already used by contact 7 of this import.'
    )
    expect(output.createdCount).toBe(2_496)
    expect(h.chatbase.contacts(CHATBOT_ID)).toHaveLength(2_498)
  })

  it('recognises contacts of an earlier run of the same import instead of failing or doubling them', async () => {
    const contacts = contactsToImport(1_200)
    await runImport(contacts.slice(0, 700))
    h.chatbase.requests.length = 0

    const output = await runImport(contacts)

    expectAllAccountedFor(output, 1_200)
    expect(output.failed).toEqual([])
    expect(output.created.filter((entry) => entry.alreadyExisted)).toHaveLength(700)
    expect(h.chatbase.contacts(CHATBOT_ID)).toHaveLength(1_200)
    expect(contactPosts().length).toBeLessThanOrEqual(4)
  })

  it('checks every contact before sending anything, naming its position', async () => {
    const result = await h.driver.callAction('createContacts', {
      contacts: [
        { externalId: 'ok' },
        { externalId: 'x', email: 'nope' },
        { externalId: 'y', stripeAccounts: [{ label: 'Main' }] },
      ],
    })

    expect(result.error?.message).toContain('contacts.1.email: Invalid email')
    expect(h.chatbase.requests).toHaveLength(0)
  })

  it('fails with the reason when nothing could be imported at all', async () => {
    const wrongKey = h.driver.withConfiguration({ ...h.configuration, apiKey: 'sk_wrong' })
    const result = await wrongKey.callAction('createContacts', { contacts: contactsToImport(1_500), concurrency: 1 })

    expect(result.status).toBe(400)
    expect(result.error?.message).toContain('Chatbase rejected the API key (401')
    expect(contactPosts()).toHaveLength(1)
  })

  const contactsPage = (contacts: unknown[], total: number, totalPages: number) =>
    JSON.stringify({
      message: 'Success',
      data: contacts,
      total,
      pages: { page: 1, per_page: 1000, total_pages: totalPages },
    })
  const contactReads = () =>
    h.chatbase.requests.filter((request) => request.method === 'GET' && request.path.endsWith('/contacts'))

  it('stops looking up a taken email at an empty page, whatever the page count says', async () => {
    await h.driver.callAction('createContact', { externalId: 'owner', email: 'taken@example.com' })
    h.chatbase.requests.length = 0
    h.chatbase.injectFault({
      method: 'GET',
      path: /\/contacts$/,
      status: 200,
      body: contactsPage([], 5_000, 99),
      times: 100,
    })
    const result = await h.driver.callAction('createContact', { externalId: 'newcomer', email: 'taken@example.com' })

    expect(result.error?.message).toMatch(/409.*Email already exists/)
    expect(contactReads()).toHaveLength(1)
  })

  it('reads no more pages than the total calls for plus one to reconcile, and then sends nothing again', async () => {
    const someone = { id: 'c-other', external_id: 'someone', email: null }
    h.chatbase.injectFault({ method: 'POST', path: /\/contacts$/, status: 502 })
    h.chatbase.injectFault({
      method: 'GET',
      path: /\/contacts$/,
      status: 200,
      body: contactsPage([someone], 1_500, 99),
      times: 100,
    })
    const output = await runImport([{ externalId: 'unsure' }])

    expect(output.failed).toEqual([
      {
        index: 0,
        externalId: 'unsure',
        reason: expect.stringMatching(
          /^Chatbase did not confirm whether the contact was created \(.*502.*; its list of contacts kept going past the 3 read\)/
        ),
      },
    ])
    expect(contactReads()).toHaveLength(3)
    expect(contactPosts()).toHaveLength(1)
  })
})
