import { RuntimeError } from '@botpress/sdk'
import type { Deadline } from '../deadline'

/** The last call queued per conversation in this instance; a conversation leaves the map when its queue is empty. */
const queues = new Map<string, Promise<void>>()

/**
 * Runs the calls of one conversation one after another within this instance, so that two messages sent at once each
 * read the memory the other saved. Waiting counts against the caller's deadline.
 */
export const oneAtATime = async <T>(conversationId: string, deadline: Deadline, run: () => Promise<T>): Promise<T> => {
  const previous = queues.get(conversationId) ?? Promise.resolve()
  let release = () => {}
  const turn = new Promise<void>((resolve) => (release = resolve))
  const tail = previous.then(() => turn)
  queues.set(conversationId, tail)
  let timer: NodeJS.Timeout | undefined
  try {
    await Promise.race([
      previous,
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new RuntimeError(
                `Could not answer in conversation "${conversationId}": another message of it was still being answered when the action's time ran out. Try again.`
              )
            ),
          deadline.remainingMs()
        )
      }),
    ])
    return await run()
  } finally {
    clearTimeout(timer)
    release()
    if (queues.get(conversationId) === tail) {
      queues.delete(conversationId)
    }
  }
}
