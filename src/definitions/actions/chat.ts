import { z } from '@botpress/sdk'
import { CHATBASE_USER_ID_PATTERN, MAX_CHATBASE_USER_ID_LENGTH } from '../constants'
import { chatbotIdOverride, temperature } from '../fields'

export const chatMessageSchema = z.object({
  role: z.enum(['user', 'assistant']).title('Role').describe('Who wrote the message: user or assistant.'),
  content: z.string().title('Content').describe('Text of the message.'),
})

const chatbaseConversationId = z
  .string()
  .min(1)
  .regex(/^[^/\\]+$/, 'must not contain "/" or "\\": it goes into the request\'s URL path')
  .title('Chatbase Conversation ID')

/** Why an answer does not answer the user; every value is named in the output's description. */
export const UNANSWERED_REASONS = ['fallback', 'tool-calls', 'taken-over', 'paused'] as const

/** What Message AI Agent and Submit Tool Result return: the agent's answer, on whichever API served it. */
const agentAnswerSchema = z.object({
  text: z.string().title('Answer').describe("The AI agent's answer; empty when it did not reply."),
  answered: z
    .boolean()
    .title('Answered')
    .describe(
      'False when the AI agent did not answer the user: see Unanswered Reason, e.g. to hand over to a human or run a client action.'
    ),
  unansweredReason: z
    .enum(UNANSWERED_REASONS)
    .optional()
    .title('Unanswered Reason')
    .describe(
      'Why Answered is false: "fallback" (the answer is empty or contains one of the Fallback Phrases, letter case and spacing ignored), "tool-calls" (the agent asks the flow to run the client actions in Tool Calls), "taken-over" (a human took the conversation over in Chatbase: nothing was sent to the agent), "paused" (the conversation is paused: the message was recorded, the agent did not reply).'
    ),
  toolCalls: z
    .array(
      z.object({
        toolCallId: z.string().title('Tool Call ID').describe('Pass it to Submit Tool Result with the result.'),
        toolName: z
          .string()
          .title('Tool Name')
          .describe('The Custom Action of the AI agent to run, as named in Chatbase.'),
        input: z.any().title('Input').describe('What the agent passes to the action (any JSON).'),
      })
    )
    .title('Tool Calls')
    .describe(
      'Client-side Custom Actions the AI agent asks the flow to run (API v2): run each, then hand its result to Submit Tool Result. Empty otherwise.'
    ),
  api: z.enum(['v1', 'v2']).title('Chatbase API').describe('The Chatbase API that served the message.'),
  chatbaseConversationId: chatbaseConversationId
    .optional()
    .describe(
      "Chatbase's own id of the conversation (API v2): for Submit Tool Result, Rate Answer, Pause and Resume Conversation."
    ),
  messageId: z
    .string()
    .optional()
    .title('Message ID')
    .describe("Id of the AI agent's answer (API v2): for Rate Answer."),
})

const userId = z
  .string()
  .min(1)
  .max(MAX_CHATBASE_USER_ID_LENGTH)
  .regex(CHATBASE_USER_ID_PATTERN, 'must hold only letters, digits, ".", "_" and "-"')
  .optional()
  .title('User ID')
  .describe(
    `Who the user is (API v2), so that Chatbase groups the person's conversations, e.g. {{ event.userId }}: 1 to ${MAX_CHATBASE_USER_ID_LENGTH} letters, digits, ".", "_" or "-". Set on new conversations only. Without it, the Botpress conversation stands for the user, and leads submitted in the conversation reach it.`
  )
  .placeholder('{{ event.userId }}')

export const chatActions = {
  messageChatbot: {
    title: 'Message AI Agent',
    description:
      'Send a message to the Chatbase AI agent and get its answer, remembering the conversation: give the Botpress Conversation ID and every message continues it. Says whether the agent really answered.',
    input: {
      schema: z.object({
        message: z
          .string()
          .min(1)
          .title('Message')
          .describe("The user's latest message.")
          .placeholder('{{ event.preview }}'),
        conversationId: z
          .string()
          .min(1)
          .optional()
          .title('Conversation ID')
          .describe(
            'The Botpress conversation: every message of it continues one Chatbase conversation, and leads submitted in it reach this conversation. Without it (and without Chatbase Conversation ID), each message starts a new conversation.'
          )
          .placeholder('{{ event.conversationId }}'),
        userId,
        chatbaseConversationId: chatbaseConversationId
          .optional()
          .describe(
            'API v2: the Chatbase conversation to continue, e.g. the Chatbase Conversation ID output of an earlier message, instead of the one the Botpress conversation continues. An ended conversation continues in a new one.'
          ),
        history: z
          .array(chatMessageSchema)
          .optional()
          .title('History')
          .describe(
            'Earlier messages, oldest first and without the latest one, to send instead of the remembered ones, e.g. the History output of the previous message. Only API v1 takes a history: with it, the message goes through v1 and nothing is remembered.'
          ),
        resetConversation: z
          .boolean()
          .default(false)
          .title('Start Afresh')
          .describe(
            'Start a new conversation for this Botpress conversation, e.g. when the user starts over; the message sent with it opens it.'
          ),
        model: z
          .string()
          .min(1)
          .optional()
          .title('Model')
          .describe(
            "Overrides the AI agent's model, e.g. gpt-4o-mini. Only API v1 takes it: with it, the message goes through v1 (API v2 uses the model set on the agent in Chatbase)."
          ),
        temperature: temperature(
          "Randomness of the answer, from 0 (focused) to 1 (creative). Only API v1 takes it: with it, the message goes through v1 (API v2 uses the agent's own setting)."
        ),
        chatbotId: chatbotIdOverride,
      }),
    },
    output: {
      schema: agentAnswerSchema.extend({
        conversationId: z
          .string()
          .optional()
          .title('Conversation ID')
          .describe('The Botpress conversation the chat was remembered for, when one was given.'),
        history: z
          .array(chatMessageSchema)
          .optional()
          .title('History')
          .describe(
            'API v1 only: the conversation after this turn, oldest first and bounded by the memory settings; pass it as History with the next message to carry the chat yourself. On API v2 Chatbase keeps the conversation.'
          ),
      }),
    },
  },
  submitToolResult: {
    title: 'Submit Tool Result',
    description:
      'Hand the result of a client action (a Tool Call from Message AI Agent) back to the Chatbase AI agent and get its continued answer. API v2.',
    input: {
      schema: z.object({
        chatbaseConversationId: chatbaseConversationId.describe(
          'The Chatbase Conversation ID output of the message whose Tool Calls you ran.'
        ),
        toolCallId: z.string().min(1).title('Tool Call ID').describe('The Tool Call ID of the call you ran.'),
        output: z
          .any()
          .optional()
          .title('Output')
          .describe('What the action returned, any JSON value (text, number, object, list), for the agent to use.'),
        chatbotId: chatbotIdOverride,
      }),
    },
    output: { schema: agentAnswerSchema },
  },
  rateAnswer: {
    title: 'Rate Answer',
    description:
      "Record the user's feedback on an answer of the AI agent: positive, negative, or none to clear it. API v2.",
    input: {
      schema: z.object({
        chatbaseConversationId: chatbaseConversationId.describe('The Chatbase Conversation ID output of the message.'),
        messageId: z.string().min(1).title('Message ID').describe('The Message ID output of the answer to rate.'),
        rating: z
          .enum(['positive', 'negative', 'none'])
          .title('Rating')
          .describe('positive (thumbs up), negative (thumbs down), or none to clear an earlier rating.'),
        chatbotId: chatbotIdOverride,
      }),
    },
    output: {
      schema: z.object({
        messageId: z.string().title('Message ID').describe('The answer rated.'),
        rating: z.enum(['positive', 'negative', 'none']).title('Rating').describe('The rating it now has.'),
      }),
    },
  },
  pauseConversation: conversationSwitch(
    'Pause Conversation',
    "Stop the AI agent's replies in a conversation, e.g. while a human takes over in Botpress: messages are still recorded, and Message AI Agent answers Answered = false (paused). API v2."
  ),
  resumeConversation: conversationSwitch(
    'Resume Conversation',
    'Let the AI agent reply again in a paused conversation, e.g. after a human hand-off. API v2.'
  ),
} as const

function conversationSwitch(title: string, description: string) {
  return {
    title,
    description,
    input: {
      schema: z.object({
        chatbaseConversationId: chatbaseConversationId.describe(
          'The Chatbase Conversation ID output of Message AI Agent.'
        ),
        chatbotId: chatbotIdOverride,
      }),
    },
    output: {
      schema: z.object({
        chatbaseConversationId: z.string().title('Chatbase Conversation ID').describe('The conversation.'),
        status: z.string().title('Status').describe('Its status now, as Chatbase reports it: paused or ongoing.'),
      }),
    },
  }
}
