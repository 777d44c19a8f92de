/*
 * Serves the empty baseline bundle the way test/support/serve-bundle.ts serves the real one (`integration.start`
 * in its own Node process); that helper only serves .botpress/dist/index.cjs, so the floor needs its own.
 */
import { spawn } from 'node:child_process'
import http from 'node:http'
import type { AddressInfo } from 'node:net'

const SERVE_SCRIPT = 'require(process.argv[1]).default.start(Number(process.argv[2]))'

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const probe = http.createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo
      probe.close(() => resolve(port))
    })
  })

export const serveFloor = async (bundle: string, env: Record<string, string>): Promise<{ url: string; close(): Promise<void> }> => {
  const port = await freePort()
  const child = spawn(process.execPath, ['-e', SERVE_SCRIPT, bundle, String(port)], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: 'ignore',
  })
  const exit = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const url = `http://127.0.0.1:${port}`
  for (let attempt = 0; ; attempt++) {
    const healthy = await fetch(`${url}/health`).then((response) => response.ok, () => false)
    if (healthy) {
      break
    }
    if (attempt === 200 || child.exitCode !== null) {
      child.kill()
      throw new Error(`The empty baseline integration did not answer ${url}/health`)
    }
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
  return {
    url,
    close: async () => {
      child.kill()
      await exit
    },
  }
}
