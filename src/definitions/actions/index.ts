import { chatActions } from './chat'
import { chatbotActions } from './chatbots'
import { contactActions } from './contacts'
import { customAttributeActions } from './custom-attributes'
import { helpdeskActions } from './helpdesk'
import { leadAndConversationActions } from './leads-and-conversations'
import { sourceActions } from './sources'

export const actions = {
  ...chatActions,
  ...contactActions,
  ...customAttributeActions,
  ...leadAndConversationActions,
  ...chatbotActions,
  ...sourceActions,
  ...helpdeskActions,
} as const
