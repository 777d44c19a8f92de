/*
 * The least an integration can do with a lead, for figure 5: create the event from the body with the client the
 * SDK hands to handlers, as the simplest integration would, checking nothing (no signature, no repeat, no link).
 * What it sustains on this machine is what any webhook → createEvent integration can reach here.
 */
import * as sdk from '@botpress/sdk'

export default new sdk.Integration({
  register: async () => {},
  unregister: async () => {},
  actions: {},
  channels: {},
  handler: async ({ req, client }) => {
    const { payload } = JSON.parse(req.body ?? '{}')
    await client.createEvent({ type: 'leadSubmitted', payload })
    return { status: 200 }
  },
})
