import { IMAGE_UPLOAD_LIMIT_BYTES } from '../../definitions/constants'
import { notFoundError } from '../errors'
import { ChatbaseTransport, type DownloadedFile, type TransportOptions } from '../transport'
import {
  chatbotIdResponse,
  chatbotsResponse,
  chatResponse,
  contactResponse,
  conversationsResponse,
  createContactsResponse,
  customAttributeResponse,
  customAttributesResponse,
  leadsResponse,
  listContactsResponse,
  type ChatbotSettingsWire,
  type ChatbotWire,
  type ChatRequestWire,
  type ContactFieldsWire,
  type ContactWire,
  type ConversationsQueryWire,
  type ConversationWire,
  type CustomAttributeCreateWire,
  type CustomAttributeUpdateWire,
  type CustomAttributeWire,
  type LeadsQueryWire,
  type LeadWire,
} from './wire'

/** One page of contacts, with the total Chatbase gives and whether it is the last page. */
export type ContactsPage = { contacts: ContactWire[]; total: number; isLastPage: boolean }

const chatbotPath = (chatbotId: string) => `/chatbots/${encodeURIComponent(chatbotId)}`
const contactPath = (chatbotId: string, contactId: string) =>
  `${chatbotPath(chatbotId)}/contacts/${encodeURIComponent(contactId)}`
const contactTarget = (chatbotId: string, contactId: string) => `contact "${contactId}" of chatbot "${chatbotId}"`
const chatbotTarget = (chatbotId: string) => `chatbot "${chatbotId}"`

/** The two images of a chatbot: each has an upload endpoint with its own file field, and a delete endpoint. */
const CHATBOT_IMAGES = {
  icon: {
    upload: '/upload-chatbot-icon',
    remove: '/delete-chatbot-icon',
    fileField: 'chatbotIconFile',
    what: 'chatbot icon',
  },
  profilePicture: {
    upload: '/upload-chatbot-profile-picture',
    remove: '/delete-chatbot-profile-picture',
    fileField: 'profilePictureFile',
    what: 'chatbot profile picture',
  },
} as const
export type ChatbotImage = keyof typeof CHATBOT_IMAGES

/** Chatbase's endpoints, typed. Build one per action: its transport holds the action's deadline. */
export class ChatbaseClient {
  private readonly transport: ChatbaseTransport

  public constructor(options: TransportOptions) {
    this.transport = new ChatbaseTransport(options)
  }

  /**
   * One read-only call that fails with 401 for a wrong key and 404 for a wrong chatbot id. Only the status counts:
   * however Chatbase shapes the leads, a 2xx means the key and chatbot are good.
   */
  public async checkAccess(chatbotId: string): Promise<void> {
    await this.transport.request({
      method: 'GET',
      path: '/get-leads',
      query: { chatbotId, page: 1, size: 1 },
      ignoreBody: true,
      operation: 'check the API key and chatbot id',
      target: chatbotTarget(chatbotId),
    })
  }

  public async chat(body: ChatRequestWire): Promise<string> {
    const response = await this.transport.request({
      method: 'POST',
      path: '/chat',
      body,
      policy: 'billed',
      responseSchema: chatResponse,
      operation: 'get an answer from the chatbot',
      target: chatbotTarget(body.chatbotId),
    })
    return response.text
  }

  public async getLeads(query: LeadsQueryWire): Promise<LeadWire[]> {
    return this.transport.request({
      method: 'GET',
      path: '/get-leads',
      query,
      responseSchema: leadsResponse,
      operation: 'get the leads',
      target: chatbotTarget(query.chatbotId),
    })
  }

  public async getConversations(query: ConversationsQueryWire): Promise<ConversationWire[]> {
    return this.transport.request({
      method: 'GET',
      path: '/get-conversations',
      query,
      responseSchema: conversationsResponse,
      operation: 'get the conversations',
      target: chatbotTarget(query.chatbotId),
    })
  }

  public async createContacts(chatbotId: string, users: ContactFieldsWire[]): Promise<ContactWire[]> {
    const response = await this.transport.request({
      method: 'POST',
      path: `${chatbotPath(chatbotId)}/contacts`,
      body: { users },
      responseSchema: createContactsResponse,
      operation: users.length === 1 ? 'create the contact' : `create ${users.length} contacts`,
      target: chatbotTarget(chatbotId),
    })
    return response.data.created
  }

  public async getContact(chatbotId: string, contactId: string): Promise<ContactWire> {
    const response = await this.transport.request({
      method: 'GET',
      path: contactPath(chatbotId, contactId),
      responseSchema: contactResponse,
      operation: 'get the contact',
      target: contactTarget(chatbotId, contactId),
    })
    return response.data
  }

  public async listContacts(chatbotId: string, page: number, perPage: number): Promise<ContactsPage> {
    const response = await this.transport.request({
      method: 'GET',
      path: `${chatbotPath(chatbotId)}/contacts`,
      query: { page, per_page: perPage },
      responseSchema: listContactsResponse,
      operation: 'list the contacts',
      target: chatbotTarget(chatbotId),
    })
    const { total_pages: totalPages } = response.pages
    return {
      contacts: response.data,
      total: response.total,
      // Without Chatbase's page count, only a short page says it is the last.
      isLastPage: totalPages === undefined ? response.data.length < perPage : page >= totalPages,
    }
  }

  public async updateContact(chatbotId: string, contactId: string, data: ContactFieldsWire): Promise<ContactWire> {
    const response = await this.transport.request({
      method: 'PATCH',
      path: contactPath(chatbotId, contactId),
      body: { data },
      responseSchema: contactResponse,
      operation: 'update the contact',
      target: contactTarget(chatbotId, contactId),
    })
    return response.data
  }

  public async deleteContact(chatbotId: string, contactId: string): Promise<void> {
    await this.transport.request({
      method: 'DELETE',
      path: contactPath(chatbotId, contactId),
      ignoreBody: true,
      goneMeansDone: true,
      operation: 'delete the contact',
      target: contactTarget(chatbotId, contactId),
    })
  }

  public async listCustomAttributes(chatbotId: string): Promise<CustomAttributeWire[]> {
    const response = await this.transport.request({
      method: 'GET',
      path: `${chatbotPath(chatbotId)}/custom-attributes`,
      responseSchema: customAttributesResponse,
      operation: 'list the custom attributes',
      target: chatbotTarget(chatbotId),
    })
    return response.data
  }

  public async createCustomAttribute(
    chatbotId: string,
    attribute: CustomAttributeCreateWire
  ): Promise<CustomAttributeWire> {
    const response = await this.transport.request({
      method: 'POST',
      path: `${chatbotPath(chatbotId)}/custom-attributes`,
      body: attribute,
      responseSchema: customAttributeResponse,
      operation: `create the custom attribute "${attribute.name}"`,
      target: chatbotTarget(chatbotId),
    })
    return response.data
  }

  /**
   * The docs give `archived` a default of false on this PUT, so a body without it would bring an archived attribute
   * back: unless `changes` sets it, the attribute's current state is read from the list and sent.
   */
  public async updateCustomAttribute(
    chatbotId: string,
    name: string,
    changes: CustomAttributeUpdateWire
  ): Promise<CustomAttributeWire> {
    const context = {
      operation: `update the custom attribute "${name}"`,
      target: `custom attribute "${name}" of chatbot "${chatbotId}"`,
    }
    let archived = changes.archived
    if (archived === undefined) {
      const current = (await this.listCustomAttributes(chatbotId)).find((attribute) => attribute.name === name)
      if (!current) {
        throw notFoundError(context)
      }
      archived = current.archived ?? false
    }
    const response = await this.transport.request({
      method: 'PUT',
      path: `${chatbotPath(chatbotId)}/custom-attributes/${encodeURIComponent(name)}`,
      body: { ...changes, archived },
      responseSchema: customAttributeResponse,
      ...context,
    })
    return response.data
  }

  public async listChatbots(): Promise<ChatbotWire[]> {
    return this.transport.request({
      method: 'GET',
      path: '/get-chatbots',
      responseSchema: chatbotsResponse,
      operation: 'list the chatbots',
      target: 'chatbots for this API key',
    })
  }

  public async createChatbot(body: {
    chatbotName: string
    sourceText?: string
    urlsToScrape?: string[]
  }): Promise<string> {
    const response = await this.transport.request({
      method: 'POST',
      path: '/create-chatbot',
      body,
      responseSchema: chatbotIdResponse,
      operation: `create the chatbot "${body.chatbotName}"`,
      target: 'account for this API key',
    })
    return response.chatbotId
  }

  public async updateChatbotData(body: {
    chatbotId: string
    chatbotName: string
    sourceText?: string
  }): Promise<string> {
    const response = await this.transport.request({
      method: 'POST',
      path: '/update-chatbot-data',
      body,
      // It replaces the name and text: sending the same again changes nothing more.
      policy: 'idempotent-write',
      responseSchema: chatbotIdResponse,
      operation: 'update the chatbot data',
      target: chatbotTarget(body.chatbotId),
    })
    return response.chatbotId
  }

  public async updateChatbotSettings(body: ChatbotSettingsWire): Promise<void> {
    await this.transport.request({
      method: 'POST',
      path: '/update-chatbot-settings',
      body,
      policy: 'idempotent-write',
      // A 202 with "a success message" of no documented format.
      ignoreBody: true,
      operation: 'update the chatbot settings',
      target: chatbotTarget(body.chatbotId),
    })
  }

  public async deleteChatbot(chatbotId: string): Promise<void> {
    await this.transport.request({
      method: 'DELETE',
      path: '/delete-chatbot',
      query: { chatbotId },
      ignoreBody: true,
      goneMeansDone: true,
      operation: 'delete the chatbot',
      target: chatbotTarget(chatbotId),
    })
  }

  /** The file at `fileUrl`, downloaded within this action's deadline, refused from the upload limit on. */
  public async downloadImage(fileUrl: string): Promise<DownloadedFile> {
    return this.transport.download(fileUrl, IMAGE_UPLOAD_LIMIT_BYTES)
  }

  public async uploadChatbotImage(image: ChatbotImage, chatbotId: string, file: DownloadedFile): Promise<void> {
    const { upload, fileField, what } = CHATBOT_IMAGES[image]
    const form = new FormData()
    form.append('chatbotId', chatbotId)
    form.append(fileField, new Blob([file.bytes], { type: file.contentType }), file.fileName)
    await this.transport.request({
      method: 'POST',
      path: upload,
      body: form,
      ignoreBody: true,
      operation: `upload the ${what}`,
      target: chatbotTarget(chatbotId),
    })
  }

  public async deleteChatbotImage(image: ChatbotImage, chatbotId: string): Promise<void> {
    const { remove, what } = CHATBOT_IMAGES[image]
    await this.transport.request({
      method: 'DELETE',
      path: remove,
      query: { chatbotId },
      ignoreBody: true,
      operation: `delete the ${what}`,
      target: chatbotTarget(chatbotId),
    })
  }
}
