import type { IntegrationPackage } from '@botpress/sdk'
import definition from '../../../integration.definition'

/**
 * The Chatbase integration as a bot declares it: what `bp add chatbase` would write in bp_modules, built here from the
 * integration's own definition so the bot always sees its current configuration, actions and events.
 */
export default {
  type: 'integration',
  name: definition.name,
  version: definition.version,
  definition,
} satisfies IntegrationPackage
