import { ChatbaseTransport, type TransportOptions } from './transport'
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

/** Chatbase's endpoints, typed. Build one per action: its transport holds the action's deadline. */
export class ChatbaseClient {
  private readonly transport: ChatbaseTransport

  public constructor(options: TransportOptions) {
    this.transport = new ChatbaseTransport(options)
  }

  /** One read-only call that fails with 401 for a wrong key and 404 for a wrong chatbot id. */
  public async checkAccess(chatbotId: string): Promise<void> {
    await this.getLeads({ chatbotId, page: 1, size: 1 }, 'check the API key and chatbot id')
  }

  public async chat(body: ChatRequestWire): Promise<string> {
    const response = await this.transport.request({
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
    const response = await this.transport.request({
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
    const response = await this.transport.request({
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
    const response = await this.transport.request({
      method: 'PATCH',
      path: `/chatbots/${encodeURIComponent(chatbotId)}/contacts/${encodeURIComponent(contactId)}`,
      body: { data },
      responseSchema: contactResponse,
      operation: 'update the contact',
      target: `contact "${contactId}" of chatbot "${chatbotId}"`,
    })
    return response.data
  }
}
