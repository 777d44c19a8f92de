import { describe, expect, it } from 'vitest'
import { EVERY_CARD } from './cards'
import { useHarness } from '../support/harness'

/*
 * The helpdesk is v2's alone. Each block has a served integration of its own: in automatic mode an instance
 * remembers a key refused v2 for its plan, which would carry over to other tests.
 */

const PLAN_NAMED = /Standard plan or higher/

describe.each(['documented', 'alternative'] as const)(
  'with API v2 forced, on a plan without it, Chatbase spelling the refusal the %s way',
  (spelling) => {
    const h = useHarness({ apiVersion: 'v2' })

    it.each(EVERY_CARD)('%s sends its request and fails, naming the plan it needs', async (action, input) => {
      h.chatbase.setPlanAccess('no-api')
      h.chatbase.setErrorSpelling(spelling)
      const result = await h.driver.callAction(action, input)

      expect(result.error?.message).toMatch(PLAN_NAMED)
      expect(h.chatbase.requests.filter((request) => request.api === 'v2')).toHaveLength(1)
    })
  }
)

describe('in automatic mode, on a plan without API v2', () => {
  const h = useHarness()

  it.each(EVERY_CARD)('%s fails, naming the plan it needs, with no v1 to fall back on', async (action, input) => {
    h.chatbase.setPlanAccess('no-api')
    const result = await h.driver.callAction(action, input)

    expect(result.error?.message).toMatch(
      /needs Chatbase API v2, which comes with the Chatbase Standard plan or higher; this API key's workspace is on a plan without it\. Upgrade the plan in Chatbase to use this card\.$/
    )
    // The first card finds out; the instance then remembers the key's plan for a while
    expect(h.chatbase.requests.filter((request) => request.api === 'v1')).toHaveLength(0)
  })
})

describe('with "Chatbase API" set to v1', () => {
  const h = useHarness({ apiVersion: 'v1' })

  it.each(EVERY_CARD)('%s fails without calling Chatbase, saying to choose v2', async (action, input) => {
    const result = await h.driver.callAction(action, input)

    expect(result.error?.message).toMatch(/needs Chatbase API v2, but "Chatbase API" is set to v1/)
    expect(h.chatbase.requests).toHaveLength(0)
  })
})
