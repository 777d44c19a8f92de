// v2's shared side: its base URLs and recording, auth, the error envelope, the headers of every answer, faults on v2
// and the files host, the switches (plan, spellings, key, reset unit, maintenance) and the contract check of requests.
import { describe, expect, it } from 'vitest'
import type { ChatbaseEmulator } from '../index'
import { CHATBOT, useEmulator } from '../self-test'

let emulator: ChatbaseEmulator
const { api, v2, files, takeViolations } = useEmulator((started) => (emulator = started))

const AGENT = `/agents/${CHATBOT}`

describe('serving v2', () => {
  it('serves v2 and the files host beside v1, and records which API each request reached', async () => {
    expect(emulator.v2Url).toBe(emulator.url.replace('/api/v1', '/api/v2'))
    expect(emulator.filesUrl).toBe(emulator.url.replace('/api/v1', '/files/api/v2'))
    await api('GET', '/get-chatbots')
    await v2('GET', AGENT)
    await files('POST', `${AGENT}/sources`, { form: new FormData() })
    takeViolations()
    expect(emulator.requests.map(({ api, method, path }) => ({ api, method, path }))).toEqual([
      { api: 'v1', method: 'GET', path: '/get-chatbots' },
      { api: 'v2', method: 'GET', path: AGENT },
      { api: 'files', method: 'POST', path: `${AGENT}/sources` },
    ])
  })

  it('answers the health check without a key', async () => {
    const reply = await v2('GET', '/health', { authorization: null })
    expect(reply.status).toBe(200)
    expect(reply.json).toEqual({ status: 'ok', timestamp: expect.any(Number) })
  })

  it('answers 401 AUTH_MISSING_API_KEY without a key, a violation of the spec', async () => {
    const reply = await v2('GET', AGENT, { authorization: null })
    expect(reply.status).toBe(401)
    expect(reply.json).toEqual({ error: { code: 'AUTH_MISSING_API_KEY', message: 'Authentication required' } })
    expect(takeViolations()).toEqual(['getAgent: no Authorization header'])
  })

  it.each([
    ['a wrong key', 'Bearer not-the-key'],
    ['the key without Bearer', 'emulator-secret-key'],
  ])('answers 401 AUTH_INVALID_API_KEY to %s', async (_case, authorization) => {
    const reply = await v2('GET', AGENT, { authorization })
    expect(reply.status).toBe(401)
    expect(reply.json.error.code).toBe('AUTH_INVALID_API_KEY')
  })

  it('answers 404 RESOURCE_NOT_FOUND to a path no operation has, and reports it', async () => {
    const reply = await v2('GET', '/nothing-here')
    expect(reply.status).toBe(404)
    expect(reply.json.error.code).toBe('RESOURCE_NOT_FOUND')
    expect(takeViolations()).toEqual(['GET /nothing-here: no operation of the spec has this method and path'])
  })

  it('answers 501 to an operation not emulated yet, and reports it', async () => {
    const reply = await v2('GET', `${AGENT}/whatsapp/templates`)
    expect(reply.status).toBe(501)
    expect(takeViolations()).toEqual(['listWhatsAppTemplates: not emulated yet'])
  })

  it('sends x-request-id and the X-RateLimit headers on every answer, the reset in epoch milliseconds', async () => {
    const before = Date.now()
    const first = await v2('GET', AGENT)
    const second = await v2('GET', AGENT, { authorization: null })
    takeViolations()
    for (const reply of [first, second]) {
      expect(reply.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/)
      expect(reply.headers.get('x-ratelimit-limit')).toBe('100')
    }
    expect(first.headers.get('x-request-id')).not.toBe(second.headers.get('x-request-id'))
    expect(Number(first.headers.get('x-ratelimit-remaining'))).toBe(99)
    expect(Number(second.headers.get('x-ratelimit-remaining'))).toBe(98)
    const reset = Number(first.headers.get('x-ratelimit-reset'))
    expect(reset).toBeGreaterThanOrEqual(before + 10_000)
    expect(reset).toBeLessThanOrEqual(Date.now() + 10_000)
  })

  it('gives X-RateLimit-Reset in epoch seconds once switched, until reset()', async () => {
    emulator.setRateLimitResetUnit('s')
    const reset = Number((await v2('GET', AGENT)).headers.get('x-ratelimit-reset'))
    expect(reset).toBeGreaterThanOrEqual(Math.floor(Date.now() / 1000) + 9)
    expect(reset).toBeLessThan(1e12)
    emulator.reset()
    expect(Number((await v2('GET', AGENT)).headers.get('x-ratelimit-reset'))).toBeGreaterThan(1e12)
  })
})

describe('switches', () => {
  it('refuses every v2 and files-host call of a plan without the API, not v1', async () => {
    emulator.setPlanAccess('no-api')
    const expected = {
      error: {
        code: 'SUBSCRIPTION_API_RESTRICTED_PLAN',
        message: 'A Standard plan or higher is required to access the API',
      },
    }
    expect(await v2('GET', AGENT)).toMatchObject({ status: 403, json: expected })
    const form = new FormData()
    form.set('name', 'Handbook')
    form.set('file', new Blob(['text']), 'handbook.txt')
    expect(await files('POST', `${AGENT}/sources`, { form })).toMatchObject({ status: 403, json: expected })
    expect((await api('GET', '/get-chatbots')).status).toBe(200)
  })

  it('spells the codes the other way when asked', async () => {
    emulator.setErrorSpelling('alternative')
    emulator.setPlanAccess('no-api')
    expect((await v2('GET', AGENT)).json.error.code).toBe('SUBSCRIPTION_PLAN_REQUIRED')
    emulator.setPlanAccess('full')
    emulator.setKeyState('expired')
    expect(await v2('GET', AGENT)).toMatchObject({ status: 401, json: { error: { code: 'API_KEY_EXPIRED' } } })
    emulator.setKeyState('insufficient-permissions')
    expect(await v2('GET', AGENT)).toMatchObject({ status: 403, json: { error: { code: 'PERMISSION_DENIED' } } })
  })

  it('answers an expired key and a key without permission with the documented codes', async () => {
    emulator.setKeyState('expired')
    expect(await v2('GET', AGENT)).toMatchObject({ status: 401, json: { error: { code: 'AUTH_EXPIRED_API_KEY' } } })
    emulator.setKeyState('insufficient-permissions')
    const reply = await v2('GET', AGENT)
    expect(reply).toMatchObject({ status: 403, json: { error: { code: 'AUTH_INSUFFICIENT_PERMISSIONS' } } })
    expect((await api('GET', '/get-chatbots')).status).toBe(200)
  })

  it('answers 503 SERVICE_UNDER_MAINTENANCE during maintenance, health check included', async () => {
    emulator.setMaintenance(true)
    for (const path of [AGENT, '/health']) {
      const reply = await v2('GET', path)
      expect(reply.status).toBe(503)
      expect(reply.json.error.code).toBe('SERVICE_UNDER_MAINTENANCE')
    }
    emulator.setMaintenance(false)
    expect((await v2('GET', AGENT)).status).toBe(200)
  })

  it('are all undone by reset()', async () => {
    emulator.setPlanAccess('no-api')
    emulator.setKeyState('expired')
    emulator.setMaintenance(true)
    emulator.reset()
    expect((await v2('GET', AGENT)).status).toBe(200)
  })
})

describe('faults on v2', () => {
  it('answers a 429 fault with the envelope, Retry-After only when given, and no requests remaining', async () => {
    emulator.injectFault({ api: 'v2', status: 429 })
    emulator.injectFault({ api: 'v2', status: 429, headers: { 'retry-after': '2' } })
    const [bare, withRetryAfter] = [await v2('GET', AGENT), await v2('GET', AGENT)]
    for (const reply of [bare, withRetryAfter]) {
      expect(reply.status).toBe(429)
      expect(reply.json).toEqual({
        error: { code: 'RATE_LIMIT_TOO_MANY_REQUESTS', message: 'Too many requests, please try again later' },
      })
      expect(reply.headers.get('x-ratelimit-remaining')).toBe('0')
      expect(reply.headers.get('x-request-id')).toBeTruthy()
    }
    expect(bare.headers.get('retry-after')).toBeNull()
    expect(withRetryAfter.headers.get('retry-after')).toBe('2')
  })

  it('matches the API it names: a v2 fault leaves v1 alone, a files fault leaves v2 alone', async () => {
    emulator.injectFault({ api: 'files', status: 500 })
    emulator.injectFault({ api: 'v2', status: 503 })
    expect((await api('GET', '/get-chatbots')).status).toBe(200)
    const maintenance = await v2('GET', AGENT)
    expect(maintenance).toMatchObject({ status: 503, json: { error: { code: 'SERVICE_UNDER_MAINTENANCE' } } })
    const failed = await files('POST', `${AGENT}/sources`, { form: new FormData() })
    expect(failed).toMatchObject({ status: 500, json: { error: { code: 'INTERNAL_SERVER_ERROR' } } })
  })

  it("answers a status Chatbase has no code for with a gateway's text", async () => {
    emulator.injectFault({ api: 'v2', path: AGENT, status: 502 })
    const reply = await v2('GET', AGENT)
    expect(reply).toMatchObject({ status: 502, text: 'Bad Gateway' })
    expect(reply.headers.get('content-type')).toMatch(/^text\/plain/)
  })
})

describe('requests checked against the spec', () => {
  it('refuses a body that breaks the schema with 400 VALIDATION_INVALID_BODY naming the fields, and reports it', async () => {
    const reply = await v2('PUT', AGENT, { body: { name: '', temp: 2 } })
    expect(reply.status).toBe(400)
    expect(reply.json).toEqual({
      error: {
        code: 'VALIDATION_INVALID_BODY',
        message: 'Invalid request',
        details: { name: 'must NOT have fewer than 1 characters', temp: 'must be <= 1' },
      },
    })
    expect(takeViolations()).toEqual([
      `PUT ${AGENT}: invalid request: name must NOT have fewer than 1 characters; temp must be <= 1`,
    ])
  })

  it('refuses a query parameter out of range', async () => {
    const reply = await v2('GET', '/agents', { query: { limit: '101' } })
    expect(reply.json.error).toMatchObject({ code: 'VALIDATION_INVALID_BODY', details: { limit: 'must be <= 100' } })
    expect(takeViolations()).toHaveLength(1)
  })

  it('answers malformed JSON with 400 VALIDATION_INVALID_JSON', async () => {
    const reply = await v2('PUT', AGENT, { rawBody: '{"name":' })
    expect(reply).toMatchObject({ status: 400, json: { error: { code: 'VALIDATION_INVALID_JSON' } } })
    expect(takeViolations()).toEqual([`PUT ${AGENT}: the body is not JSON`])
  })

  it('serves a request with an unknown query parameter, as Chatbase ignores it, but reports it', async () => {
    expect((await v2('GET', AGENT, { query: { expand: 'all' } })).status).toBe(200)
    expect(takeViolations()).toEqual([`GET ${AGENT}: unknown query parameter(s) expand`])
  })

  it('checks the field names of a multipart body on the files host', async () => {
    const form = new FormData()
    form.set('title', 'Handbook')
    const reply = await files('POST', `${AGENT}/sources`, { form })
    expect(reply.status).toBe(400)
    expect(reply.json.error.details).toEqual({ name: 'Required', file: 'Required', title: 'is not allowed' })
    expect(takeViolations()).toHaveLength(1)
  })

  it('reports a JSON body sent without a JSON content type', async () => {
    const response = await fetch(`${emulator.v2Url}${AGENT}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${emulator.apiKey}` },
      body: JSON.stringify({ name: 'Renamed' }),
    })
    expect(response.status).toBe(200)
    expect(takeViolations()).toEqual([`PUT ${AGENT}: a JSON body sent as text/plain;charset=UTF-8`])
  })

  it('reset() clears the violations', async () => {
    await v2('GET', '/nothing-here')
    expect(emulator.contractViolations()).toHaveLength(1)
    emulator.reset()
    expect(emulator.contractViolations()).toEqual([])
  })
})
