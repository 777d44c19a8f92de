// The custom attributes of a chatbot's contacts: list, create and update them (there is no delete endpoint).
import type { Answer, Context, Route } from './server'
import { ATTRIBUTE_TYPES, type CustomAttributeType, type Slot, type Store } from './store'
import { check, invalid, notFound, parseJsonObject, type Issue } from './validation'

type StoredCustomAttribute = {
  name: string
  type: CustomAttributeType
  label: string
  description?: string // left out when none was given (the docs mark it optional)
  archived: boolean
}

// An attribute as a test adds it with addCustomAttribute
export type NewCustomAttribute = { name: string; type: CustomAttributeType; archived?: boolean; label?: string }

const ATTRIBUTE_NAME = /^[a-z][a-z0-9_]*$/
// "Reserved field name used" is a documented 400 but the docs list no names: we reserve the contact object's own fields
const RESERVED_ATTRIBUTE_NAMES = new Set([
  'id',
  'external_id',
  'name',
  'email',
  'phonenumber',
  'stripe_accounts',
  'custom_attributes',
  'created_at',
  'updated_at',
])

export class CustomAttributesArea {
  readonly definitions: Slot<Map<string, StoredCustomAttribute>> // by name, in creation order
  readonly routes: Route[] = [
    { method: 'GET', path: '/chatbots/:chatbotId/custom-attributes', handle: (context) => this.list(context) },
    { method: 'POST', path: '/chatbots/:chatbotId/custom-attributes', handle: (context) => this.create(context) },
    { method: 'PUT', path: '/chatbots/:chatbotId/custom-attributes/:name', handle: (context) => this.update(context) },
  ]

  constructor(store: Store) {
    this.definitions = store.slot(() => new Map())
  }

  add(chatbotId: string, { name, type, archived = false, label }: NewCustomAttribute): void {
    const attributes = this.definitions.configured(chatbotId)
    if (!ATTRIBUTE_NAME.test(name)) {
      throw new Error(
        `Custom attribute "${name}": use lower-case letters, digits and underscores, starting with a letter`
      )
    }
    if (RESERVED_ATTRIBUTE_NAMES.has(name)) throw new Error(`Custom attribute "${name}": the name is reserved`)
    const existing = attributes.get(name)
    if (existing && existing.type !== type) {
      throw new Error(`Custom attribute "${name}" is ${existing.type}; types never change`)
    }
    // adding an existing name again updates it in place (the label only when given)
    const stored: StoredCustomAttribute = existing ?? { name, type, label: label ?? name, archived }
    if (label !== undefined) stored.label = label
    stored.archived = archived
    attributes.set(name, stored)
  }

  private list({ params }: Context): Answer {
    const attributes = this.definitions.known(params.chatbotId as string)
    return { status: 200, json: { message: 'Success', data: [...attributes.values()].map(attributeJson) } }
  }

  private create({ params, body }: Context): Answer {
    const attributes = this.definitions.known(params.chatbotId as string)
    const input = parseJsonObject(body)
    const issues: Issue[] = []
    const { name, type, label, description } = input
    if (check(issues, 'name', name, 'string', true)) {
      if (!ATTRIBUTE_NAME.test(name as string)) {
        issues.push({
          field: 'name',
          message: 'Invalid field name format: only lowercase letters, numbers and underscores, starting with a letter',
        })
      } else if (RESERVED_ATTRIBUTE_NAMES.has(name as string)) {
        issues.push({ field: 'name', message: `Reserved field name used: "${name as string}"` })
      } else if (attributes.has(name as string)) {
        // "Must be unique within the chatbot": 400 is the only documented client error of this page
        issues.push({ field: 'name', message: `Custom attribute "${name as string}" already exists` })
      }
    }
    if (type === undefined) issues.push({ field: 'type', message: 'Required' })
    else if (!(ATTRIBUTE_TYPES as readonly unknown[]).includes(type)) {
      issues.push({ field: 'type', message: `Invalid type. Must be one of: ${ATTRIBUTE_TYPES.join(', ')}` })
    }
    check(issues, 'label', label, 'string', true)
    check(issues, 'description', description, 'string')
    if (issues.length > 0) throw invalid('Invalid request body', issues)

    const stored: StoredCustomAttribute = {
      name: name as string,
      type: type as CustomAttributeType,
      label: label as string,
      archived: false,
    }
    if (description !== undefined) stored.description = description as string
    attributes.set(stored.name, stored)
    return { status: 200, json: { message: 'Success', data: attributeJson(stored) } }
  }

  // name and type never change: like any undocumented field they are stripped from the body
  private update({ params, body }: Context): Answer {
    const attributes = this.definitions.known(params.chatbotId as string)
    const attribute = attributes.get(params.name as string)
    if (!attribute) throw notFound('Custom attribute not found')
    const input = parseJsonObject(body)
    const issues: Issue[] = []
    check(issues, 'label', input.label, 'string')
    check(issues, 'description', input.description, 'string')
    check(issues, 'archived', input.archived, 'boolean')
    if (issues.length > 0) throw invalid('Invalid request body', issues)

    if (input.label !== undefined) attribute.label = input.label as string
    if (input.description !== undefined) attribute.description = input.description as string
    // archived is documented with "Default: false", so a body without it un-archives the attribute
    attribute.archived = (input.archived as boolean | undefined) ?? false
    return { status: 200, json: { message: 'Success', data: attributeJson(attribute) } }
  }
}

// The documented key order: name, type, label, description, archived
function attributeJson({ name, type, label, description, archived }: StoredCustomAttribute): StoredCustomAttribute {
  return description === undefined ? { name, type, label, archived } : { name, type, label, description, archived }
}
