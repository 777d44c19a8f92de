import type { z } from '@botpress/sdk'
import type { ChatbaseClient } from '../chatbase/v1/client'
import { ChatbaseError, isLostAnswer } from '../chatbase/errors'
import { toChatbaseContactFields } from '../chatbase/v1/mapping'
import type { ContactWire } from '../chatbase/v1/wire'
import type { ActionOutput } from '../definitions'
import { MAX_CONTACTS_PER_REQUEST, type newContactSchema } from '../definitions/actions/contacts'

type Output = ActionOutput<'createContacts'>
/** An input contact and its position in the input, which every result names. */
export type Entry = { index: number; contact: z.infer<typeof newContactSchema> }
/** The chatbot's contacts, and whether every page of them could be read. */
type ExistingContacts = { contacts: ContactWire[]; complete: boolean }

/*
 * The plan of an import, kept apart from the requests so that it can be checked on its own: which contacts go in
 * which request, which fail before any, and which Chatbase contact stands for which input contact.
 */

/**
 * Requests of at most 1000 contacts, in input order. A second contact with an email already given earlier in the
 * input would make Chatbase refuse its whole request: it is set apart, with the index of the first one.
 */
export const planBatches = (
  contacts: Entry['contact'][]
): { batches: Entry[][]; repeatedEmails: { entry: Entry; firstIndex: number }[] } => {
  const firstWithEmail = new Map<string, number>()
  const entries: Entry[] = []
  const repeatedEmails: { entry: Entry; firstIndex: number }[] = []
  contacts.forEach((contact, index) => {
    const firstIndex = contact.email === undefined ? undefined : firstWithEmail.get(contact.email)
    if (firstIndex !== undefined) {
      repeatedEmails.push({ entry: { index, contact }, firstIndex })
      return
    }
    if (contact.email !== undefined) {
      firstWithEmail.set(contact.email, index)
    }
    entries.push({ index, contact })
  })
  const batches: Entry[][] = []
  for (let start = 0; start < entries.length; start += MAX_CONTACTS_PER_REQUEST) {
    batches.push(entries.slice(start, start + MAX_CONTACTS_PER_REQUEST))
  }
  return { batches, repeatedEmails }
}

/**
 * Which Chatbase contacts are the creations of which entries: the same external id and the same email (or none for
 * none), each contact taken once, in order, and none already taken (`taken`, by id). Chatbase's created_at is never
 * compared with this clock, which may run ahead of Chatbase's.
 */
export const matchCreated = (
  batch: Entry[],
  contacts: ContactWire[],
  taken: ReadonlySet<string>
): { matched: [Entry, ContactWire][]; missing: Entry[] } => {
  const identity = (externalId: string, email: string | null | undefined) => JSON.stringify([externalId, email ?? null])
  const byIdentity = new Map<string, ContactWire[]>()
  for (const contact of contacts.filter((candidate) => !taken.has(candidate.id))) {
    const key = identity(contact.external_id, contact.email)
    byIdentity.set(key, [...(byIdentity.get(key) ?? []), contact])
  }
  const matched: [Entry, ContactWire][] = []
  const missing: Entry[] = []
  for (const entry of batch) {
    const match = byIdentity.get(identity(entry.contact.externalId, entry.contact.email))?.shift()
    if (match) {
      matched.push([entry, match])
    } else {
      missing.push(entry)
    }
  }
  return { matched, missing }
}

/**
 * After a 409, the entries whose email a chatbot contact already has: the same contact (same external id) is the
 * echo of an earlier import or attempt; another contact's email is a conflict. The others remain to be sent.
 */
export const settleTakenEmails = (
  batch: Entry[],
  existing: ContactWire[]
): { echoes: [Entry, ContactWire][]; conflicts: [Entry, ContactWire][]; remaining: Entry[] } => {
  const byEmail = new Map(existing.flatMap((contact) => (contact.email ? [[contact.email, contact] as const] : [])))
  const settled = {
    echoes: [] as [Entry, ContactWire][],
    conflicts: [] as [Entry, ContactWire][],
    remaining: [] as Entry[],
  }
  for (const entry of batch) {
    const owner = entry.contact.email === undefined ? undefined : byEmail.get(entry.contact.email)
    if (!owner) {
      settled.remaining.push(entry)
    } else if (owner.external_id === entry.contact.externalId) {
      settled.echoes.push([entry, owner])
    } else {
      settled.conflicts.push([entry, owner])
    }
  }
  return settled
}

/** Chatbase rejects a whole request for one bad contact with these, so a rejected batch is split to find it. */
const isContactRejection = (error: ChatbaseError) =>
  error.delivery === 'answered' && (error.status === 400 || error.status === 409)

const reasonOf = (error: ChatbaseError) => error.message.replace(/^Could not create [^.]*\. /, '')

/** Bisecting costs requests: past this many extra ones, a rejected batch fails whole, each contact with the reason. */
export const MAX_SPLIT_REQUESTS = 200

/**
 * One bulk import: batches of at most 1000 contacts, a bounded number in flight, and every input contact ends up in
 * `created` or `failed`. Rejected batches are bisected down to the contact Chatbase refuses; batches whose outcome is
 * unknown are reconciled against the chatbot's contacts before anything is sent again.
 */
export class ContactImport {
  private readonly created: Output['created'] = []
  /** The Chatbase contact behind each created entry, by input index. */
  private readonly contacts = new Map<number, ContactWire>()
  private readonly failed: Output['failed'] = []
  /** The first failure that is not about a contact (key, chatbot, deadline): later batches are not sent. */
  private fatal: ChatbaseError | undefined
  private existing: Promise<ExistingContacts> | undefined
  private splitRequestsLeft = MAX_SPLIT_REQUESTS

  public constructor(
    private readonly client: ChatbaseClient,
    private readonly chatbotId: string
  ) {}

  public async run(contacts: Entry['contact'][], concurrency: number): Promise<Output> {
    const { batches, repeatedEmails } = planBatches(contacts)
    for (const { entry, firstIndex } of repeatedEmails) {
      this.fail([entry], `Email already used by contact ${firstIndex} of this import.`)
    }
    const worker = async () => {
      for (let batch = batches.shift(); batch; batch = batches.shift()) {
        await this.send(batch, true)
      }
    }
    await Promise.all(Array.from({ length: Math.min(concurrency, batches.length) }, worker))

    if (this.fatal && this.created.length === 0) {
      throw this.fatal
    }
    const byIndex = (a: { index: number }, b: { index: number }) => a.index - b.index
    return {
      created: this.created.sort(byIndex),
      failed: this.failed.sort(byIndex),
      createdCount: this.created.length,
      failedCount: this.failed.length,
    }
  }

  private async send(batch: Entry[], mayResend: boolean): Promise<void> {
    if (this.fatal) {
      return this.fail(batch, reasonOf(this.fatal))
    }
    try {
      const created = await this.client.createContacts(
        this.chatbotId,
        batch.map((entry) => toChatbaseContactFields(entry.contact))
      )
      this.existing = undefined
      const unconfirmed = this.record(batch, created)
      if (unconfirmed.length > 0) {
        await this.reconcile(unconfirmed, false, 'Chatbase did not return this contact')
      }
    } catch (thrown) {
      if (!(thrown instanceof ChatbaseError)) {
        throw thrown
      }
      if (isContactRejection(thrown)) {
        return this.narrowDown(batch, thrown, mayResend)
      }
      // The request may have created some contacts: look before sending them again, so nothing is created twice.
      if (isLostAnswer(thrown)) {
        return this.reconcile(batch, mayResend, reasonOf(thrown))
      }
      this.fatal ??= thrown
      this.fail(batch, reasonOf(thrown))
    }
  }

  private async narrowDown(batch: Entry[], error: ChatbaseError, mayResend: boolean): Promise<void> {
    const remaining = error.status === 409 ? await this.withoutTakenEmails(batch, error) : batch
    if (remaining.length === 0) {
      return
    }
    if (remaining.length < batch.length) {
      return this.send(remaining, mayResend)
    }
    if (batch.length === 1) {
      return this.fail(batch, reasonOf(error))
    }
    if (this.splitRequestsLeft < 2) {
      return this.fail(batch, `Chatbase refused the request this contact was in: ${reasonOf(error)}`)
    }
    this.splitRequestsLeft -= 2
    const middle = Math.ceil(batch.length / 2)
    await this.send(batch.slice(0, middle), mayResend)
    await this.send(batch.slice(middle), mayResend)
  }

  /** Settles the contacts whose email a chatbot contact already has (settleTakenEmails); returns the others. */
  private async withoutTakenEmails(batch: Entry[], error: ChatbaseError): Promise<Entry[]> {
    let existing: ContactWire[]
    try {
      existing = (await this.existingContacts()).contacts
    } catch {
      return batch
    }
    const { echoes, conflicts, remaining } = settleTakenEmails(batch, existing)
    echoes.forEach(([entry, owner]) => this.succeed(entry, owner, true))
    conflicts.forEach(([entry, owner]) => this.fail([entry], `${reasonOf(error)} (contact ${owner.id} has this email)`))
    return remaining
  }

  /** Finds which contacts of an unknown-outcome batch Chatbase created (matchCreated); sends the others once more. */
  private async reconcile(batch: Entry[], mayResend: boolean, reason: string): Promise<void> {
    this.existing = undefined
    let existing: ExistingContacts
    try {
      existing = await this.existingContacts()
    } catch (thrown) {
      const why = thrown instanceof ChatbaseError ? reasonOf(thrown) : 'unknown error'
      return this.fail(
        batch,
        `Chatbase did not confirm whether the contact was created (${reason}; checking failed: ${why}). List the contacts to check.`
      )
    }
    const missing = this.record(batch, existing.contacts)
    if (missing.length === 0) {
      return
    }
    if (!existing.complete) {
      return this.fail(
        missing,
        `Chatbase did not confirm whether the contact was created (${reason}; its list of contacts kept going past the ${existing.contacts.length} read). List the contacts to check.`
      )
    }
    if (mayResend) {
      return this.send(missing, false)
    }
    this.fail(missing, `Chatbase did not confirm the contact was created (${reason}).`)
  }

  /** Records the entries Chatbase's contacts stand for (matchCreated); returns the entries left unmatched. */
  private record(batch: Entry[], contacts: ContactWire[]): Entry[] {
    const taken = new Set([...this.contacts.values()].map((contact) => contact.id))
    const { matched, missing } = matchCreated(batch, contacts, taken)
    matched.forEach(([entry, contact]) => this.succeed(entry, contact, false))
    return missing
  }

  /** The Chatbase contact an input contact became, once the import has run. */
  public contactAt(index: number): ContactWire | undefined {
    return this.contacts.get(index)
  }

  private succeed(entry: Entry, contact: ContactWire, alreadyExisted: boolean): void {
    this.created.push({ index: entry.index, externalId: entry.contact.externalId, id: contact.id, alreadyExisted })
    this.contacts.set(entry.index, contact)
  }

  private fail(batch: Entry[], reason: string): void {
    for (const entry of batch) {
      this.failed.push({ index: entry.index, externalId: entry.contact.externalId, reason })
    }
  }

  /**
   * Every contact of the chatbot, read once and again only after this import created more. It stops at the last
   * page, at an empty page, and after the pages the first one's total calls for plus one: a list that keeps going
   * past those is not complete, and no contact is sent again on the strength of it.
   */
  private existingContacts(): Promise<ExistingContacts> {
    this.existing ??= (async () => {
      const contacts: ContactWire[] = []
      let pagesToRead = 1
      for (let page = 1; page <= pagesToRead; page += 1) {
        const read = await this.client.listContacts(this.chatbotId, page, MAX_CONTACTS_PER_REQUEST)
        for (const contact of read.contacts) {
          contacts.push(contact)
        }
        if (read.isLastPage || read.contacts.length === 0) {
          return { contacts, complete: true }
        }
        if (page === 1) {
          pagesToRead = Math.ceil(read.total / MAX_CONTACTS_PER_REQUEST) + 1
        }
      }
      return { contacts, complete: false }
    })()
    return this.existing
  }
}
