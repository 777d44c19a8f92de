import { RuntimeError } from '@botpress/sdk'
import { onApi } from '../chatbase/api-choice'
import type { ChatbotImage } from '../chatbase/v1/client'
import { fromChatbaseChatbot } from '../chatbase/v1/mapping'
import { AGENTS_PAGE_SIZE, AgentsApi, fromAgent, ManagedSources, type AgentUpdate } from '../chatbase/v2/agents'
import { ChatbaseSources } from '../chatbase/v2/sources'
import { chatbotActions } from '../definitions/actions/chatbots'
import type { Configuration } from '../definitions/configuration'
import { MAX_ITEMS_LIMIT } from '../definitions/fields'
import { actionDeadline, chatbaseClient, chatbaseTransport, chatbotIdOf } from './shared/context'
import { collectCursorPages } from './shared/cursor-paging'
import { implement } from './shared/implement'
import { onV2Only } from './shared/on-v2'
import { invalidInput, refuseProblems } from './shared/input'
import { v2OnlyProblems } from './shared/v2-only'

type ImageProps<I = object> = { input: I & { chatbotId?: string }; configuration: Configuration }

const { createChatbot, updateChatbotSettings, updateAgentStyles } = chatbotActions

/** v2's IP rate limit, as its schema bounds it. */
const IP_LIMIT = { ipLimit: [1, 200], ipLimitTimeframe: [1, 3600] } as const

const uploadImage = async (image: ChatbotImage, { input, configuration }: ImageProps<{ fileUrl: string }>) => {
  const targetChatbotId = chatbotIdOf(configuration, input)
  const client = chatbaseClient(configuration)
  const file = await client.downloadImage(input.fileUrl)
  await client.uploadChatbotImage(image, targetChatbotId, file)
  return { chatbotId: targetChatbotId, fileName: file.fileName, size: file.bytes.length }
}

const deleteImage = async (image: ChatbotImage, { input, configuration }: ImageProps) => {
  const targetChatbotId = chatbotIdOf(configuration, input)
  await chatbaseClient(configuration).deleteChatbotImage(image, targetChatbotId)
  return { chatbotId: targetChatbotId }
}

/** v2's suggested messages are objects: plain texts become single ones, in the order given. */
const suggestedOf = (texts: string[]) => texts.map((text, order) => ({ type: 'single' as const, text, order }))

/** Runs each step; one that fails is reported, not thrown: what came before it (the agent) exists. */
const stepsReport = () => {
  const errors: string[] = []
  return {
    errors,
    attempt: async (step: () => Promise<void>) => {
      try {
        await step()
      } catch (thrown) {
        if (!(thrown instanceof RuntimeError)) throw thrown
        errors.push(thrown.message)
      }
    },
  }
}

export default implement(chatbotActions)({
  listChatbots: async ({ configuration, logger }) =>
    onApi(
      configuration,
      { name: 'listChatbots', title: chatbotActions.listChatbots.title },
      {
        v2: async () => {
          const api = new AgentsApi(chatbaseTransport(configuration))
          // Every agent: a workspace has far fewer than the most any card reads.
          const read = await collectCursorPages(undefined, MAX_ITEMS_LIMIT, AGENTS_PAGE_SIZE, (cursor) =>
            api.listPage(cursor, AGENTS_PAGE_SIZE)
          )
          return { chatbots: read.items.map(fromAgent) }
        },
        v1: async () => ({ chatbots: (await chatbaseClient(configuration).listChatbots()).map(fromChatbaseChatbot) }),
      },
      logger
    ),

  getAgent: async (props) =>
    onV2Only({ name: 'getAgent', title: chatbotActions.getAgent.title }, props, async ({ transport, agentId }) => ({
      agent: fromAgent(await new AgentsApi(transport).get(agentId)),
    })),

  createChatbot: async ({ input, configuration, logger }) => {
    const { chatbotName, sourceText, urlsToScrape, url, instructions, model, temp, visibility } = input
    const deadline = actionDeadline(configuration)
    return onApi(
      configuration,
      { name: 'createChatbot', title: createChatbot.title },
      {
        v2: async () => {
          const transport = chatbaseTransport(configuration, deadline)
          const created = await new AgentsApi(transport).create({
            name: chatbotName,
            url,
            instructions,
            model,
            temp,
            visibility,
          })
          // The agent exists from here on: a source that cannot be added is reported, as Chatbase reports its own.
          const sources = new ManagedSources(new ChatbaseSources(transport))
          const steps = stepsReport()
          if (sourceText !== undefined) await steps.attempt(() => sources.setText(created.id, sourceText))
          for (const page of urlsToScrape ?? []) await steps.attempt(() => sources.addPage(created.id, page))
          const pendingSteps = [...created.pendingSteps]
          if (steps.errors.length > 0 && !pendingSteps.includes('ADD_SOURCE')) pendingSteps.push('ADD_SOURCE')
          return {
            chatbotId: created.id,
            ...(pendingSteps.length > 0 && { pendingSteps }),
            ...(steps.errors.length > 0 && { pendingStepErrors: steps.errors }),
          }
        },
        v1: async () => {
          refuseProblems(createChatbot, v2OnlyProblems({ instructions, model, temp, visibility }))
          // v1 reads a website's address like any page to scrape.
          const pages = url === undefined ? urlsToScrape : [...(urlsToScrape ?? []), url]
          const chatbotId = await chatbaseClient(configuration, deadline).createChatbot({
            chatbotName,
            sourceText,
            urlsToScrape: pages,
          })
          return { chatbotId }
        },
      },
      logger
    )
  },

  cloneAgent: async (props) =>
    onV2Only({ name: 'cloneAgent', title: chatbotActions.cloneAgent.title }, props, async ({ transport, agentId }) => {
      const { id, pendingSteps } = await new AgentsApi(transport).clone(agentId)
      return { chatbotId: id, clonedFrom: agentId, ...(pendingSteps.length > 0 && { pendingSteps }) }
    }),

  updateChatbotData: async ({ input: { chatbotId, chatbotName, sourceText }, configuration, logger }) => {
    const agentId = chatbotIdOf(configuration, { chatbotId })
    const deadline = actionDeadline(configuration)
    return onApi(
      configuration,
      { name: 'updateChatbotData', title: chatbotActions.updateChatbotData.title },
      {
        v2: async () => {
          const transport = chatbaseTransport(configuration, deadline)
          await new AgentsApi(transport).update(agentId, { name: chatbotName })
          if (sourceText !== undefined) {
            await new ManagedSources(new ChatbaseSources(transport)).setText(agentId, sourceText)
          }
          return { chatbotId: agentId }
        },
        v1: async () => ({
          chatbotId: await chatbaseClient(configuration, deadline).updateChatbotData({
            chatbotId: agentId,
            chatbotName,
            sourceText,
          }),
        }),
      },
      logger
    )
  },

  updateChatbotSettings: async ({ input, configuration, logger }) => {
    const { chatbotId, temperature, clearSettings, ...settings } = input
    const given = Object.entries(settings).filter(([, value]) => value !== undefined)
    if (given.length === 0 && temperature === undefined && clearSettings.length === 0) {
      throw invalidInput(updateChatbotSettings, ['give at least one setting to change'])
    }
    refuseProblems(
      updateChatbotSettings,
      clearSettings
        .filter((field) => settings[field] !== undefined)
        .map((field) => `clearSettings: ${field} cannot be both set and cleared`)
    )
    const agentId = chatbotIdOf(configuration, { chatbotId })
    const deadline = actionDeadline(configuration)
    const { allowedDomains, creditLimit, notificationsSettings, spamSettings, blockedCountries } = settings

    const onV2 = async () => {
      const { domains, onlyAllowOnAddedDomains, ipLimit, ipLimitTimeframe, ipLimitMessage } = settings
      const { styles, collectCustomerInformation, suggestedMessages, name, instructions, initialMessages } = settings
      refuseProblems(updateChatbotSettings, [
        ...(allowedDomains !== undefined && (domains !== undefined || onlyAllowOnAddedDomains !== undefined)
          ? ['allowedDomains: give either Allowed Domains or Domains (with Only On Added Domains), not both']
          : []),
        ...(onlyAllowOnAddedDomains === true && domains === undefined
          ? ['onlyAllowOnAddedDomains: on Chatbase API v2 the allow-list is the domains themselves: give Domains too']
          : []),
        ...(onlyAllowOnAddedDomains === false && domains !== undefined
          ? [
              'domains: on Chatbase API v2 listed domains are always enforced: leave Only On Added Domains empty or true',
            ]
          : []),
        ...Object.entries({ ipLimit, ipLimitTimeframe }).flatMap(([field, value]) => {
          const [min, max] = IP_LIMIT[field as keyof typeof IP_LIMIT]
          return value === undefined || (value >= min && value <= max)
            ? []
            : [`${field}: Chatbase API v2 takes ${min} to ${max}`]
        }),
      ])
      const ipRateLimits = Object.fromEntries(
        Object.entries({ limit: ipLimit, timeframe: ipLimitTimeframe, message: ipLimitMessage }).filter(
          ([, value]) => value !== undefined
        )
      )
      const update: AgentUpdate = {
        name,
        instructions,
        initialMessages,
        visibility: settings.visibility,
        model: settings.model,
        temp: temperature,
        suggestedMessages: suggestedMessages && suggestedOf(suggestedMessages),
        allowedDomains: allowedDomains ?? (onlyAllowOnAddedDomains === false ? null : domains),
        ipRateLimits: Object.keys(ipRateLimits).length > 0 ? ipRateLimits : undefined,
        creditLimit,
        notificationsSettings,
        spamSettings,
        blockedCountries: blockedCountries?.map((country) => country.toUpperCase()),
        ...Object.fromEntries(clearSettings.map((field) => [field, null])),
      }
      const api = new AgentsApi(chatbaseTransport(configuration, deadline))
      if (Object.values(update).some((value) => value !== undefined)) await api.update(agentId, update)
      if (styles !== undefined) await api.updateStyles(agentId, { chat: styles })
      // v2 has no lead form: v1 still sets it.
      if (collectCustomerInformation !== undefined) {
        await chatbaseClient(configuration, deadline).updateChatbotSettings({
          chatbotId: agentId,
          collectCustomerInformation,
        })
      }
      return { chatbotId: agentId }
    }

    const onV1 = async () => {
      refuseProblems(
        updateChatbotSettings,
        v2OnlyProblems({
          allowedDomains,
          creditLimit,
          notificationsSettings,
          spamSettings,
          blockedCountries,
          clearSettings,
        })
      )
      // Chatbase names the temperature `temp` here; every other setting keeps its Chatbase name.
      await chatbaseClient(configuration, deadline).updateChatbotSettings({
        chatbotId: agentId,
        ...settings,
        temp: temperature,
      })
      return { chatbotId: agentId }
    }

    return onApi(
      configuration,
      { name: 'updateChatbotSettings', title: updateChatbotSettings.title },
      { v2: onV2, v1: onV1 },
      logger
    )
  },

  updateAgentStyles: async (props) => {
    const { chat, centerStage } = props.input
    const isEmpty = (styles: object | undefined) =>
      styles === undefined || Object.values(styles).every((value) => value === undefined)
    if (isEmpty(chat) && isEmpty(centerStage)) {
      throw invalidInput(updateAgentStyles, ['give at least one style to change'])
    }
    const styles = {
      ...(!isEmpty(chat) && { chat }),
      ...(!isEmpty(centerStage) && {
        centerStage: {
          ...centerStage,
          suggestedMessages: centerStage?.suggestedMessages && suggestedOf(centerStage.suggestedMessages),
        },
      }),
    }
    return onV2Only(
      { name: 'updateAgentStyles', title: updateAgentStyles.title },
      props,
      async ({ transport, agentId }) => {
        await new AgentsApi(transport).updateStyles(agentId, styles)
        return { chatbotId: agentId }
      }
    )
  },

  setAutoRetrain: async (props) =>
    onV2Only(
      { name: 'setAutoRetrain', title: chatbotActions.setAutoRetrain.title },
      props,
      async ({ transport, agentId }) => {
        await new AgentsApi(transport).setAutoRetrain(agentId, props.input.enabled)
        return { chatbotId: agentId, enabled: props.input.enabled }
      }
    ),

  deleteChatbot: async ({ input: { chatbotId }, configuration, logger }) => {
    const deadline = actionDeadline(configuration)
    await onApi(
      configuration,
      { name: 'deleteChatbot', title: chatbotActions.deleteChatbot.title },
      {
        v2: () => new AgentsApi(chatbaseTransport(configuration, deadline)).delete(chatbotId),
        v1: () => chatbaseClient(configuration, deadline).deleteChatbot(chatbotId),
      },
      logger
    )
    return { chatbotId }
  },

  uploadChatbotIcon: (props) => uploadImage('icon', props),
  uploadChatbotProfilePicture: (props) => uploadImage('profilePicture', props),
  deleteChatbotIcon: (props) => deleteImage('icon', props),
  deleteChatbotProfilePicture: (props) => deleteImage('profilePicture', props),
})
