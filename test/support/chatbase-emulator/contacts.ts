// A chatbot's contacts: create them in batches, list, get, update and delete them. The values of their custom
// attributes are checked against the chatbot's definitions, which the custom-attributes area keeps.
import { randomUUID } from 'node:crypto'
import type { Answer, Context, Route } from './server'
import type { CustomAttributeType, Slot, Store } from './store'
import {
  ApiError,
  check,
  invalid,
  integerParam,
  kindOf,
  notFound,
  parseJsonObject,
  type Issue,
  type Json,
} from './validation'

type CustomAttributeValue = string | number | boolean | null

type StripeAccount = { label: string; stripe_id?: string; stripe_email?: string }

export type StoredContact = {
  id: string
  external_id: string
  name: string | null
  email: string | null
  phonenumber: string | null
  stripe_accounts: StripeAccount[]
  custom_attributes: Record<string, CustomAttributeValue>
  created_at: number // unix seconds
  updated_at: number // unix seconds
}

// What checking a value needs to know of each of the chatbot's custom attributes, by name
type AttributeRules = ReadonlyMap<string, { type: CustomAttributeType; archived: boolean }>

const MAX_USERS_PER_REQUEST = 1000

// The writable contact fields as a request gives them (absent ones stay untouched)
type ContactFields = {
  name?: string | null // null only on PATCH, where it clears the field
  email?: string | null
  phonenumber?: string | null
  stripe_accounts?: StripeAccount[]
  custom_attributes?: Record<string, CustomAttributeValue>
}

export class ContactsArea {
  private readonly stored: Slot<Map<string, StoredContact>> // by id, in creation order
  readonly routes: Route[] = [
    { method: 'POST', path: '/chatbots/:chatbotId/contacts', handle: (context) => this.create(context) },
    { method: 'GET', path: '/chatbots/:chatbotId/contacts', handle: (context) => this.list(context) },
    { method: 'GET', path: '/chatbots/:chatbotId/contacts/:contactId', handle: (context) => this.get(context) },
    { method: 'PATCH', path: '/chatbots/:chatbotId/contacts/:contactId', handle: (context) => this.update(context) },
    { method: 'DELETE', path: '/chatbots/:chatbotId/contacts/:contactId', handle: (context) => this.delete(context) },
  ]

  constructor(
    private readonly store: Store,
    private readonly attributes: Slot<AttributeRules>
  ) {
    this.stored = store.slot(() => new Map())
  }

  contacts(chatbotId: string): StoredContact[] {
    return structuredClone([...this.stored.configured(chatbotId).values()])
  }

  private create({ params, body }: Context): Answer {
    const contacts = this.stored.known(params.chatbotId as string)
    const attributes = this.attributes.known(params.chatbotId as string)
    const input = parseJsonObject(body)
    const issues: Issue[] = []
    const drafts: (ContactFields & { external_id: string })[] = []
    if (check(issues, 'users', input.users, 'array', true)) {
      const users = input.users as unknown[]
      if (users.length < 1) issues.push({ field: 'users', message: 'Array must contain at least 1 element(s)' })
      if (users.length > MAX_USERS_PER_REQUEST) {
        issues.push({ field: 'users', message: `Array must contain at most ${MAX_USERS_PER_REQUEST} element(s)` })
      }
      users.forEach((user, index) => {
        const prefix = `users.${index}`
        if (!check(issues, prefix, user, 'object', true)) return
        const fields = readContactFields(user as Json, `${prefix}.`, attributes, issues)
        if (check(issues, `${prefix}.external_id`, (user as Json).external_id, 'string', true)) {
          drafts.push({ external_id: (user as Json).external_id as string, ...fields })
        }
      })
    }
    if (issues.length > 0) throw invalid('Invalid request body', issues)

    const emails = drafts.flatMap((draft) => (typeof draft.email === 'string' ? [draft.email] : []))
    if (new Set(emails).size !== emails.length || emails.some((email) => emailOwner(contacts, email))) {
      throw new ApiError(409, { message: 'Email already exists' })
    }
    const now = this.store.unixNow()
    const created = drafts.map((draft): StoredContact => ({
      id: randomUUID(),
      external_id: draft.external_id,
      name: draft.name ?? null,
      email: draft.email ?? null,
      phonenumber: draft.phonenumber ?? null,
      stripe_accounts: draft.stripe_accounts ?? [],
      custom_attributes: draft.custom_attributes ?? {},
      created_at: now,
      updated_at: now,
    }))
    created.forEach((contact) => contacts.set(contact.id, contact))
    return { status: 200, json: { message: 'Success', data: { created } } }
  }

  private list({ params, query }: Context): Answer {
    const contacts = this.stored.known(params.chatbotId as string)
    const issues: Issue[] = []
    const perPage = integerParam(issues, query, 'per_page', 100, 10, 1000)
    const page = integerParam(issues, query, 'page', 1, 1)
    if (issues.length > 0) throw invalid('Invalid request parameters', issues)

    const all = [...contacts.values()]
    const totalPages = Math.ceil(all.length / perPage)
    // With no contacts at all, page 1 is an empty page rather than "out of range" (the docs are silent)
    if (all.length > 0 && page > totalPages) {
      throw invalid('Invalid request parameters', [{ field: 'page', message: 'Page number out of range' }])
    }
    return {
      status: 200,
      json: {
        message: 'Success',
        data: all.slice((page - 1) * perPage, page * perPage),
        total: all.length,
        pages: { page, per_page: perPage, total_pages: totalPages },
      },
    }
  }

  private get({ params }: Context): Answer {
    const contact = this.contact(params)
    return { status: 200, json: { message: 'Success', data: contact } }
  }

  private update({ params, body }: Context): Answer {
    const contacts = this.stored.known(params.chatbotId as string)
    const attributes = this.attributes.known(params.chatbotId as string)
    const contact = this.contact(params)
    const input = parseJsonObject(body)
    const issues: Issue[] = []
    // external_id is not among the documented update fields, so like any unknown field it is stripped
    const fields = check(issues, 'data', input.data, 'object', true)
      ? readContactFields(input.data as Json, 'data.', attributes, issues, { clearable: true })
      : {}
    if (issues.length > 0) throw invalid('Invalid request body', issues)

    const owner = typeof fields.email === 'string' ? emailOwner(contacts, fields.email) : undefined
    if (owner && owner.id !== contact.id) throw new ApiError(409, { message: 'Email already exists' })
    const { custom_attributes: customAttributes, ...plainFields } = fields
    Object.assign(contact, plainFields, {
      custom_attributes: { ...contact.custom_attributes, ...customAttributes },
      updated_at: this.store.unixNow(),
    })
    return { status: 200, json: { message: 'Success', data: contact } }
  }

  private contact(params: Record<string, string>): StoredContact {
    const contact = this.stored.known(params.chatbotId as string).get(params.contactId as string)
    if (!contact) throw notFound('Contact not found')
    return contact
  }

  // 204 without a body; an unknown chatbot is "Chatbot not found", like the other contact routes
  private delete({ params }: Context): Answer {
    const contacts = this.stored.known(params.chatbotId as string)
    contacts.delete(this.contact(params).id)
    return { status: 204, noContent: true }
  }
}

// The documented contact fields of `input`; anything else is silently stripped, as the docs say.
// The docs type the plain fields as strings and are silent on null. On create, null is refused; on update
// (`clearable`), null clears the field: that is a reading of the docs, the only way an API client can empty one.
function readContactFields(
  input: Json,
  prefix: string,
  attributes: AttributeRules,
  issues: Issue[],
  { clearable = false } = {}
): ContactFields {
  const fields: ContactFields = {}
  for (const key of ['name', 'email', 'phonenumber'] as const) {
    if (clearable && input[key] === null) fields[key] = null
    else if (check(issues, prefix + key, input[key], 'string')) fields[key] = input[key] as string
  }
  if (check(issues, `${prefix}stripe_accounts`, input.stripe_accounts, 'array')) {
    fields.stripe_accounts = readStripeAccounts(input.stripe_accounts as unknown[], `${prefix}stripe_accounts`, issues)
  }
  if (check(issues, `${prefix}custom_attributes`, input.custom_attributes, 'object')) {
    fields.custom_attributes = readCustomAttributes(input.custom_attributes as Json, attributes, issues)
  }
  return fields
}

// Each account needs a label and at least one of stripe_id / stripe_email.
function readStripeAccounts(accounts: unknown[], field: string, issues: Issue[]): StripeAccount[] {
  const valid: StripeAccount[] = []
  accounts.forEach((account, index) => {
    const at = `${field}.${index}`
    if (!check(issues, at, account, 'object', true)) return
    const { label, stripe_id: stripeId, stripe_email: stripeEmail } = account as Json
    const hasLabel = check(issues, `${at}.label`, label, 'string', true)
    const hasId = check(issues, `${at}.stripe_id`, stripeId, 'string')
    const hasEmail = check(issues, `${at}.stripe_email`, stripeEmail, 'string')
    if (stripeId === undefined && stripeEmail === undefined) {
      issues.push({ field: at, message: 'Either stripe_id or stripe_email is required' })
    }
    if (!hasLabel || !(hasId || hasEmail)) return
    const stored: StripeAccount = { label: label as string }
    if (hasId) stored.stripe_id = stripeId as string
    if (hasEmail) stored.stripe_email = stripeEmail as string
    valid.push(stored)
  })
  return valid
}

// Unknown names are stripped, archived ones rejected, values checked (and coerced) against the attribute's type.
// Issue fields are `custom_attributes.<name>`, as in the docs' example, also inside a batch of users.
function readCustomAttributes(
  input: Json,
  attributes: AttributeRules,
  issues: Issue[]
): Record<string, CustomAttributeValue> {
  const stored: Record<string, CustomAttributeValue> = {}
  for (const [name, value] of Object.entries(input)) {
    const attribute = attributes.get(name)
    if (!attribute) continue
    const field = `custom_attributes.${name}`
    // Archived attributes "can only be set to null"; null clears any other attribute too (the docs are silent)
    if (value === null) {
      stored[name] = null
      continue
    }
    if (attribute.archived) {
      issues.push({ field, message: `Custom attribute "${name}" is archived` })
      continue
    }
    const coerced = coerceAttribute(attribute.type, value)
    if ('error' in coerced) issues.push({ field, message: coerced.error })
    else stored[name] = coerced.value
  }
  return stored
}

function coerceAttribute(
  type: CustomAttributeType,
  value: unknown
): { value: CustomAttributeValue } | { error: string } {
  switch (type) {
    case 'text':
      return typeof value === 'string' ? { value } : { error: `Expected string, received ${kindOf(value)}` }
    case 'number':
      return typeof value === 'number' ? { value } : { error: `Expected number, received ${kindOf(value)}` }
    case 'boolean':
      // Documented coercions: "true" / "false" and 1 / 0
      if (typeof value === 'boolean') return { value }
      if (value === 'true' || value === 1) return { value: true }
      if (value === 'false' || value === 0) return { value: false }
      return { error: `Expected boolean, received ${kindOf(value)}` }
    case 'date': {
      // Documented: whatever JavaScript's Date accepts (we take strings and numbers); stored as ISO 8601
      const date = typeof value === 'string' || typeof value === 'number' ? new Date(value) : undefined
      return date && !Number.isNaN(date.getTime()) ? { value: date.toISOString() } : { error: 'Invalid date' }
    }
  }
}

function emailOwner(contacts: Map<string, StoredContact>, email: string): StoredContact | undefined {
  return [...contacts.values()].find((contact) => contact.email === email)
}
