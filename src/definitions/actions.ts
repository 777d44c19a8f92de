import { chatActions } from './chat'
import { chatbotActions } from './chatbots'
import { contactActions } from './contacts'
import { customAttributeActions } from './custom-attributes'
import { leadActions } from './leads'

export const actions = {
  ...chatActions,
  ...contactActions,
  ...customAttributeActions,
  ...leadActions,
  ...chatbotActions,
} as const
