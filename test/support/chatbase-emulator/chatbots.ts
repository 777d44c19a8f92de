// The chatbots themselves: list, create, update (data and settings) and delete them, and upload or delete their
// icon and profile picture.
import { randomUUID } from 'node:crypto'
import type { Answer, Context, FormPart, Route } from './server'
import type { Slot, Store } from './store'
import {
  check,
  checkRange,
  invalid,
  parseJsonObject,
  readEnum,
  readInteger,
  readStringArray,
  type Issue,
  type Json,
} from './validation'

// The two images a chatbot can have, each with its own upload and delete endpoints
export type ChatbotImage = 'icon' | 'profilePicture'
export type StoredImage = { fileName: string; contentType: string; bytes: Buffer }

type CollectedField = { label: string; active: boolean }

// A chatbot's parameters: the fields named by create-chatbot, update-chatbot-data and update-chatbot-settings
export type StoredChatbot = {
  id: string
  name: string // chatbotName on create / update-chatbot-data, name on update-chatbot-settings
  sourceText: string | null
  urlsToScrape: string[] // pages to learn from, given on create-chatbot (in the docs' curl example only)
  instructions: string
  initialMessages: string[]
  suggestedMessages: string[]
  visibility: 'private' | 'public'
  onlyAllowOnAddedDomains: boolean
  domains: string[]
  ipLimit: number
  ipLimitTimeframe: number
  ipLimitMessage: string
  model: string
  temp: number
  collectCustomerInformation: { title: string; name: CollectedField; email: CollectedField; phone: CollectedField }
  styles: {
    theme: 'dark' | 'light'
    userMessageColor: string
    buttonColor: string
    displayName: string
    autoOpenChatWindowAfter: number
    alignChatButton: 'left' | 'right'
  }
}

// The models listed on the /chat page, which update-chatbot-settings refers to ("one of the models mentioned earlier")
const MODELS = [
  'gpt-4.1',
  'gpt-4.1-mini',
  'gpt-4.1-nano',
  'gpt-4.5',
  'gpt-4o',
  'gpt-4o-mini',
  'gpt-4-turbo',
  'gpt-4',
  'o3-mini',
  'claude-3-7-sonnet',
  'claude-3-5-sonnet',
  'claude-3-opus',
  'claude-3-haiku',
  'gemini-1.5-pro',
  'gemini-1.5-flash',
  'gemini-2.0-flash',
  'gemini-2.0-pro',
  'command-r',
  'command-r-plus',
  'DeepSeek-V3',
  'DeepSeek-R1',
  'Llama-4-Scout-17B-16E-Instruct',
  'Llama-4-Maverick-17B-128E-Instruct-FP8',
  'grok-3',
  'grok-3-mini',
] as const

type ChatbotState = {
  settings: StoredChatbot
  createdAt: string // ISO 8601; only the live get-chatbots shows it (the docs name no chatbot fields)
  images: Partial<Record<ChatbotImage, StoredImage>>
}

export class ChatbotsArea {
  private readonly chatbots: Slot<ChatbotState>
  readonly routes: Route[] = [
    { method: 'GET', path: '/get-chatbots', handle: () => this.getChatbots() },
    { method: 'POST', path: '/create-chatbot', handle: (context) => this.createChatbot(context) },
    { method: 'POST', path: '/update-chatbot-data', handle: (context) => this.updateChatbotData(context) },
    { method: 'POST', path: '/update-chatbot-settings', handle: (context) => this.updateChatbotSettings(context) },
    { method: 'DELETE', path: '/delete-chatbot', handle: (context) => this.deleteChatbot(context) },
    { method: 'POST', path: '/upload-chatbot-icon', handle: (context) => this.uploadImage('icon', context) },
    {
      method: 'POST',
      path: '/upload-chatbot-profile-picture',
      handle: (context) => this.uploadImage('profilePicture', context),
    },
    { method: 'DELETE', path: '/delete-chatbot-icon', handle: (context) => this.deleteImage('icon', context) },
    {
      method: 'DELETE',
      path: '/delete-chatbot-profile-picture',
      handle: (context) => this.deleteImage('profilePicture', context),
    },
  ]

  constructor(private readonly store: Store) {
    this.chatbots = store.slot(newChatbotState)
  }

  chatbot(chatbotId: string): StoredChatbot | undefined {
    const chatbot = this.chatbots.find(chatbotId)
    return chatbot && structuredClone(chatbot.settings)
  }

  image(chatbotId: string, image: ChatbotImage): StoredImage | undefined {
    const stored = this.chatbots.configured(chatbotId).images[image]
    return stored && { ...stored, bytes: Buffer.from(stored.bytes) }
  }

  private getChatbots(): Answer {
    const chatbots = this.chatbots.all()
    if (this.store.shapes === 'documented')
      return { status: 200, json: { chatbots: chatbots.map(({ settings }) => settings) } }
    return { status: 200, json: { chatbots: { data: chatbots.map(liveChatbot), error: null } } }
  }

  // sourceText's plan character limit does not apply (the emulator has no plans). urlsToScrape, in the curl example
  // only, is read as a list of http(s) URLs (nothing is fetched); other undocumented fields are stripped
  private createChatbot({ body }: Context): Answer {
    const input = parseJsonObject(body)
    const issues: Issue[] = []
    check(issues, 'chatbotName', input.chatbotName, 'string', true)
    check(issues, 'sourceText', input.sourceText, 'string')
    const urls = readStringArray(issues, 'urlsToScrape', input.urlsToScrape) ?? []
    urls.forEach((url, index) => {
      if (typeof url === 'string' && !/^https?:\/\/[^\s/]+/i.test(url))
        issues.push({ field: `urlsToScrape.${index}`, message: 'Invalid url' })
    })
    if (issues.length > 0) throw invalid('Invalid request body', issues)

    const chatbotId = randomUUID()
    this.store.addChatbot(chatbotId, input.chatbotName as string)
    const { settings } = this.chatbots.known(chatbotId)
    settings.sourceText = (input.sourceText as string | undefined) ?? null
    settings.urlsToScrape = urls
    return { status: 200, json: { chatbotId } }
  }

  // sourceText replaces the chatbot's text when given; without it the text stays (the docs are silent)
  private updateChatbotData({ body }: Context): Answer {
    const input = parseJsonObject(body)
    const issues: Issue[] = []
    check(issues, 'chatbotId', input.chatbotId, 'string', true)
    check(issues, 'chatbotName', input.chatbotName, 'string', true)
    check(issues, 'sourceText', input.sourceText, 'string')
    if (issues.length > 0) throw invalid('Invalid request body', issues)

    const chatbotId = input.chatbotId as string
    const { settings } = this.chatbots.known(chatbotId)
    settings.name = input.chatbotName as string
    if (input.sourceText !== undefined) settings.sourceText = input.sourceText as string
    return { status: 200, json: { chatbotId } }
  }

  private updateChatbotSettings({ body }: Context): Answer {
    const input = parseJsonObject(body)
    const issues: Issue[] = []
    check(issues, 'chatbotId', input.chatbotId, 'string', true)
    const patch = readChatbotSettings(input, issues)
    if (issues.length > 0) throw invalid('Invalid request body', issues)

    const { settings } = this.chatbots.known(input.chatbotId as string)
    const { collectCustomerInformation: collect, styles, ...plain } = patch
    Object.assign(settings, plain)
    // nested objects are merged: the docs' Python example sends only collectCustomerInformation.name
    if (collect) {
      const current = settings.collectCustomerInformation
      if (collect.title !== undefined) current.title = collect.title
      for (const key of ['name', 'email', 'phone'] as const) Object.assign(current[key], collect[key])
    }
    if (styles) Object.assign(settings.styles, styles)
    // The docs name only "a success message" (status 202), of no stated format
    const message = 'Chatbot settings updated successfully'
    return this.store.shapes === 'live' ? { status: 202, text: message } : { status: 202, json: { message } }
  }

  // Removes the chatbot with its contacts, leads, custom attributes and saved conversations
  private deleteChatbot({ query }: Context): Answer {
    // A missing chatbotId is a 400, as the sibling delete-chatbot-icon page documents (this page is silent)
    if (!query.chatbotId) throw invalid('Invalid request parameters', [{ field: 'chatbotId', message: 'Required' }])
    const chatbotId = query.chatbotId
    this.store.known(chatbotId)
    this.store.deleteChatbot(chatbotId)
    return { status: 200, json: { message: 'Deleted successfully' } }
  }

  // multipart/form-data with chatbotId and the image file (the docs: square, under 1MB)
  private uploadImage(image: ChatbotImage, { parts }: Context): Answer {
    const { fileField, what } = IMAGES[image]
    if (!parts) throw invalid('Invalid request body', [{ field: 'body', message: 'Expected multipart/form-data' }])
    const issues: Issue[] = []
    const chatbotId = parts.find((part) => part.name === 'chatbotId')
    if (!chatbotId || !('value' in chatbotId) || chatbotId.value === '')
      issues.push({ field: 'chatbotId', message: 'Required' })
    const file = parts.find((part) => part.name === fileField)
    if (!file || !('bytes' in file)) issues.push({ field: fileField, message: 'Required' })
    else if (file.bytes.length >= MAX_IMAGE_BYTES)
      issues.push({ field: fileField, message: 'File size must be under 1MB' })
    else if (!isSquareOrNotPng(file.bytes))
      issues.push({ field: fileField, message: 'Image must be square (length = width)' })
    if (issues.length > 0) throw invalid('Invalid request body', issues)

    const chatbot = this.chatbots.known((chatbotId as { value: string }).value)
    const { fileName, contentType, bytes } = file as Extract<FormPart, { bytes: Buffer }>
    chatbot.images[image] = { fileName, contentType, bytes: Buffer.from(bytes) }
    return { status: 200, json: { message: `${what} uploaded successfully` } }
  }

  // chatbotId as a query parameter; deleting an image the chatbot does not have succeeds too (the docs are silent)
  private deleteImage(image: ChatbotImage, { query }: Context): Answer {
    if (!query.chatbotId) throw invalid('Invalid request parameters', [{ field: 'chatbotId', message: 'Required' }])
    delete this.chatbots.known(query.chatbotId).images[image]
    return { status: 200, json: { message: `${IMAGES[image].what} deleted successfully.` } }
  }
}

const IMAGES: Record<ChatbotImage, { fileField: string; what: string }> = {
  icon: { fileField: 'chatbotIconFile', what: 'Chatbot icon' },
  profilePicture: { fileField: 'profilePictureFile', what: 'Chatbot profile picture' },
}
// "under 1MB", read as 1,000,000 bytes, the stricter reading
const MAX_IMAGE_BYTES = 1_000_000

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])

// The docs ask for a square image; only PNG (width and height at the start of its IHDR chunk) is checked
function isSquareOrNotPng(bytes: Buffer): boolean {
  if (bytes.length < 24 || !bytes.subarray(0, 8).equals(PNG_SIGNATURE)) return true
  return bytes.readUInt32BE(16) === bytes.readUInt32BE(20)
}

type SettingsPatch = Partial<Omit<StoredChatbot, 'id' | 'sourceText' | 'collectCustomerInformation' | 'styles'>> & {
  collectCustomerInformation?: {
    title?: string
    name?: Partial<CollectedField>
    email?: Partial<CollectedField>
    phone?: Partial<CollectedField>
  }
  styles?: Partial<StoredChatbot['styles']>
}

// The documented update-chatbot-settings fields, all optional; any other field is stripped (the docs are silent).
// Values that fail a check are left out, and the caller answers 400 whenever `issues` is not empty.
// Counts and durations (ipLimit, ipLimitTimeframe, autoOpenChatWindowAfter) must be >= 0 (the docs give no range).
function readChatbotSettings(input: Json, issues: Issue[]): SettingsPatch {
  const patch: SettingsPatch = {}
  for (const key of ['name', 'instructions', 'ipLimitMessage'] as const) {
    if (check(issues, key, input[key], 'string')) patch[key] = input[key] as string
  }
  for (const key of ['initialMessages', 'suggestedMessages', 'domains'] as const) {
    const strings = readStringArray(issues, key, input[key])
    if (strings) patch[key] = strings
  }
  const visibility = readEnum(issues, 'visibility', input.visibility, ['private', 'public'] as const)
  if (visibility) patch.visibility = visibility
  if (check(issues, 'onlyAllowOnAddedDomains', input.onlyAllowOnAddedDomains, 'boolean')) {
    patch.onlyAllowOnAddedDomains = input.onlyAllowOnAddedDomains as boolean
  }
  for (const key of ['ipLimit', 'ipLimitTimeframe'] as const) {
    const value = readInteger(issues, key, input[key], 0)
    if (value !== undefined) patch[key] = value
  }
  const model = readEnum(issues, 'model', input.model, MODELS)
  if (model) patch.model = model
  if (check(issues, 'temp', input.temp, 'number')) {
    checkRange(issues, 'temp', input.temp as number, 0, 1)
    patch.temp = input.temp as number
  }

  // Every sub-field is optional and merged into what is stored (the docs mark none as required)
  if (check(issues, 'collectCustomerInformation', input.collectCustomerInformation, 'object')) {
    const collect = input.collectCustomerInformation as Json
    const read: NonNullable<SettingsPatch['collectCustomerInformation']> = {}
    if (check(issues, 'collectCustomerInformation.title', collect.title, 'string')) read.title = collect.title as string
    for (const key of ['name', 'email', 'phone'] as const) {
      const at = `collectCustomerInformation.${key}`
      if (!check(issues, at, collect[key], 'object')) continue
      const { label, active } = collect[key] as Json
      const field: Partial<CollectedField> = {}
      if (check(issues, `${at}.label`, label, 'string')) field.label = label as string
      if (check(issues, `${at}.active`, active, 'boolean')) field.active = active as boolean
      read[key] = field
    }
    patch.collectCustomerInformation = read
  }

  if (check(issues, 'styles', input.styles, 'object')) {
    const styles = input.styles as Json
    const read: NonNullable<SettingsPatch['styles']> = {}
    const theme = readEnum(issues, 'styles.theme', styles.theme, ['dark', 'light'] as const)
    if (theme) read.theme = theme
    // "Hex format": #RGB or #RRGGBB (the docs' example is #3B81F7)
    for (const key of ['userMessageColor', 'buttonColor'] as const) {
      if (!check(issues, `styles.${key}`, styles[key], 'string')) continue
      if (/^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/.test(styles[key] as string)) read[key] = styles[key] as string
      else issues.push({ field: `styles.${key}`, message: 'Invalid hex color, expected e.g. #3B81F7' })
    }
    if (check(issues, 'styles.displayName', styles.displayName, 'string'))
      read.displayName = styles.displayName as string
    const after = readInteger(issues, 'styles.autoOpenChatWindowAfter', styles.autoOpenChatWindowAfter, 0)
    if (after !== undefined) read.autoOpenChatWindowAfter = after
    const align = readEnum(issues, 'styles.alignChatButton', styles.alignChatButton, ['left', 'right'] as const)
    if (align) read.alignChatButton = align
    patch.styles = read
  }
  return patch
}

// A chatbot as the emulator starts it. The docs give no defaults: these are the docs' example values where there is
// one (initial message, IP limit, colors, the /chat example's model), otherwise off / empty; temp 0 like /chat.
function newChatbotState(id: string, name: string): ChatbotState {
  const settings: StoredChatbot = {
    id,
    name,
    sourceText: null,
    urlsToScrape: [],
    instructions: '',
    initialMessages: ['Hi! What can I help you with?'],
    suggestedMessages: [],
    visibility: 'private',
    onlyAllowOnAddedDomains: false,
    domains: [],
    ipLimit: 20,
    ipLimitTimeframe: 240,
    ipLimitMessage: 'Too many messages in a row',
    model: 'gpt-4o-mini',
    temp: 0,
    collectCustomerInformation: {
      title: 'Let us know how to contact you',
      name: { label: 'Name', active: false },
      email: { label: 'Email', active: false },
      phone: { label: 'Phone', active: false },
    },
    styles: {
      theme: 'light',
      userMessageColor: '#3B81F7',
      buttonColor: '#3B81F7',
      displayName: name,
      autoOpenChatWindowAfter: 0,
      alignChatButton: 'right',
    },
  }
  return { settings, createdAt: new Date().toISOString(), images: {} }
}

const snakeCase = (name: string): string => name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`)

// A chatbot as the live get-chatbots lists it: top-level parameters in snake_case, with created_at (nested objects
// keep their keys: nothing seen live says otherwise)
function liveChatbot({ settings, createdAt }: ChatbotState): Json {
  const { id, name, ...rest } = settings
  return {
    id,
    name,
    created_at: createdAt,
    ...Object.fromEntries(Object.entries(rest).map(([key, value]) => [snakeCase(key), value])),
  }
}
