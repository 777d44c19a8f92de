import type { z } from '@botpress/sdk'
import axios, { type Method } from 'axios'
import { networkError, statusError, timeoutError, unexpectedResponseError, type RequestContext } from './errors'
import {
  chatResponse,
  contactResponse,
  createContactsResponse,
  leadsResponse,
  type ChatRequestWire,
  type ContactFieldsWire,
  type ContactWire,
  type LeadsQueryWire,
  type LeadWire,
} from './wire'

export const CHATBASE_API_URL = 'https://www.chatbase.co/api/v1'

export type ChatbaseClientOptions = {
  apiKey: string
  timeoutMs: number
  /** Defaults to CHATBASE_API_URL from the environment (the local emulator), else Chatbase itself. */
  baseUrl?: string
}

type Request<S extends z.ZodTypeAny> = RequestContext & {
  method: Method
  path: string
  query?: Record<string, string | number | undefined>
  body?: unknown
  responseSchema: S
}

/** The only code that speaks HTTP to Chatbase: auth, base URL, deadline, and turning every failure into a RuntimeError. */
export class ChatbaseClient {
  private readonly baseUrl: string

  public constructor(private readonly options: ChatbaseClientOptions) {
    this.baseUrl = (options.baseUrl ?? process.env.CHATBASE_API_URL ?? CHATBASE_API_URL).replace(/\/+$/, '')
  }

  /** One read-only call that fails with 401 for a wrong key and 404 for a wrong chatbot id. */
  public async checkAccess(chatbotId: string): Promise<void> {
    await this.getLeads({ chatbotId, page: 1, size: 1 }, 'check the API key and chatbot id')
  }

  public async chat(body: ChatRequestWire): Promise<string> {
    const response = await this.request({
      method: 'POST',
      path: '/chat',
      body,
      responseSchema: chatResponse,
      operation: 'get an answer from the chatbot',
      target: `chatbot "${body.chatbotId}"`,
    })
    return response.text
  }

  public async getLeads(query: LeadsQueryWire, operation = 'get the leads'): Promise<LeadWire[]> {
    const response = await this.request({
      method: 'GET',
      path: '/get-leads',
      query,
      responseSchema: leadsResponse,
      operation,
      target: `chatbot "${query.chatbotId}"`,
    })
    return 'data' in response ? response.data : response.collectedCustomers
  }

  public async createContacts(chatbotId: string, users: ContactFieldsWire[]): Promise<ContactWire[]> {
    const response = await this.request({
      method: 'POST',
      path: `/chatbots/${encodeURIComponent(chatbotId)}/contacts`,
      body: { users },
      responseSchema: createContactsResponse,
      operation: users.length === 1 ? 'create the contact' : 'create the contacts',
      target: `chatbot "${chatbotId}"`,
    })
    return response.data.created
  }

  public async updateContact(chatbotId: string, contactId: string, data: ContactFieldsWire): Promise<ContactWire> {
    const response = await this.request({
      method: 'PATCH',
      path: `/chatbots/${encodeURIComponent(chatbotId)}/contacts/${encodeURIComponent(contactId)}`,
      body: { data },
      responseSchema: contactResponse,
      operation: 'update the contact',
      target: `contact "${contactId}" of chatbot "${chatbotId}"`,
    })
    return response.data
  }

  private async request<S extends z.ZodTypeAny>(request: Request<S>): Promise<z.infer<S>> {
    const deadline = AbortSignal.timeout(this.options.timeoutMs)
    let response: { status: number; data: string }
    try {
      response = await axios.request<string>({
        method: request.method,
        url: this.baseUrl + request.path,
        params: request.query,
        data: request.body,
        headers: { Authorization: `Bearer ${this.options.apiKey}`, Accept: 'application/json' },
        signal: deadline,
        // The body is parsed below, so that HTML error pages and truncated JSON get a clear message.
        responseType: 'text',
        transformResponse: (data: string) => data,
        validateStatus: () => true,
      })
    } catch (thrown) {
      if (deadline.aborted) {
        throw timeoutError(this.options.timeoutMs, request)
      }
      throw networkError(axios.isAxiosError(thrown) ? thrown.code : undefined, request)
    }

    if (response.status < 200 || response.status >= 300) {
      throw statusError(response.status, response.data, request)
    }
    let json: unknown
    try {
      json = JSON.parse(response.data)
    } catch {
      throw unexpectedResponseError(response.status, 'not JSON', request)
    }
    const parsed = request.responseSchema.safeParse(json)
    if (!parsed.success) {
      const issue = parsed.error.issues[0]
      const where = issue?.path.length ? `"${issue.path.join('.')}"` : 'the body'
      throw unexpectedResponseError(response.status, `${where}: ${issue?.message ?? 'invalid'}`, request)
    }
    return parsed.data
  }
}
