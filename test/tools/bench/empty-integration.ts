/*
 * The floor for figures 1, 2, 3 and 5: an sdk-5.4.3 integration that does nothing, bundled with the same esbuild
 * options as the real one (see build.ts). Whatever the Chatbase bundle costs beyond this is the integration's own.
 */
import * as sdk from '@botpress/sdk'

export default new sdk.Integration({
  register: async () => {},
  unregister: async () => {},
  actions: {},
  channels: {},
  handler: async () => {},
})
