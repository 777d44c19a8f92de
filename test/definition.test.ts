import { describe, expect, it } from 'vitest'
import definition from '../integration.definition'

type JsonSchema = {
  description?: string
  'x-zui'?: { title?: string; secret?: boolean }
  properties?: Record<string, JsonSchema>
  items?: JsonSchema
  required?: string[]
}

/** Every property, at any depth (objects and array items), that lacks a title or a description. */
const untitledFields = (schema: JsonSchema, at: string): string[] => [
  ...Object.entries(schema.properties ?? {}).flatMap(([name, property]) => [
    ...(property['x-zui']?.title && property.description ? [] : [`${at}.${name}`]),
    ...untitledFields(property, `${at}.${name}`),
  ]),
  ...(schema.items ? untitledFields(schema.items, `${at}[]`) : []),
]

const jsonSchema = (schema: { toJSONSchema(): unknown }): JsonSchema => schema.toJSONSchema() as JsonSchema

describe('integration definition', () => {
  it('keeps the public names of the contract', () => {
    expect(definition.name).toBe('chatbase')
    expect(definition.version).toBe('0.1.0')
    // Bot-as-code calls them by name (`chatbase:<name>`): renaming one breaks every bot that uses it.
    expect(Object.keys(definition.actions ?? {})).toEqual([
      'messageChatbot',
      'submitToolResult',
      'rateAnswer',
      'pauseConversation',
      'resumeConversation',
      'createContact',
      'createContacts',
      'updateContact',
      'getContact',
      'listContacts',
      'deleteContact',
      'listCustomAttributes',
      'createCustomAttribute',
      'updateCustomAttribute',
      'getLeads',
      'getConversations',
      'searchConversations',
      'listChatbots',
      'getAgent',
      'createChatbot',
      'cloneAgent',
      'updateChatbotData',
      'updateChatbotSettings',
      'updateAgentStyles',
      'setAutoRetrain',
      'uploadChatbotIcon',
      'uploadChatbotProfilePicture',
      'deleteChatbotIcon',
      'deleteChatbotProfilePicture',
      'deleteChatbot',
      'listSources',
      'getSource',
      'getSourcesSummary',
      'addTextSource',
      'addQnaSource',
      'addLinkSource',
      'addFileSource',
      'updateSource',
      'deleteSource',
      'createTicket',
      'listTickets',
      'searchTickets',
      'getTicket',
      'updateTicket',
      'replyToTicket',
      'listTicketMessages',
      'listTicketStatuses',
      'listHelpdeskTeams',
    ])
    expect(Object.keys(definition.events ?? {})).toEqual(['leadSubmitted'])
    expect(definition.readme).toBe('hub.md')
    expect(definition.icon).toBe('icon.svg')
    expect(definition.attributes?.category).toBeTruthy()
  })

  it('gives every action and event a title and a description', () => {
    const undescribed = [...Object.entries(definition.actions ?? {}), ...Object.entries(definition.events ?? {})]
      .filter(([, item]) => !item.title || !item.description)
      .map(([name]) => name)
    expect(undescribed).toEqual([])
  })

  it('gives every field a title and a description (the bp lint rule)', () => {
    const schemas: [string, JsonSchema][] = [
      ['configuration', jsonSchema(definition.configuration!.schema)],
      ...Object.entries(definition.actions ?? {}).flatMap(([name, action]): [string, JsonSchema][] => [
        [`${name}.input`, jsonSchema(action.input.schema)],
        [`${name}.output`, jsonSchema(action.output.schema)],
      ]),
      ...Object.entries(definition.events ?? {}).map(([name, event]): [string, JsonSchema] => [
        name,
        jsonSchema(event.schema),
      ]),
    ]
    expect(schemas.flatMap(([at, schema]) => untitledFields(schema, at))).toEqual([])
  })

  it('asks for the API key and chatbot id, marks secrets as secret and keeps the webhook secret optional', () => {
    const configuration = jsonSchema(definition.configuration!.schema)
    expect(configuration.required).toEqual(['apiKey', 'chatbotId'])
    expect(configuration.properties?.apiKey?.['x-zui']?.secret).toBe(true)
    expect(configuration.properties?.webhookSecret?.['x-zui']?.secret).toBe(true)
  })
})
