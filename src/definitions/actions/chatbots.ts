import { z } from '@botpress/sdk'
import { IMAGE_UPLOAD_LIMIT_BYTES, megabytes } from '../constants'
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
  id: z.string().title('Chatbot ID').describe('Chatbase id of the chatbot.'),
  name: z.string().optional().title('Name').describe('Name of the chatbot.'),
  createdAt: z
    .string()
    .optional()
    .title('Created At')
    .describe('When the chatbot was created, as Chatbase reports it.'),
  model: z.string().optional().title('Model').describe('The AI model the chatbot uses.'),
  visibility: z.string().optional().title('Visibility').describe('private or public.'),
  instructions: z.string().optional().title('Instructions').describe("The chatbot's base prompt."),
  settings: z
    .record(z.any())
    .title('Other Parameters')
    .describe(
      'Every other parameter Chatbase returned for the chatbot, under its own names, e.g. styles or initialMessages.'
    ),
})

const chatbotIdOutput = z.object({ chatbotId: z.string().title('Chatbot ID').describe('Id of the chatbot.') })

const imageUpload = (title: string, image: string) => ({
  title,
  description: `Set the chatbot's ${image} from a file at an https URL (a Botpress file URL or any other): a square image under ${megabytes(IMAGE_UPLOAD_LIMIT_BYTES)}.`,
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
  description: `Remove the chatbot's ${image}.`,
  input: { schema: z.object({ chatbotId: chatbotIdOverride }) },
  output: { schema: chatbotIdOutput },
})

export const chatbotActions = {
  listChatbots: {
    title: 'List Chatbots',
    description: 'List every chatbot of the Chatbase account the API key belongs to.',
    input: { schema: z.object({}) },
    output: {
      schema: z.object({ chatbots: z.array(chatbotSchema).title('Chatbots').describe('The chatbots of the account.') }),
    },
  },
  createChatbot: {
    title: 'Create Chatbot',
    description: 'Create a new Chatbase chatbot, trained on the text and web pages you give.',
    input: {
      schema: z.object({
        chatbotName: z.string().min(1).title('Name').describe('Name of the new chatbot.'),
        sourceText: z
          .string()
          .optional()
          .title('Source Text')
          .describe('Text the chatbot learns from; limited by the Chatbase plan.'),
        urlsToScrape: z
          .array(
            z
              .string()
              .url()
              .regex(/^https?:\/\//i, 'must be an http:// or https:// URL')
          )
          .optional()
          .title('URLs to Scrape')
          .describe('Web pages Chatbase reads for the chatbot to learn from, e.g. https://www.example.com/faq.'),
      }),
    },
    output: { schema: chatbotIdOutput },
  },
  updateChatbotData: {
    title: 'Update Chatbot Data',
    description: 'Rename a chatbot and replace the text it learned from.',
    input: {
      schema: z.object({
        chatbotName: z.string().min(1).title('Name').describe('New name of the chatbot.'),
        sourceText: z
          .string()
          .optional()
          .title('Source Text')
          .describe('Text that replaces what the chatbot learned from.'),
        chatbotId: chatbotIdOverride,
      }),
    },
    output: { schema: chatbotIdOutput },
  },
  updateChatbotSettings: {
    title: 'Update Chatbot Settings',
    description: "Change a chatbot's settings; only the fields you fill in change, and at least one is needed.",
    input: {
      schema: z.object({
        name: z.string().min(1).optional().title('Name').describe('New name of the chatbot.'),
        instructions: z
          .string()
          .optional()
          .title('Instructions')
          .describe('The base prompt: how the chatbot should behave.'),
        initialMessages: z
          .array(z.string())
          .optional()
          .title('Initial Messages')
          .describe('Messages the chatbot greets visitors with.'),
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
          .describe('True to allow the widget and iframe only on the listed domains.'),
        domains: z.array(z.string()).optional().title('Domains').describe('Domains allowed to show the chatbot.'),
        ipLimit: z
          .number()
          .int()
          .min(0)
          .optional()
          .title('IP Limit')
          .describe('Messages one device may send per IP Limit Timeframe.'),
        ipLimitTimeframe: z
          .number()
          .int()
          .min(0)
          .optional()
          .title('IP Limit Timeframe')
          .describe('The timeframe of IP Limit, in seconds.'),
        ipLimitMessage: z
          .string()
          .optional()
          .title('IP Limit Message')
          .describe('Shown when a device goes over the IP limit.'),
        model: z.string().min(1).optional().title('Model').describe('The AI model, e.g. gpt-4o-mini.'),
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
          .describe('What the lead form asks visitors for.'),
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
          .describe('Look of the chat widget.'),
        chatbotId: chatbotIdOverride,
      }),
    },
    output: { schema: chatbotIdOutput },
  },
  uploadChatbotIcon: imageUpload('Upload Chatbot Icon', 'icon'),
  uploadChatbotProfilePicture: imageUpload('Upload Chatbot Profile Picture', 'profile picture'),
  deleteChatbotIcon: imageDeletion('Delete Chatbot Icon', 'icon'),
  deleteChatbotProfilePicture: imageDeletion('Delete Chatbot Profile Picture', 'profile picture'),
  deleteChatbot: {
    title: 'Delete Chatbot',
    description:
      'Delete a chatbot and its data. The chatbot id must be given: it never defaults to the configured one.',
    input: {
      schema: z.object({ chatbotId: pathSafeId().title('Chatbot ID').describe('Id of the chatbot to delete.') }),
    },
    output: { schema: chatbotIdOutput },
  },
} as const
