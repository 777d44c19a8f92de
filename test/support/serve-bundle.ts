import { spawn, type ChildProcess } from 'node:child_process'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'

export const BUNDLE_PATH = path.resolve(__dirname, '../../.botpress/dist/index.cjs')

// What `bp serve` does once the bundle is built: load it and call integration.start(port).
const SERVE_SCRIPT = 'require(process.argv[1]).default.start(Number(process.argv[2]))'

export type ServedIntegration = {
  url: string
  /** Everything the integration process printed (stdout and stderr), line by line. */
  logs: string[]
  /** The process's id, for what the bench measures of it from outside. */
  pid: number | undefined
  close(): Promise<void>
}

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const probe = http.createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo
      probe.close(() => resolve(port))
    })
  })

const waitForHealth = async (url: string, exited: () => boolean): Promise<void> => {
  for (let attempt = 0; attempt < 200; attempt++) {
    if (exited()) {
      throw new Error('The integration process exited before it was ready')
    }
    const healthy = await fetch(`${url}/health`)
      .then((response) => response.ok)
      .catch(() => false)
    if (healthy) {
      return
    }
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
  throw new Error(`The integration did not answer ${url}/health`)
}

/** A child process's output, line by line, and its end: what every served process here is watched with. */
export const watchProcess = (child: ChildProcess) => {
  const logs: string[] = []
  let pending = ''
  const collect = (chunk: Buffer) => {
    const lines = (pending + chunk.toString('utf8')).split('\n')
    pending = lines.pop() ?? ''
    logs.push(...lines)
  }
  child.stdout?.on('data', collect)
  child.stderr?.on('data', collect)
  let exited = false
  const exit = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exited = true
      if (pending) logs.push(pending)
      resolve()
    })
  )
  return {
    logs,
    exit,
    hasExited: () => exited,
    close: async () => {
      if (!exited) child.kill()
      await exit
    },
  }
}

/**
 * Serves a built integration bundle (by default the project's) in its own Node process, with the environment
 * Botpress would give it.
 */
export const serveBundle = async (
  env: Record<string, string>,
  bundlePath = BUNDLE_PATH
): Promise<ServedIntegration> => {
  const port = await freePort()
  const child = spawn(process.execPath, ['-e', SERVE_SCRIPT, bundlePath, String(port)], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const watched = watchProcess(child)
  const url = `http://127.0.0.1:${port}`
  await waitForHealth(url, watched.hasExited).catch(async (error: Error) => {
    await watched.close()
    throw error
  })
  return { url, logs: watched.logs, pid: child.pid, close: watched.close }
}
