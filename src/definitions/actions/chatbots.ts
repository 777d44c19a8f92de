import { z } from '@botpress/sdk'
import { IMAGE_UPLOAD_LIMIT_BYTES, MANAGED_TEXT_SOURCE_NAME, SOURCE_TEXT_MAX_LENGTH, megabytes } from '../constants'
import { chatbotIdOverride, pathSafeId, temperature } from '../fields'

const hexColor = (title: string, description: string) =>
  z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/, 'must be a hex colour such as #3B81F7')
    .optional()
    .title(title)
    .describe(description)

const collectedField = (title: string, what: string) =>
  z
    .object({
      label: z.string().title('Label').describe(`Label of the ${what} field in the lead form.`),
      active: z.boolean().title('Active').describe(`True to ask visitors for their ${what}.`),
    })
    .optional()
    .title(title)
    .describe(`Whether and how the lead form asks for the ${what}.`)

export const chatbotSchema = z.object({
  id: z.string().title('Agent ID').describe('Chatbase id of the AI agent.'),
  name: z.string().optional().title('Name').describe('Name of the AI agent.'),
  createdAt: z
    .string()
    .optional()
    .title('Created At')
    .describe('When the AI agent was created, as Chatbase reports it.'),
  model: z
    .string()
    .optional()
    .title('Model')
    .describe('The AI model the agent uses, any name Chatbase gives (retired ones included).'),
  visibility: z.string().optional().title('Visibility').describe('private or public.'),
  instructions: z.string().optional().title('Instructions').describe("The AI agent's instructions (base prompt)."),
  settings: z
    .record(z.any())
    .title('Other Parameters')
    .describe(
      'Every other parameter Chatbase returned for the AI agent, under its own names, e.g. styles, initialMessages, temp, status, autoRetrain or creditsUsed.'
    ),
})

const chatbotIdOutput = z.object({ chatbotId: z.string().title('Agent ID').describe('ID of the AI agent.') })

const pendingStepsOutput = z
  .array(z.string())
  .optional()
  .title('Pending Steps')
  .describe(
    'What Chatbase could not do yet, the AI agent being created anyway (API v2): ADD_SOURCE (a web page or the source text was not added: add it again), TRAIN_AGENT (training did not start). Absent when everything was done.'
  )

const pendingStepErrorsOutput = z
  .array(z.string())
  .optional()
  .title('Pending Step Errors')
  .describe('Why each source the card itself added could not be added, when one could not.')

/** A model name: Chatbase's list changes often, so any name is passed on and Chatbase says if it does not take it. */
const modelInput = (description: string) => z.string().min(1).optional().title('Model').describe(description)

const visibilityInput = z.enum(['private', 'public']).optional().title('Visibility').describe('private or public.')

/** v2's colours: #RGB or #RRGGBB, either case. */
const v2Color = (title: string, description: string) =>
  z
    .string()
    .regex(/^#([0-9a-fA-F]{3}){1,2}$/, 'must be a hex colour such as #3B81F7 or #38F')
    .optional()
    .title(title)
    .describe(description)

const optionalText = (title: string, description: string, max?: number) =>
  (max === undefined ? z.string() : z.string().max(max)).optional().title(title).describe(description)

const optionalFlag = (title: string, description: string) => z.boolean().optional().title(title).describe(description)

/** One of the suggested messages of v2, for the center stage: a message, with its place in the list. */
const suggestedMessagesInput = z
  .array(z.string().min(1))
  .optional()
  .title('Suggested Messages')
  .describe('Messages offered above the text input, in this order.')

const chatStylesInput = z
  .object({
    theme: z.enum(['light', 'dark']).optional().title('Theme').describe('light or dark.'),
    headerColor: v2Color('Header Colour', 'Colour of the chat header, e.g. #3B81F7.'),
    userMessageColor: v2Color('User Message Colour', 'Colour of the visitor messages, e.g. #3B81F7.'),
    buttonColor: z
      .union([
        z.string().regex(/^#([0-9a-fA-F]{3}){1,2}$/, 'must be a hex colour such as #3B81F7'),
        z.literal('transparent'),
      ])
      .optional()
      .title('Button Colour')
      .describe('Colour of the chat bubble button, e.g. #3B81F7, or transparent.'),
    displayName: optionalText('Display Name', 'Name shown in the chat window, up to 100 characters.', 100),
    autoOpenChatWindowAfter: z
      .number()
      .min(0)
      .optional()
      .title('Auto Open After')
      .describe('Open the chat window by itself after this many seconds.'),
    alignChatButton: z.enum(['left', 'right']).optional().title('Chat Button Side').describe('left or right.'),
    messagePlaceholder: optionalText(
      'Message Placeholder',
      'Placeholder of the text input, up to 200 characters.',
      200
    ),
    footer: optionalText('Footer', 'Text under the chat window, up to 500 characters.', 500),
    dismissableNotice: optionalText(
      'Dismissable Notice',
      'Notice the visitor can close, up to 500 characters; empty hides it.',
      500
    ),
    showFeedback: optionalFlag('Show Feedback', 'True to let visitors rate answers.'),
    showCopyButton: optionalFlag('Show Copy Button', 'True to show a button copying an answer.'),
    showDictation: optionalFlag('Show Dictation', 'True to let visitors dictate.'),
    showAttachments: optionalFlag('Show Attachments', 'True to let visitors attach files.'),
    showVoiceMode: optionalFlag('Show Voice Mode', 'True to offer voice mode.'),
  })
  .optional()
  .title('Chat Widget')
  .describe('Look of the chat widget; only the fields you fill in change.')

const centerStageStylesInput = z
  .object({
    enabled: optionalFlag('Enabled', 'True to turn the center stage (full-page chat) on.'),
    theme: z.enum(['light', 'dark']).optional().title('Theme').describe('light or dark.'),
    displayName: optionalText('Display Name', 'Name shown, up to 100 characters.', 100),
    welcomeMessage: optionalText('Welcome Message', 'First message shown, up to 500 characters.', 500),
    messagePlaceholder: optionalText(
      'Message Placeholder',
      'Placeholder of the text input, up to 200 characters.',
      200
    ),
    dismissableNotice: optionalText('Dismissable Notice', 'Notice the visitor can close, up to 500 characters.', 500),
    footer: optionalText('Footer', 'Text under the chat, up to 500 characters.', 500),
    suggestedMessages: suggestedMessagesInput,
    buttonColor: v2Color('Button Colour', 'Colour of the buttons, e.g. #3B81F7.'),
    headerColor: v2Color('Header Colour', 'Colour of the header, e.g. #3B81F7.'),
    userMessageColor: v2Color('User Message Colour', 'Colour of the visitor messages, e.g. #3B81F7.'),
    width: z.enum(['small', 'medium', 'large']).optional().title('Width').describe('small, medium or large.'),
    showChatBubble: optionalFlag('Show Chat Bubble', 'True to show the chat bubble too.'),
    showAttachments: optionalFlag('Show Attachments', 'True to let visitors attach files.'),
    showDictation: optionalFlag('Show Dictation', 'True to let visitors dictate.'),
    showVoiceMode: optionalFlag('Show Voice Mode', 'True to offer voice mode.'),
    showCopyButton: optionalFlag('Show Copy Button', 'True to show a button copying an answer.'),
    showFeedback: optionalFlag('Show Feedback', 'True to let visitors rate answers.'),
    showDataSource: optionalFlag('Show Data Source', 'True to show where an answer comes from.'),
    closeOnOutsideClick: optionalFlag('Close On Outside Click', 'True to close the chat on a click outside it.'),
  })
  .optional()
  .title('Center Stage')
  .describe('Look of the center stage (full-page chat); only the fields you fill in change.')

/** The settings API v2 adds that v1 cannot set, each with the value that removes it (sent as null). */
export const CLEARABLE_AGENT_SETTINGS = [
  'allowedDomains',
  'creditLimit',
  'notificationsSettings',
  'spamSettings',
  'blockedCountries',
] as const

const dailyNotification = (title: string, what: string) =>
  z
    .object({
      active: z.boolean().title('Active').describe(`True to email ${what} every day.`),
      emails: z.array(z.string().email()).max(10).title('Emails').describe('Up to 10 addresses to send it to.'),
    })
    .title(title)
    .describe(`The daily email of ${what}.`)

const imageUpload = (title: string, image: string) => ({
  title,
  description: `Set the AI agent's ${image} from a file at an https URL (a Botpress file URL or any other): a square image under ${megabytes(IMAGE_UPLOAD_LIMIT_BYTES)}.`,
  input: {
    schema: z.object({
      fileUrl: z
        .string()
        .url()
        .regex(/^https:\/\//i, 'must be an https:// URL, e.g. a Botpress file URL')
        .title('File URL')
        .describe(
          `https URL of the image, e.g. a Botpress file URL. Downloaded by the integration; refused from ${megabytes(IMAGE_UPLOAD_LIMIT_BYTES)} on.`
        ),
      chatbotId: chatbotIdOverride,
    }),
  },
  output: {
    schema: chatbotIdOutput.extend({
      fileName: z.string().title('File Name').describe('The name the file was uploaded under, from the URL.'),
      size: z.number().title('Size (bytes)').describe('How many bytes were uploaded.'),
    }),
  },
})

const imageDeletion = (title: string, image: string) => ({
  title,
  description: `Remove the AI agent's ${image}.`,
  input: { schema: z.object({ chatbotId: chatbotIdOverride }) },
  output: { schema: chatbotIdOutput },
})

export const chatbotActions = {
  listChatbots: {
    title: 'List Agents',
    description: 'List every AI agent of the Chatbase workspace the API key belongs to.',
    input: { schema: z.object({}) },
    output: {
      schema: z.object({
        chatbots: z.array(chatbotSchema).title('AI Agents').describe('The AI agents of the workspace.'),
      }),
    },
  },
  getAgent: {
    title: 'Get Agent',
    description:
      'Read one AI agent: its name, model, instructions, and every other setting Chatbase gives (styles, status, credits used…). Needs Chatbase API v2 (Standard plan or higher).',
    input: { schema: z.object({ chatbotId: chatbotIdOverride }) },
    output: { schema: z.object({ agent: chatbotSchema.title('AI Agent').describe('The AI agent.') }) },
  },
  createChatbot: {
    title: 'Create Agent',
    description: `Create a new Chatbase AI agent, trained on the text and web pages you give. On Chatbase API v2 the agent is created first and each source added after it: a source that cannot be added is reported in Pending Steps, the agent being created anyway. Instructions, Model, Temperature and Visibility need API v2 (refused on v1: set them there with Update Agent Settings).`,
    input: {
      schema: z.object({
        chatbotName: z
          .string()
          .min(1)
          .max(100)
          .title('Name')
          .describe('Name of the new AI agent, up to 100 characters.'),
        sourceText: z
          .string()
          .min(1)
          .max(SOURCE_TEXT_MAX_LENGTH)
          .optional()
          .title('Source Text')
          .describe(
            `Text the AI agent learns from, up to ${SOURCE_TEXT_MAX_LENGTH.toLocaleString('en-US')} characters; limited by the Chatbase plan. On API v2 it becomes the text source "${MANAGED_TEXT_SOURCE_NAME}", which Update Agent Data replaces.`
          ),
        urlsToScrape: z
          .array(
            z
              .string()
              .url()
              .regex(/^https?:\/\//i, 'must be an http:// or https:// URL')
          )
          .optional()
          .title('URLs to Scrape')
          .describe(
            'Web pages Chatbase reads for the AI agent to learn from, e.g. https://www.example.com/faq (on API v2, each a link source).'
          ),
        url: z
          .string()
          .url()
          .regex(/^https?:\/\//i, 'must be an http:// or https:// URL')
          .optional()
          .title('Website URL')
          .describe(
            'Homepage of the website the AI agent learns from, e.g. https://www.example.com (on API v1, read like a URL to scrape).'
          ),
        instructions: z
          .string()
          .optional()
          .title('Instructions')
          .describe('How the AI agent should behave (its base prompt). API v2.'),
        model: modelInput('The AI model, e.g. gpt-4o-mini; Chatbase refuses one it does not offer. API v2.'),
        temp: temperature('Randomness of answers, from 0 (focused) to 1 (creative). API v2.'),
        visibility: visibilityInput.describe('private (the default) or public. API v2.'),
      }),
    },
    output: {
      schema: chatbotIdOutput.extend({ pendingSteps: pendingStepsOutput, pendingStepErrors: pendingStepErrorsOutput }),
    },
  },
  cloneAgent: {
    title: 'Clone Agent',
    description:
      'Copy an AI agent, with its settings and sources (Notion pages excepted), into a new independent AI agent. Needs Chatbase API v2 (Standard plan or higher). Not repeated after a failure that may have reached Chatbase, so that no second copy is made: check the agents before trying again.',
    input: { schema: z.object({ chatbotId: chatbotIdOverride }) },
    output: {
      schema: z.object({
        chatbotId: z.string().title('Agent ID').describe('ID of the new AI agent.'),
        clonedFrom: z.string().title('Cloned From').describe('ID of the AI agent that was copied.'),
        pendingSteps: pendingStepsOutput,
      }),
    },
  },
  updateChatbotData: {
    title: 'Update Agent Data',
    description: `Rename an AI agent and replace the text it learned from. On Chatbase API v1 the text replaces all the agent's data; on API v2 it replaces the text source "${MANAGED_TEXT_SOURCE_NAME}" that Create Agent and this card manage (added if the agent has none), leaving the agent's other sources alone.`,
    input: {
      schema: z.object({
        chatbotName: z
          .string()
          .min(1)
          .max(100)
          .title('Name')
          .describe('New name of the AI agent, up to 100 characters.'),
        sourceText: z
          .string()
          .min(1)
          .max(SOURCE_TEXT_MAX_LENGTH)
          .optional()
          .title('Source Text')
          .describe(
            `Text that replaces what the AI agent learned from, up to ${SOURCE_TEXT_MAX_LENGTH.toLocaleString('en-US')} characters.`
          ),
        chatbotId: chatbotIdOverride,
      }),
    },
    output: { schema: chatbotIdOutput },
  },
  updateChatbotSettings: {
    title: 'Update Agent Settings',
    description: `Change an AI agent's settings; only the fields you fill in change, and at least one is needed. On Chatbase API v2, Styles go to the agent's chat widget styles and the Lead Form, which v2 lacks, goes through API v1. ${CLEARABLE_AGENT_SETTINGS.join(', ')} and Clear Settings need API v2 (refused on v1).`,
    input: {
      schema: z.object({
        name: z.string().min(1).max(100).optional().title('Name').describe('New name of the AI agent.'),
        instructions: z
          .string()
          .optional()
          .title('Instructions')
          .describe('The base prompt: how the AI agent should behave.'),
        initialMessages: z
          .array(z.string())
          .optional()
          .title('Initial Messages')
          .describe('Messages the AI agent greets visitors with.'),
        suggestedMessages: z
          .array(z.string())
          .optional()
          .title('Suggested Messages')
          .describe('Messages offered above the text input.'),
        visibility: z.enum(['private', 'public']).optional().title('Visibility').describe('private or public.'),
        onlyAllowOnAddedDomains: z
          .boolean()
          .optional()
          .title('Only On Added Domains')
          .describe(
            'True to allow the widget and iframe only on the listed domains (API v1; on v2, false removes the allow-list and true needs Domains).'
          ),
        domains: z
          .array(z.string())
          .optional()
          .title('Domains')
          .describe('Domains allowed to show the AI agent (on API v2 they become its Allowed Domains).'),
        ipLimit: z
          .number()
          .int()
          .min(0)
          .optional()
          .title('IP Limit')
          .describe('Messages one device may send per IP Limit Timeframe (API v2 takes 1 to 200).'),
        ipLimitTimeframe: z
          .number()
          .int()
          .min(0)
          .optional()
          .title('IP Limit Timeframe')
          .describe('The timeframe of IP Limit, in seconds (API v2 takes 1 to 3600).'),
        ipLimitMessage: z
          .string()
          .optional()
          .title('IP Limit Message')
          .describe('Shown when a device goes over the IP limit.'),
        model: modelInput('The AI model, e.g. gpt-4o-mini; Chatbase refuses one it does not offer.'),
        temperature: temperature('Randomness of answers, from 0 (focused) to 1 (creative).'),
        collectCustomerInformation: z
          .object({
            title: z
              .string()
              .optional()
              .title('Title')
              .describe('Title of the lead form, e.g. "Let us know how to contact you".'),
            name: collectedField('Name', 'name'),
            email: collectedField('Email', 'email'),
            phone: collectedField('Phone', 'phone number'),
          })
          .optional()
          .title('Lead Form')
          .describe('What the lead form asks visitors for (always set through API v1, which alone has it).'),
        styles: z
          .object({
            theme: z.enum(['dark', 'light']).optional().title('Theme').describe('dark or light.'),
            userMessageColor: hexColor('User Message Colour', 'Colour of the visitor messages, e.g. #3B81F7.'),
            buttonColor: hexColor('Button Colour', 'Colour of the chat bubble button, e.g. #3B81F7.'),
            displayName: z.string().optional().title('Display Name').describe('Name shown in the chat window.'),
            autoOpenChatWindowAfter: z
              .number()
              .int()
              .min(0)
              .optional()
              .title('Auto Open After')
              .describe('Open the chat window by itself after this many seconds.'),
            alignChatButton: z.enum(['left', 'right']).optional().title('Chat Button Side').describe('left or right.'),
          })
          .optional()
          .title('Styles')
          .describe('Look of the chat widget (for every style of API v2, use Update Agent Styles).'),
        allowedDomains: z
          .array(z.string().min(1))
          .optional()
          .title('Allowed Domains')
          .describe('The only domains that may embed the AI agent. API v2; not together with Domains.'),
        creditLimit: z
          .number()
          .int()
          .min(0)
          .optional()
          .title('Credit Limit')
          .describe(
            "Most message credits the AI agent may use a month. API v2; Clear Settings' creditLimit removes it."
          ),
        notificationsSettings: z
          .object({
            dailyLeadsCollected: dailyNotification('Daily Leads Collected', 'the leads collected'),
            dailyConversations: dailyNotification('Daily Conversations', 'the conversations'),
          })
          .optional()
          .title('Notifications')
          .describe('The daily emails, both to be given. API v2.'),
        spamSettings: z
          .object({
            enabled: z.boolean().title('Enabled').describe('True to pause conversations found to be spam.'),
            prompt: z.string().max(2000).title('Prompt').describe('What counts as spam, up to 2000 characters.'),
          })
          .optional()
          .title('Spam Filter')
          .describe('Spam detection. API v2.'),
        blockedCountries: z
          .array(z.string().regex(/^[A-Za-z]{2}$/, 'must be a two-letter country code (ISO 3166), e.g. FR'))
          .max(300)
          .optional()
          .title('Blocked Countries')
          .describe(
            'Countries whose visitors may not chat, as two-letter codes (ISO 3166), e.g. FR, at most 300. API v2.'
          ),
        clearSettings: z
          .array(z.enum(CLEARABLE_AGENT_SETTINGS))
          .default([])
          .title('Clear Settings')
          .describe(
            `Settings to remove (API v2): ${CLEARABLE_AGENT_SETTINGS.join(', ')}. A field left blank keeps its value, so list here the ones to remove; a setting cannot be both set and removed.`
          ),
        chatbotId: chatbotIdOverride,
      }),
    },
    output: { schema: chatbotIdOutput },
  },
  updateAgentStyles: {
    title: 'Update Agent Styles',
    description:
      "Change how the AI agent's chat widget and center stage (full-page chat) look; only the fields you fill in change, and at least one is needed. Needs Chatbase API v2 (Standard plan or higher).",
    input: {
      schema: z.object({ chat: chatStylesInput, centerStage: centerStageStylesInput, chatbotId: chatbotIdOverride }),
    },
    output: { schema: chatbotIdOutput },
  },
  setAutoRetrain: {
    title: 'Set Auto-Retrain',
    description:
      'Turn on or off retraining the AI agent every 7 days, so that it picks up changes in its sources. The agent must have been trained once. Needs Chatbase API v2 and the Standard plan or higher.',
    input: {
      schema: z.object({
        enabled: z.boolean().title('Enabled').describe('True to retrain every 7 days, false to stop.'),
        chatbotId: chatbotIdOverride,
      }),
    },
    output: {
      schema: chatbotIdOutput.extend({
        enabled: z.boolean().title('Enabled').describe('Whether auto-retrain is now on.'),
      }),
    },
  },
  uploadChatbotIcon: imageUpload('Upload Agent Icon', 'icon'),
  uploadChatbotProfilePicture: imageUpload('Upload Agent Profile Picture', 'profile picture'),
  deleteChatbotIcon: imageDeletion('Delete Agent Icon', 'icon'),
  deleteChatbotProfilePicture: imageDeletion('Delete Agent Profile Picture', 'profile picture'),
  deleteChatbot: {
    title: 'Delete Agent',
    description:
      'Delete an AI agent for good, with its sources (on API v2 its integrations are disconnected too). The Agent ID must be given: it never defaults to the configured one.',
    input: {
      schema: z.object({ chatbotId: pathSafeId().title('Agent ID').describe('ID of the AI agent to delete.') }),
    },
    output: { schema: chatbotIdOutput },
  },
} as const
