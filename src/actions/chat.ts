import { onApi } from '../chatbase/api-choice'
import { rateMessage, setConversationPaused, submitToolResult, chatWithAgent } from '../chatbase/v2/chat'
import { chatActions } from '../definitions/actions/chat'
import type { ActionOutput } from '../definitions'
import type { Deadline } from '../deadline'
import { boundTranscript, ConversationMemory, fitToState, memoryBounds, type ChatMessage } from '../state/transcript'
import { oneAtATime } from '../state/one-at-a-time'
import { agentAnswer, AgentTurn } from './agent-turn'
import { answerVerdict } from './shared/answered'
import { actionDeadline, chatbaseClient, chatbaseTransport, chatbotIdOf } from './shared/context'
import { implement, type HandlerProps } from './shared/implement'
import { onV2Only } from './shared/on-v2'
import { invalidInput } from './shared/input'

type MessageProps = HandlerProps<'messageChatbot', (typeof chatActions)['messageChatbot']>
type MessageOutput = ActionOutput<'messageChatbot'>

/** API v1: Chatbase keeps no memory, so the integration remembers the conversation in a Botpress state. */
const messageOnV1 = async (
  { client, input, configuration, logger }: MessageProps,
  deadline: Deadline
): Promise<MessageOutput> => {
  const { message, conversationId, history, resetConversation, model, temperature, chatbotId } = input
  const bounds = memoryBounds(configuration)
  const userMessage: ChatMessage = { role: 'user', content: message }

  const chat = async (messages: ChatMessage[]) => {
    const text = await chatbaseClient(configuration, deadline).chat({
      chatbotId: chatbotIdOf(configuration, { chatbotId }),
      messages,
      conversationId,
      model,
      temperature,
      stream: false,
    })
    const exchange: ChatMessage[] = [userMessage, { role: 'assistant', content: text }]
    const answer = {
      text,
      ...answerVerdict(text, configuration),
      toolCalls: [],
      api: 'v1' as const,
      conversationId,
    }
    return { answer, exchange }
  }

  // An explicit history means the caller carries the conversation; otherwise the integration remembers it.
  if (history !== undefined || conversationId === undefined) {
    const earlier = history ?? []
    const { answer, exchange } = await chat([...earlier, userMessage])
    return { ...answer, history: fitToState(boundTranscript([...earlier, ...exchange], bounds)) }
  }

  return oneAtATime(conversationId, deadline, async () => {
    const memory = new ConversationMemory(client, conversationId, deadline, configuration, logger.forBot())
    const earlier = resetConversation ? [] : await memory.read()
    const { answer, exchange } = await chat(boundTranscript([...earlier, userMessage], bounds))
    return { ...answer, history: await memory.save(earlier, exchange, bounds, !resetConversation) }
  })
}

/** API v2: Chatbase keeps the conversation; nothing is stored in Botpress. */
const messageOnV2 = async ({ input, configuration }: MessageProps, deadline: Deadline): Promise<MessageOutput> => {
  const turn = new AgentTurn(chatbaseTransport(configuration, deadline), configuration, {
    agentId: chatbotIdOf(configuration, input),
    message: input.message,
    botpressConversationId: input.conversationId,
    userId: input.userId,
    chatbaseConversationId: input.chatbaseConversationId,
    startAfresh: input.resetConversation,
  })
  return { ...(await turn.run()), api: 'v2' as const, conversationId: input.conversationId }
}

// Only API v1 takes these: a message that carries one goes through v1.
const V1_ONLY_INPUTS = ['history', 'model', 'temperature'] as const

type SwitchCard = 'pauseConversation' | 'resumeConversation'
type SwitchProps = Pick<HandlerProps<SwitchCard, (typeof chatActions)[SwitchCard]>, 'input' | 'configuration'>

/** Pause Conversation and Resume Conversation: the same request, asking for the one status or the other. */
const switchConversation = async (props: SwitchProps, card: SwitchCard) => {
  const paused = card === 'pauseConversation'
  const { chatbaseConversationId } = props.input
  return onV2Only({ name: card, title: chatActions[card].title }, props, async ({ transport, agentId }) => {
    await setConversationPaused(transport, agentId, chatbaseConversationId, paused)
    return { chatbaseConversationId, status: paused ? 'paused' : 'ongoing' } as const
  })
}

export default implement(chatActions)({
  messageChatbot: async (props) => {
    const { input, configuration, logger } = props
    const deadline = actionDeadline(configuration)
    const v1Only = V1_ONLY_INPUTS.filter((field) => input[field] !== undefined)
    const card = { name: 'messageChatbot' as const, title: chatActions.messageChatbot.title }
    if (v1Only.length > 0) {
      if (configuration.apiVersion === 'v2' || input.chatbaseConversationId !== undefined) {
        throw invalidInput(chatActions.messageChatbot, [
          `${v1Only.join(', ')}: only Chatbase API v1 takes ${v1Only.length > 1 ? 'them' : 'it'}, ${configuration.apiVersion === 'v2' ? 'and "Chatbase API" is set to v2 in the configuration' : 'and chatbaseConversationId is an API v2 conversation'}; on v2 the AI agent keeps the conversation and its own model settings`,
        ])
      }
      return messageOnV1(props, deadline)
    }
    return onApi(
      configuration,
      card,
      { v2: () => messageOnV2(props, deadline), v1: () => messageOnV1(props, deadline) },
      logger.forBot()
    )
  },

  submitToolResult: async (props) => {
    const { input, configuration } = props
    const card = { name: 'submitToolResult' as const, title: chatActions.submitToolResult.title }
    return onV2Only(card, props, async ({ transport, agentId }) => {
      await submitToolResult(transport, agentId, input.chatbaseConversationId, input.toolCallId, input.output)
      // No message: the agent continues from the result.
      const reply = await chatWithAgent(transport, agentId, { conversationId: input.chatbaseConversationId })
      return { ...agentAnswer(reply, configuration), api: 'v2' as const }
    })
  },

  rateAnswer: async (props) => {
    const { input } = props
    const card = { name: 'rateAnswer' as const, title: chatActions.rateAnswer.title }
    return onV2Only(card, props, async ({ transport, agentId }) => {
      await rateMessage(transport, agentId, input.chatbaseConversationId, input.messageId, input.rating)
      return { messageId: input.messageId, rating: input.rating }
    })
  },

  pauseConversation: (props) => switchConversation(props, 'pauseConversation'),
  resumeConversation: (props) => switchConversation(props, 'resumeConversation'),
})
