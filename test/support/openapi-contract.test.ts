// The contract itself, without the emulator: operations matched by path and method, requests and answers checked
// against Chatbase's OpenAPI spec, and the search endpoint's schema written from the reference.
import { describe, expect, it } from 'vitest'
import { chatbaseContract, type ContractRequest } from './openapi-contract'

const contract = chatbaseContract()
const request = (overrides: Partial<ContractRequest>): ContractRequest => ({
  host: 'api',
  method: 'GET',
  path: '/agents/a1',
  query: {},
  contentType: 'application/json',
  body: '',
  ...overrides,
})
const error = (code: string) => JSON.stringify({ error: { code, message: 'm' } })
const JSON_TYPE = 'application/json'

describe('matching operations', () => {
  it.each([
    ['GET', '/agents/a1/conversations/export', 'exportConversations'],
    ['GET', '/agents/a1/conversations/search', 'searchConversations'],
    ['GET', '/agents/a1/conversations/c1', 'getConversation'],
    ['PATCH', '/agents/a1/conversations/c1', 'updateConversation'],
    ['POST', '/agents/a1/sources', 'createSource'],
  ])('matches %s %s to %s', (method, path, id) => {
    const body = method === 'GET' ? '' : '{}'
    expect(contract.checkRequest(request({ method, path, body })).operation?.id).toBe(id)
  })

  it('matches the files host apart, with the path relative to its /api/v2', () => {
    const check = contract.checkRequest(request({ host: 'files', method: 'PUT', path: '/agents/a1/sources/s1' }))
    expect(check.operation).toEqual({
      id: 'updateFileSource',
      host: 'files',
      params: { agentId: 'a1', sourceId: 's1' },
    })
    expect(contract.checkRequest(request({ host: 'files', path: '/agents/a1' })).operation).toBeUndefined()
  })
})

describe('requests', () => {
  it('passes a valid body, parsed', () => {
    const check = contract.checkRequest(
      request({ method: 'POST', path: '/agents/a1/chat', body: '{"message":"Hi","stream":false}' })
    )
    expect(check).toEqual({
      operation: { id: 'chatWithAgent', host: 'api', params: { agentId: 'a1' } },
      json: { message: 'Hi', stream: false },
      violations: [],
    })
  })

  it('refuses a body that breaks the schema, naming the fields', () => {
    const body = JSON.stringify({ toolCallId: '', extra: 1 })
    const check = contract.checkRequest(
      request({ method: 'POST', path: '/agents/a1/conversations/c1/tool-result', body })
    )
    expect(check.refusal).toEqual({
      code: 'VALIDATION_INVALID_BODY',
      details: { toolCallId: 'must NOT have fewer than 1 characters', extra: 'is not allowed' },
    })
    expect(check.violations).toHaveLength(1)
  })

  it('refuses a required body left out, and path parameters that break their schema', () => {
    expect(contract.checkRequest(request({ method: 'PUT', path: '/agents/a1/auto-retrain' })).refusal?.details).toEqual(
      {
        body: 'Required',
      }
    )
    const user = contract.checkRequest(request({ path: '/agents/a1/users/not%20safe/conversations' }))
    expect(user.refusal?.details).toEqual({ userId: 'must match pattern "^[a-zA-Z0-9._-]+$"' })
  })

  it("checks search's parameters with the schema written from the reference", () => {
    const path = '/agents/a1/conversations/search'
    expect(contract.checkRequest(request({ path, query: { limit: '25', escalated: 'true' } })).violations).toEqual([])
    const check = contract.checkRequest(request({ path, query: { limit: '26', hasVoice: 'yes' } }))
    expect(check.refusal?.details).toEqual({
      limit: 'must be <= 25',
      hasVoice: 'must be equal to one of the allowed values',
    })
  })
})

describe('answers', () => {
  it('passes a documented answer and reports one that lacks required fields', () => {
    const created = JSON.stringify({ id: 'a2', pendingSteps: ['TRAIN_AGENT'] })
    expect(contract.checkResponse('createAgent', 201, JSON_TYPE, created)).toEqual([])
    expect(contract.checkResponse('createAgent', 201, JSON_TYPE, '{"pendingSteps":["NOPE"]}')).toEqual([
      "createAgent answered 201: / must have required property 'id'",
      'createAgent answered 201: /pendingSteps/0 must be equal to one of the allowed values',
    ])
  })

  it('reads the colour patterns as case-insensitive hex colours', () => {
    const body = (color: string) => JSON.stringify({ styles: { chat: { headerColor: color } } })
    const put = (color: string) =>
      contract.checkRequest(request({ method: 'PUT', path: '/agents/a1/styles', body: body(color) })).refusal
    expect(put('#abcDEF')).toBeUndefined()
    expect(put('#abcdef/i')?.details).toHaveProperty(['styles.chat.headerColor'])
  })

  it('reports a status the operation does not document, but tolerates the errors the reference gives everywhere', () => {
    expect(contract.checkResponse('getAgent', 409, JSON_TYPE, error('X'))).toEqual([
      'getAgent answered 409, a status the spec does not give it',
    ])
    expect(contract.checkResponse('listConversations', 404, JSON_TYPE, error('AGENT_NOT_FOUND'))).toEqual([])
    expect(contract.checkResponse('trainAgent', 503, JSON_TYPE, error('SERVICE_UNDER_MAINTENANCE'))).toEqual([])
    expect(contract.checkResponse('chatWithAgent', 409, JSON_TYPE, error('CHAT_CONVERSATION_NOT_ONGOING'))).toEqual([])
    expect(contract.checkResponse('getAgent', 404, JSON_TYPE, '{"message":"Not found"}')).toEqual([
      "getAgent answered 404: / must have required property 'error'",
    ])
  })

  it('checks an event stream: typed events, the metadata wherever it is, and the closing [DONE]', () => {
    const metadata = { messageId: 'm', userMessageId: 'u', conversationId: 'c', userId: null, usage: { credits: 1 } }
    const stream = (...events: unknown[]) => events.map((event) => `data: ${JSON.stringify(event)}\n\n`).join('')
    const done = 'data: [DONE]\n\n'
    const type = 'text/event-stream'
    expect(
      contract.checkResponse('chatWithAgent', 200, type, stream({ type: 'finish', messageMetadata: metadata }) + done)
    ).toEqual([])
    const separate = stream({ type: 'message-metadata', messageMetadata: metadata }, { type: 'finish' }) + done
    expect(contract.checkResponse('chatWithAgent', 200, type, separate)).toEqual([])
    expect(contract.checkResponse('chatWithAgent', 200, type, stream({ type: 'finish', metadata }))).toEqual([
      'chatWithAgent answered 200: the stream does not end with data: [DONE]',
    ])
    const { usage: _usage, ...incomplete } = metadata
    expect(
      contract.checkResponse(
        'chatWithAgent',
        200,
        type,
        stream({ delta: 'x' }, { type: 'finish', metadata: incomplete }) + done
      )
    ).toEqual([
      'chatWithAgent answered 200: an event without a type: {"delta":"x"}',
      "chatWithAgent answered 200: metadata  must have required property 'usage'",
    ])
    expect(contract.checkResponse('getAgent', 200, type, done)).toEqual([
      'getAgent answered 200 with an event stream, which the spec does not give it',
    ])
  })
})
