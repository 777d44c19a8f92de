// Chatbase API v2's contract, from Chatbase's own OpenAPI 3.1 spec (spec/openapi.json of the official Chatbase CLI,
// github.com/Chatbase-co/chatbase-cli, MIT licensed), read where the project's reference material keeps it
// (../shared/reference beside the project, as CI lays it out). The Chatbase emulator checks every v2 and files-host request it receives and every answer it gives against it.
// OpenAPI 3.1 schemas are JSON Schema 2020-12: ajv's 2020 build reads them, `strict: false` lets it skip the spec's
// `example` and `x-*` keywords, and the components are added once as a schema of their own so that
// `#/components/schemas/…` references resolve.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020'
import addFormats from 'ajv-formats'

export type Host = 'api' | 'files' // https://www.chatbase.co/api/v2 and https://files.chatbase.co/api/v2

export type ContractRequest = {
  host: Host
  method: string
  path: string // relative to the host's /api/v2
  query: Record<string, string>
  contentType: string | undefined
  body: string
  parts?: { name: string; file: boolean }[] // a multipart/form-data body, when it could be read as one
}

export type Operation = { id: string; host: Host; params: Record<string, string> }

export type RequestCheck = {
  operation?: Operation
  json?: unknown // the body, parsed, when the operation takes JSON
  // what Chatbase refuses with a 400; details name the fields, as its VALIDATION_INVALID_BODY does
  refusal?: { code: 'VALIDATION_INVALID_JSON' | 'VALIDATION_INVALID_BODY'; details?: Record<string, string> }
  violations: string[]
}

type Schema = Record<string, unknown>
type Parameter = { name: string; in: string; required?: boolean; schema?: Schema }
type Content = Record<string, { schema?: Schema }>
type OperationSpec = {
  operationId: string
  parameters?: Parameter[]
  requestBody?: { required?: boolean; content: Content }
  responses: Record<string, { content?: Content }>
  servers?: { url: string }[]
}

type Compiled = {
  id: string
  host: Host
  method: string
  segments: string[]
  params: ValidateFunction // path and query parameters together, as strings coerced to their types
  queryNames: Set<string>
  json?: ValidateFunction
  form?: { fields: Map<string, { file: boolean }>; required: string[] }
  bodyRequired: boolean
  responses: Map<string, { json?: ValidateFunction; stream?: ValidateFunction }>
}

const SPEC_PATH = path.join(__dirname, '..', '..', '..', 'shared', 'reference', 'chatbase-api-v2-openapi.json')
const COMPONENTS_ID = 'https://chatbase.test/openapi-v2/components'
const FILES_PREFIX = '/api/v2' // the files host's operations are written with their full path

const errorResponse = { $ref: '#/components/schemas/ErrorResponse' }
const errors = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((status) => [status, { content: { 'application/json': { schema: errorResponse } } }]))
const commaList = { type: 'string' }
const dateParam = { type: 'string' }

// GET /agents/{agentId}/conversations/search is not in the vendored spec (it predates it): written here from
// chatbase-api-v2.md §7.4 (Chatbase's docs, its CLI and a client generated from a newer spec). Where the reference
// found nothing (the types of parentConversationId, parentSummary and embedOrigin, the AI speaker's name, the errors)
// the schema leaves it open.
const SEARCH_OPERATION: OperationSpec = {
  operationId: 'searchConversations',
  parameters: [
    { name: 'agentId', in: 'path', required: true, schema: { type: 'string', minLength: 1 } },
    { name: 'query', in: 'query', schema: { type: 'string' } },
    { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 25, default: 25 } },
    { name: 'cursor', in: 'query', schema: { type: 'string' } },
    ...['source', 'sentiment', 'topic', 'userId', 'activityState', 'feedback', 'actionType', 'tool']
      .concat(['toolOutcome', 'procedure', 'procedureOutcome'])
      .map((name) => ({ name, in: 'query', schema: commaList })),
    { name: 'escalated', in: 'query', schema: { type: 'string', enum: ['true'] } },
    { name: 'hasVoice', in: 'query', schema: { type: 'string', enum: ['true', 'false'] } },
    ...['startDate', 'endDate', 'updatedAfter', 'updatedBefore'].map((name) => ({
      name,
      in: 'query',
      schema: dateParam,
    })),
  ],
  responses: {
    200: {
      content: {
        'application/json': {
          schema: {
            type: 'object',
            required: ['data', 'pagination'],
            properties: {
              data: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['id', 'title', 'createdAt', 'updatedAt', 'userId', 'source', 'status', 'snippet'],
                  properties: {
                    id: { type: 'string' },
                    title: { type: ['string', 'null'] },
                    createdAt: { type: 'number' },
                    updatedAt: { type: 'number' },
                    userId: { type: ['string', 'null'] },
                    source: { type: ['string', 'null'] },
                    status: { type: 'string', enum: ['ongoing', 'ended', 'taken_over', 'paused'] },
                    snippet: {
                      oneOf: [
                        { type: 'null' },
                        {
                          type: 'object',
                          required: ['speaker', 'highlights'],
                          properties: {
                            speaker: { type: 'string' },
                            highlights: {
                              type: 'array',
                              items: {
                                type: 'object',
                                required: ['value', 'isHit'],
                                properties: { value: { type: 'string' }, isHit: { type: 'boolean' } },
                              },
                            },
                          },
                        },
                      ],
                    },
                  },
                },
              },
              pagination: {
                type: 'object',
                required: ['cursor', 'hasMore'],
                properties: { cursor: { type: ['string', 'null'] }, hasMore: { type: 'boolean' } },
              },
            },
          },
        },
      },
    },
    ...errors(400, 401, 403, 429, 500, 503),
  },
}

// Error answers the spec leaves out of an operation that chatbase-api-v2.md says Chatbase gives anyway: the standard
// errors of §7 on every operation (the spec omits some on a few), an unknown agent on every agent-scoped one, and a
// conversation that is no longer ongoing, whose status no source gives (§4.2).
const STANDARD_STATUSES = new Set(['400', '401', '403', '429', '500', '503'])
function toleratedError(operation: Compiled, status: string, code: unknown): boolean {
  if (STANDARD_STATUSES.has(status)) return true
  if (status === '404' && code === 'AGENT_NOT_FOUND') return operation.segments.includes('{agentId}')
  return code === 'CHAT_CONVERSATION_NOT_ONGOING' && ['chatWithAgent', 'updateConversation'].includes(operation.id)
}

export class OpenApiContract {
  private readonly operations: Compiled[]
  private readonly errorResponse: ValidateFunction

  constructor(spec: { components: Schema; paths: Record<string, Record<string, unknown>> }) {
    const ajv = new Ajv2020({ strict: false, allErrors: true })
    // Parameters arrive as text: coerce them to the types their schemas give
    const paramsAjv = new Ajv2020({ strict: false, allErrors: true, coerceTypes: true })
    for (const instance of [ajv, paramsAjv]) {
      addFormats(instance)
      instance.addSchema({ $id: COMPONENTS_ID, components: fixPatterns(spec.components) })
    }
    this.errorResponse = ajv.compile(withComponents(errorResponse))
    const operations: Compiled[] = []
    for (const [template, item] of Object.entries(spec.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        if (!isOperation(operation)) continue
        operations.push(compile(ajv, paramsAjv, method, template, operation))
      }
    }
    operations.push(compile(ajv, paramsAjv, 'get', '/agents/{agentId}/conversations/search', SEARCH_OPERATION))
    // literal segments win: /conversations/export before /conversations/{conversationId}
    const variables = (operation: Compiled) => operation.segments.filter((segment) => segment.startsWith('{')).length
    this.operations = operations.sort((a, b) => variables(a) - variables(b))
  }

  has(operationId: string): boolean {
    return this.operations.some((operation) => operation.id === operationId)
  }

  checkRequest(request: ContractRequest): RequestCheck {
    const where = `${request.method} ${request.host === 'files' ? 'files host ' : ''}${request.path}`
    const matches = this.operations
      .map((operation) => ({ operation, params: matchTemplate(operation, request.host, request.path) }))
      .filter((match) => match.params !== undefined)
    const match = matches.find(({ operation }) => operation.method === request.method)
    if (!match) return { violations: [`${where}: no operation of the spec has this method and path`] }
    const { operation } = match
    const params = match.params as Record<string, string>
    const check: RequestCheck = { operation: { id: operation.id, host: operation.host, params }, violations: [] }
    const details: Record<string, string> = {}

    const unknown = Object.keys(request.query).filter((name) => !operation.queryNames.has(name))
    // Chatbase ignores a parameter it does not know, but sending one is still a mistake of the client
    if (unknown.length > 0) check.violations.push(`${where}: unknown query parameter(s) ${unknown.join(', ')}`)
    const known = Object.fromEntries(Object.entries(request.query).filter(([name]) => operation.queryNames.has(name)))
    if (!operation.params({ ...known, ...params })) collect(operation.params.errors, details)

    if (operation.json) {
      const isJson = request.contentType?.toLowerCase().startsWith('application/json') ?? false
      if (request.body === '') {
        if (operation.bodyRequired) details.body = 'Required'
      } else {
        if (!isJson) check.violations.push(`${where}: a JSON body sent as ${request.contentType ?? 'no content type'}`)
        try {
          check.json = JSON.parse(request.body)
        } catch {
          check.violations.push(`${where}: the body is not JSON`)
          return { ...check, refusal: { code: 'VALIDATION_INVALID_JSON' } }
        }
        if (!operation.json(check.json)) collect(operation.json.errors, details)
      }
    } else if (operation.form) {
      checkForm(operation.form, request.parts, details)
    } else if (request.body !== '') {
      check.violations.push(`${where}: a body sent to an operation that takes none`)
    }

    if (Object.keys(details).length > 0) {
      const fields = Object.entries(details).map(([field, message]) => `${field} ${message}`)
      check.violations.push(`${where}: invalid request: ${fields.join('; ')}`)
      check.refusal = { code: 'VALIDATION_INVALID_BODY', details }
    }
    return check
  }

  // What is wrong with an answer (status, content type, body) to an operation; empty when it is valid
  checkResponse(operationId: string, status: number, contentType: string, body: string): string[] {
    const operation = this.operations.find((candidate) => candidate.id === operationId)
    if (!operation) return [`${operationId}: not an operation of the spec`]
    const where = `${operationId} answered ${status}`
    const json = contentType.startsWith('application/json') ? parseOrUndefined(body) : undefined
    let documented = operation.responses.get(String(status))
    if (!documented) {
      const code = (json as { error?: { code?: unknown } } | undefined)?.error?.code
      if (!toleratedError(operation, String(status), code)) return [`${where}, a status the spec does not give it`]
      documented = { json: this.errorResponse }
    }
    if (contentType.startsWith('text/event-stream')) {
      if (!documented.stream) return [`${where} with an event stream, which the spec does not give it`]
      return checkStream(documented.stream, body).map((problem) => `${where}: ${problem}`)
    }
    if (!documented.json) return [`${where} with ${contentType}, which the spec does not give it`]
    if (json === undefined) return [`${where}: the body is not JSON`]
    if (documented.json(json)) return []
    return (documented.json.errors ?? []).map((error) => `${where}: ${error.instancePath || '/'} ${error.message}`)
  }
}

let loaded: OpenApiContract | undefined
// Compiling the spec takes a fraction of a second: one contract per process
export function chatbaseContract(): OpenApiContract {
  loaded ??= new OpenApiContract(JSON.parse(readFileSync(SPEC_PATH, 'utf8')))
  return loaded
}

function isOperation(value: unknown): value is OperationSpec {
  return typeof value === 'object' && value !== null && 'operationId' in value && 'responses' in value
}

function compile(
  ajv: Ajv2020,
  paramsAjv: Ajv2020,
  method: string,
  template: string,
  operation: OperationSpec
): Compiled {
  const onFiles = operation.servers?.some((server) => server.url.includes('files.chatbase.co')) ?? false
  const relative = onFiles && template.startsWith(FILES_PREFIX) ? template.slice(FILES_PREFIX.length) : template
  const parameters = (operation.parameters ?? []).filter((parameter) => ['path', 'query'].includes(parameter.in))
  const params = paramsAjv.compile(
    withComponents({
      type: 'object',
      properties: Object.fromEntries(parameters.map((parameter) => [parameter.name, parameter.schema ?? {}])),
      required: parameters.filter((parameter) => parameter.required).map((parameter) => parameter.name),
    })
  )
  const content = operation.requestBody?.content ?? {}
  const jsonSchema = content['application/json']?.schema
  const formSchema = content['multipart/form-data']?.schema as
    { properties?: Record<string, Schema>; required?: string[] } | undefined
  const responses = new Map<string, { json?: ValidateFunction; stream?: ValidateFunction }>()
  for (const [status, response] of Object.entries(operation.responses)) {
    const json = response.content?.['application/json']?.schema
    const stream = response.content?.['text/event-stream']?.schema
    responses.set(status, {
      ...(json && { json: ajv.compile(withComponents(json)) }),
      ...(stream && { stream: ajv.compile(withComponents(stream)) }),
    })
  }
  return {
    id: operation.operationId,
    host: onFiles ? 'files' : 'api',
    method: method.toUpperCase(),
    segments: relative.split('/'),
    params,
    queryNames: new Set(parameters.filter((parameter) => parameter.in === 'query').map(({ name }) => name)),
    ...(jsonSchema && { json: ajv.compile(withComponents(jsonSchema)) }),
    ...(formSchema && {
      form: {
        fields: new Map(
          Object.entries(formSchema.properties ?? {}).map(([name, schema]) => [
            name,
            { file: schema.format === 'binary' },
          ])
        ),
        required: formSchema.required ?? [],
      },
    }),
    bodyRequired: operation.requestBody?.required ?? false,
    responses,
  }
}

// An operation's schema, with its `#/components/…` references pointed at the components added to ajv
function withComponents(schema: Schema): Schema {
  return JSON.parse(JSON.stringify(schema).replaceAll('"$ref":"#/components/', `"$ref":"${COMPONENTS_ID}#/components/`))
}

// The spec writes its colour patterns as a JavaScript regex literal's source with the flag, '^#([0-9A-F]{3}){1,2}$/i',
// which as JSON Schema would ask for a trailing "/i": read them as meant, case-insensitive hex colours
function fixPatterns(components: Schema): Schema {
  return JSON.parse(
    JSON.stringify(components).replaceAll('"^#([0-9A-F]{3}){1,2}$/i"', JSON.stringify('^#([0-9A-Fa-f]{3}){1,2}$'))
  )
}

function matchTemplate(operation: Compiled, host: Host, path: string): Record<string, string> | undefined {
  if (operation.host !== host) return undefined
  const actual = path.split('/')
  if (actual.length !== operation.segments.length) return undefined
  const params: Record<string, string> = {}
  for (const [index, segment] of operation.segments.entries()) {
    const value = actual[index] as string
    if (!segment.startsWith('{')) {
      if (segment !== value) return undefined
      continue
    }
    if (value === '') return undefined
    try {
      params[segment.slice(1, -1)] = decodeURIComponent(value)
    } catch {
      return undefined // malformed percent-encoding names nothing
    }
  }
  return params
}

// ajv's errors as Chatbase's details: field (dotted path) → what is wrong
function collect(errors: ErrorObject[] | null | undefined, details: Record<string, string>): void {
  for (const error of errors ?? []) {
    const segments = error.instancePath.split('/').filter((segment) => segment !== '')
    if (error.keyword === 'required') segments.push(String(error.params.missingProperty))
    if (error.keyword === 'additionalProperties') segments.push(String(error.params.additionalProperty))
    const field = segments.join('.') || 'body'
    details[field] ??= error.keyword === 'additionalProperties' ? 'is not allowed' : (error.message ?? 'is invalid')
  }
}

function checkForm(
  form: NonNullable<Compiled['form']>,
  parts: ContractRequest['parts'],
  details: Record<string, string>
): void {
  if (!parts) {
    details.body = 'must be multipart/form-data'
    return
  }
  for (const name of form.required) {
    if (!parts.some((part) => part.name === name)) details[name] = 'Required'
  }
  for (const part of parts) {
    const field = form.fields.get(part.name)
    if (!field) details[part.name] = 'is not allowed'
    else if (field.file !== part.file) details[part.name] = field.file ? 'must be a file' : 'must be a text field'
  }
}

// An AI SDK UI message stream: `data:` lines of JSON events with a type, ending with [DONE], whose Chatbase metadata
// (in finish.messageMetadata, a message-metadata event or finish.metadata, §8) matches the spec's schema
function checkStream(metadataSchema: ValidateFunction, body: string): string[] {
  const payloads = body
    .split('\n')
    .filter((line) => line.startsWith('data:'))
    .map((line) => line.slice(5).trim())
  if (payloads.at(-1) !== '[DONE]') return ['the stream does not end with data: [DONE]']
  const problems: string[] = []
  const events: Record<string, unknown>[] = []
  for (const payload of payloads.slice(0, -1)) {
    const event = parseOrUndefined(payload) as Record<string, unknown> | undefined
    if (typeof event?.type !== 'string') problems.push(`an event without a type: ${payload}`)
    else events.push(event)
  }
  const finish = events.find((event) => event.type === 'finish')
  const separate = events.find((event) => event.type === 'message-metadata')
  const metadata = finish?.messageMetadata ?? separate?.messageMetadata ?? finish?.metadata
  if (!finish) problems.push('no finish event')
  if (metadata === undefined) problems.push('no Chatbase metadata')
  else if (!metadataSchema(metadata)) {
    for (const error of metadataSchema.errors ?? []) problems.push(`metadata ${error.instancePath} ${error.message}`)
  }
  return problems
}

function parseOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}
