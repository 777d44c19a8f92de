import { z } from '@botpress/sdk'
import { FILE_SOURCE_LIMIT_BYTES, FILE_SOURCE_TYPES, megabytes, SOURCE_TEXT_MAX_LENGTH } from '../constants'
import { chatbotIdOverride, cursorInput, cursorItemsLimit, cursorOutput, pathSafeId } from '../fields'

/** How long a card waiting for training waits between two reads of the source. */
export const TRAINING_POLL_MS = 2_000

/** Chatbase's limits on what a source holds (API v2 §7.5). */
export const MAX_NAME_LENGTH = 100
export const MAX_QUESTIONS = 50
/** A Q&A request's body: "≤ 4.5 MB", read as 4,500,000 bytes of JSON. */
export const MAX_QNA_BODY_BYTES = 4_500_000

const SOURCE_TYPES = ['link', 'file', 'qna', 'notionPage', 'text'] as const
const LINK_TYPES = ['individual', 'sitemap', 'crawl'] as const
const FILE_EXTENSIONS = Object.keys(FILE_SOURCE_TYPES)
  .map((extension) => `.${extension}`)
  .join(', ')

export const sourceSchema = z
  .object({
    id: z.string().title('Source ID').describe('Chatbase id of the source.'),
    type: z.string().title('Type').describe('link, file, qna, notionPage or text.'),
    // A union, not .nullable(): Studio reads a nullable field's title and description from its inner type only
    name: z
      .union([z.string(), z.null()])
      .title('Name')
      .describe('Name of the source; a link source is named by its URL.'),
    size: z.number().title('Size (bytes)').describe('How many bytes of knowledge the source holds.'),
    status: z
      .string()
      .title('Status')
      .describe(
        'Training status: untrained, trained, updated (retraining after a change), failed (the last training did not land; an earlier trained version stays live), toBeDeleted or deleted.'
      ),
    createdAt: z.string().title('Created At').describe('When the source was added (ISO 8601).'),
    metadata: z
      .union([z.record(z.any()), z.null()])
      .title('Link Metadata')
      .describe('For a link: its linkType (as type), paths, slowScraping, crawlStatus and children; null otherwise.'),
  })
  .title('Source')
  .describe('A knowledge source of the AI agent.')

const typeCount = (title: string, what: string) =>
  z
    .object({
      count: z.number().title('Count').describe('How many sources of this type.'),
      size: z.number().title('Size (bytes)').describe('Their size together.'),
    })
    .optional()
    .title(title)
    .describe(`How many ${what} sources the agent has, and their size.`)

const sourceIdInput = pathSafeId().title('Source ID').describe('Id of the source, e.g. from List Sources.')

const waitUntilTrained = z
  .boolean()
  .default(false)
  .title('Wait Until Trained')
  .describe(
    `True to read the source every ${TRAINING_POLL_MS / 1000} s until its training ends (trained or failed) or the card's time ("Timeout (seconds)") runs out; Training says which. Training starts on its own either way.`
  )

const trainingSchema = z
  .object({
    outcome: z
      .enum(['trained', 'failed', 'unfinished'])
      .title('Outcome')
      .describe(
        'trained, failed, or unfinished when the card had to stop waiting (its time ran out, or reading the source failed: see Note).'
      ),
    checks: z.number().title('Checks').describe('How many times the source was read while waiting.'),
    note: z.string().optional().title('Note').describe('Why the wait stopped before training ended.'),
  })
  .optional()
  .title('Training')
  .describe('Only with Wait Until Trained: how the wait ended. Source shows the last status read.')

const sourceOutput = z.object({ source: sourceSchema, training: trainingSchema })

const nameInput = z.string().min(1).max(MAX_NAME_LENGTH)
const textContent = z.string().min(1).max(SOURCE_TEXT_MAX_LENGTH)
const questionsInput = z.array(z.string().min(1)).min(1).max(MAX_QUESTIONS)
const answerInput = z.string().min(1)
const paths = (title: string, description: string) =>
  z.array(z.string().min(1)).optional().title(title).describe(description)
const excludePaths = paths('Exclude Paths', 'Regular expressions of URL paths to leave out, e.g. ^/blog/.')
const includeOnlyPaths = paths('Include Only Paths', 'Regular expressions of the only URL paths to read, e.g. ^/docs/.')
const slowScraping = z
  .boolean()
  .optional()
  .title('Slow Scraping')
  .describe('True to read the site slowly, for sites that refuse fast crawlers.')
const fileUrl = z
  .string()
  .url()
  .regex(/^https:\/\//i, 'must be an https:// URL, e.g. a Botpress file URL')
  .title('File URL')
  .describe(
    `https URL of the file, e.g. a Botpress file URL: ${FILE_EXTENSIONS}, under ${megabytes(FILE_SOURCE_LIMIT_BYTES)}. Its type is told by the file name's extension in the URL, or by the content type its host sends when the name has none.`
  )

export const sourceActions = {
  listSources: {
    title: 'List Sources',
    description:
      "List the AI agent's knowledge sources (text, Q&A, links, files, Notion pages) in Chatbase's order: one page, or every page up to a Limit.",
    input: {
      schema: z.object({
        type: z
          .array(z.enum(SOURCE_TYPES))
          .optional()
          .title('Types')
          .describe('Only sources of these types: link, file, qna, notionPage, text.'),
        name: z.string().min(1).optional().title('Name').describe('Only sources whose name contains this (any case).'),
        cursor: cursorInput,
        limit: cursorItemsLimit('sources'),
        chatbotId: chatbotIdOverride,
      }),
    },
    output: {
      schema: z.object({
        sources: z.array(sourceSchema).title('Sources').describe('The sources read.'),
        ...cursorOutput,
      }),
    },
  },
  getSource: {
    title: 'Get Source',
    description: 'Read one knowledge source of the AI agent: its type, size and training status.',
    input: { schema: z.object({ sourceId: sourceIdInput, chatbotId: chatbotIdOverride }) },
    output: { schema: z.object({ source: sourceSchema }) },
  },
  getSourcesSummary: {
    title: 'Get Sources Summary',
    description: 'How many sources of each type the AI agent has and their size, and whether it should be retrained.',
    input: { schema: z.object({ chatbotId: chatbotIdOverride }) },
    output: {
      schema: z.object({
        summary: z
          .object({
            links: typeCount('Links', 'link'),
            files: typeCount('Files', 'file'),
            qnas: typeCount('Q&As', 'Q&A'),
            notionPages: typeCount('Notion Pages', 'Notion page'),
            texts: typeCount('Texts', 'text'),
            zendeskTickets: typeCount('Zendesk Tickets', 'Zendesk ticket'),
            salesforceCases: typeCount('Salesforce Cases', 'Salesforce case'),
            shouldRetrain: z
              .boolean()
              .optional()
              .title('Should Retrain')
              .describe('True when sources changed since the agent was last trained.'),
          })
          .title('Summary')
          .describe(
            'Per source type, its count and size in bytes; Should Retrain when sources changed since training.'
          ),
      }),
    },
  },
  addTextSource: {
    title: 'Add Text Source',
    description:
      'Teach the AI agent a text: it becomes a knowledge source, and Chatbase trains the agent on it by itself.',
    input: {
      schema: z.object({
        name: nameInput.title('Name').describe(`Name of the source, up to ${MAX_NAME_LENGTH} characters.`),
        content: textContent
          .title('Content')
          .describe(`The text, up to ${SOURCE_TEXT_MAX_LENGTH.toLocaleString('en-US')} characters.`),
        waitUntilTrained,
        chatbotId: chatbotIdOverride,
      }),
    },
    output: { schema: sourceOutput },
  },
  addQnaSource: {
    title: 'Add Q&A Source',
    description: 'Teach the AI agent an answer to one or more ways of asking a question.',
    input: {
      schema: z.object({
        name: nameInput.title('Name').describe(`Name of the source, up to ${MAX_NAME_LENGTH} characters.`),
        questions: questionsInput
          .title('Questions')
          .describe(`Ways of asking the question, 1 to ${MAX_QUESTIONS}, e.g. "What are your opening hours?".`),
        answer: answerInput.title('Answer').describe('The answer the agent should give.'),
        waitUntilTrained,
        chatbotId: chatbotIdOverride,
      }),
    },
    output: { schema: sourceOutput },
  },
  addLinkSource: {
    title: 'Add Link Source',
    description:
      'Teach the AI agent a web page, a sitemap or a whole site (crawl). Chatbase refuses a URL the agent already has with the same link type.',
    input: {
      schema: z.object({
        url: z
          .string()
          .url()
          .regex(/^https?:\/\//i, 'must be an http:// or https:// URL')
          .title('URL')
          .describe('The page, sitemap or site, e.g. https://www.example.com/faq.'),
        linkType: z
          .enum(LINK_TYPES)
          .default('individual')
          .title('Link Type')
          .describe('individual (this page only, the default), sitemap (the pages it lists) or crawl (the site).'),
        excludePaths,
        includeOnlyPaths,
        slowScraping,
        waitUntilTrained,
        chatbotId: chatbotIdOverride,
      }),
    },
    output: { schema: sourceOutput },
  },
  addFileSource: {
    title: 'Add File Source',
    description: `Teach the AI agent a document from an https URL (a Botpress file URL works): ${FILE_EXTENSIONS} under ${megabytes(FILE_SOURCE_LIMIT_BYTES)}, told by the file name's extension or else its content type, and checked before anything is sent to Chatbase.`,
    input: {
      schema: z.object({
        name: z.string().min(1).title('Name').describe('Name of the source, e.g. Employee Handbook.'),
        fileUrl,
        waitUntilTrained,
        chatbotId: chatbotIdOverride,
      }),
    },
    output: { schema: sourceOutput },
  },
  updateSource: {
    title: 'Update Source',
    description:
      "Change a source with the fields of its type: a text's Name and Content, a Q&A's Name, Questions and Answer, a link's paths and Slow Scraping (its URL cannot change), a file's Name and File URL. Only the fields given change; Chatbase retrains the agent by itself.",
    input: {
      schema: z.object({
        sourceId: sourceIdInput,
        name: nameInput.optional().title('Name').describe('New name (text, Q&A or file source).'),
        content: textContent.optional().title('Content').describe('New text (text source).'),
        questions: questionsInput.optional().title('Questions').describe('New questions (Q&A source).'),
        answer: answerInput.optional().title('Answer').describe('New answer (Q&A source).'),
        excludePaths,
        includeOnlyPaths,
        slowScraping,
        fileUrl: fileUrl.optional(),
        waitUntilTrained,
        chatbotId: chatbotIdOverride,
      }),
    },
    output: { schema: sourceOutput },
  },
  deleteSource: {
    title: 'Delete Source',
    description: 'Remove a knowledge source: the AI agent stops using it at once. It cannot be restored.',
    input: { schema: z.object({ sourceId: sourceIdInput, chatbotId: chatbotIdOverride }) },
    output: {
      schema: z.object({
        sourceId: z.string().title('Source ID').describe('Id of the deleted source.'),
        source: sourceSchema
          .optional()
          .describe(
            'The source as Chatbase reported it, with status deleted or toBeDeleted; absent when the answer was lost and the source is already gone.'
          ),
      }),
    },
  },
} as const
