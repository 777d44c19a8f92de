import { RuntimeError } from '@botpress/sdk'
import { setTimeout as sleep } from 'node:timers/promises'
import { MIN_ATTEMPT_MS } from '../chatbase/retry'
import { fileNameOf } from '../chatbase/transport'
import {
  asSourceFile,
  ChatbaseSources,
  fileSourceType,
  MAX_PAGE_SIZE,
  type SourceChanges,
  type SourceWire,
} from '../chatbase/v2/sources'
import { MAX_QNA_BODY_BYTES, sourceActions, TRAINING_POLL_MS } from '../definitions/actions/sources'
import { megabytes } from '../definitions/constants'
import type { Configuration } from '../definitions/configuration'
import type { Deadline } from '../deadline'
import { collectCursorPages } from './shared/cursor-paging'
import { implement } from './shared/implement'
import { onV2Only } from './shared/on-v2'
import { invalidInput, refuseProblems } from './shared/input'

type Card = keyof typeof sourceActions
type CardProps = { configuration: Configuration; input: { chatbotId?: string } }
type Work = { sources: ChatbaseSources; agentId: string; deadline: Deadline }

/** Every card of the area: only API v2 has sources, so a plan without it fails with the plan it needs. */
const onV2 = <T>(card: Card, props: CardProps, run: (work: Work) => Promise<T>) =>
  onV2Only({ name: card, title: sourceActions[card].title }, props, ({ transport, agentId, deadline }) =>
    run({ sources: new ChatbaseSources(transport), agentId, deadline })
  )

/** A source as outputs carry it: v2's fields, nothing else. */
const sourceOf = ({ id, type, name, size, status, createdAt, metadata }: SourceWire) => ({
  id,
  type,
  name,
  size,
  status,
  createdAt,
  metadata,
})

const TRAINING_ENDS = new Set(['trained', 'failed'])
const BEING_DELETED = new Set(['toBeDeleted', 'deleted'])

type Training = { outcome: 'trained' | 'failed' | 'unfinished'; checks: number; note?: string }

/**
 * Reads the source every TRAINING_POLL_MS until its training ends or the card's time would run out. The source is
 * already added or changed: a failed read ends the wait with the last status read, it does not fail the card.
 */
const awaitTraining = async (
  { sources, agentId, deadline }: Work,
  source: SourceWire
): Promise<{ source: SourceWire; training: Training }> => {
  let last = source
  let checks = 0
  for (;;) {
    if (TRAINING_ENDS.has(last.status)) {
      return { source: last, training: { outcome: last.status as 'trained' | 'failed', checks } }
    }
    const unfinished = (note: string) => ({ source: last, training: { outcome: 'unfinished' as const, checks, note } })
    if (BEING_DELETED.has(last.status)) {
      return unfinished('The source is being deleted, so it will not be trained.')
    }
    if (TRAINING_POLL_MS + MIN_ATTEMPT_MS > deadline.remainingMs()) {
      return unfinished(
        `Training had not ended when the card's time ran out ("Timeout (seconds)" in the configuration); it goes on in Chatbase: read the source later with Get Source.`
      )
    }
    await sleep(TRAINING_POLL_MS)
    try {
      last = await sources.get(agentId, last.id)
      checks += 1
    } catch (thrown) {
      if (!(thrown instanceof RuntimeError)) throw thrown
      return unfinished(`Reading the source failed, so the wait stopped: ${thrown.message}`)
    }
  }
}

/** The card's output: the source as added or changed, and how training went when the card was asked to wait. */
const outputOf = async (work: Work, source: SourceWire, wait: boolean) => {
  if (!wait) return { source: sourceOf(source) }
  const waited = await awaitTraining(work, source)
  return { source: sourceOf(waited.source), training: waited.training }
}

/** The file at `url`, checked to be a type Chatbase takes: by its name before the download, by both after. */
const downloadSourceFile = async (card: Card, { sources }: Work, url: string) => {
  const early = fileSourceType(fileNameOf(new URL(url)))
  if (early && 'problem' in early) throw invalidInput(sourceActions[card], [`fileUrl: ${early.problem}`])
  const file = await sources.download(url)
  const decided = fileSourceType(file.fileName, file.contentType)
  if (!decided || 'problem' in decided) {
    throw invalidInput(sourceActions[card], [`fileUrl: ${decided?.problem ?? 'its type could not be told'}`])
  }
  return asSourceFile(file, decided.type)
}

/** Chatbase's limit on a Q&A request, checked before sending. */
const qnaBodyProblems = (body: object): string[] => {
  const bytes = Buffer.byteLength(JSON.stringify(body))
  return bytes > MAX_QNA_BODY_BYTES
    ? [
        `questions and answer: together they make a request of ${megabytes(bytes)}, and Chatbase takes Q&A requests up to ${megabytes(MAX_QNA_BODY_BYTES)}`,
      ]
    : []
}

/** The fields of each source type an update may change; a name belongs to text, Q&A and file sources. */
const UPDATE_FIELDS = {
  text: ['content'],
  qna: ['questions', 'answer'],
  link: ['excludePaths', 'includeOnlyPaths', 'slowScraping'],
  file: ['fileUrl'],
} as const

export default implement(sourceActions)({
  listSources: (props) =>
    onV2('listSources', props, async ({ sources, agentId }) => {
      const { type, name, cursor, limit } = props.input
      const read = await collectCursorPages(cursor, limit, MAX_PAGE_SIZE, (at) =>
        sources.list(agentId, { type: type?.join(','), name, cursor: at, limit: MAX_PAGE_SIZE })
      )
      return {
        sources: read.items.map(sourceOf),
        hasMore: read.hasMore,
        ...(read.nextCursor !== undefined && { nextCursor: read.nextCursor }),
      }
    }),

  getSource: (props) =>
    onV2('getSource', props, async ({ sources, agentId }) => ({
      source: sourceOf(await sources.get(agentId, props.input.sourceId)),
    })),

  getSourcesSummary: (props) =>
    onV2('getSourcesSummary', props, async ({ sources, agentId }) => ({ summary: await sources.summary(agentId) })),

  addTextSource: (props) =>
    onV2('addTextSource', props, async (work) => {
      const { name, content, waitUntilTrained } = props.input
      const source = await work.sources.add(work.agentId, { type: 'text', name, content })
      return outputOf(work, source, waitUntilTrained)
    }),

  addQnaSource: (props) =>
    onV2('addQnaSource', props, async (work) => {
      const { name, questions, answer, waitUntilTrained } = props.input
      const body = { type: 'qna' as const, name, questions, answer }
      refuseProblems(sourceActions.addQnaSource, qnaBodyProblems(body))
      return outputOf(work, await work.sources.add(work.agentId, body), waitUntilTrained)
    }),

  addLinkSource: (props) =>
    onV2('addLinkSource', props, async (work) => {
      const { waitUntilTrained, chatbotId: _agent, ...link } = props.input
      const source = await work.sources.add(work.agentId, { type: 'link', ...link })
      return outputOf(work, source, waitUntilTrained)
    }),

  addFileSource: (props) =>
    onV2('addFileSource', props, async (work) => {
      const { name, fileUrl, waitUntilTrained } = props.input
      const file = await downloadSourceFile('addFileSource', work, fileUrl)
      return outputOf(work, await work.sources.addFile(work.agentId, name, file), waitUntilTrained)
    }),

  updateSource: (props) => {
    const { sourceId, name, fileUrl, waitUntilTrained, chatbotId: _agent, ...changes } = props.input
    const types = (Object.keys(UPDATE_FIELDS) as (keyof typeof UPDATE_FIELDS)[]).filter((type) =>
      UPDATE_FIELDS[type].some((field) => props.input[field] !== undefined)
    )
    const problems =
      types.length > 1
        ? [
            `give the fields of one source type: ${types.map((type) => UPDATE_FIELDS[type].join(', ')).join(' and ')} belong to different types`,
          ]
        : types.length === 0 && name === undefined
          ? ['give at least one field to change']
          : types[0] === 'link' && name !== undefined
            ? ['name: a link source is named by its URL, which cannot change (delete the source and add the new URL)']
            : types[0] === 'qna'
              ? qnaBodyProblems({ name, ...changes })
              : []
    refuseProblems(sourceActions.updateSource, problems)
    return onV2('updateSource', props, async (work) => {
      const { sources, agentId } = work
      const file = fileUrl === undefined ? undefined : await downloadSourceFile('updateSource', work, fileUrl)
      // A new name alone: only the source's type says which host renames it.
      const onFilesHost =
        file !== undefined || (types.length === 0 && (await sources.get(agentId, sourceId)).type === 'file')
      const source = onFilesHost
        ? await sources.updateFile(agentId, sourceId, { name, file })
        : await sources.update(agentId, sourceId, { name, ...changes } satisfies SourceChanges)
      return outputOf(work, source, waitUntilTrained)
    })
  },

  deleteSource: (props) =>
    onV2('deleteSource', props, async ({ sources, agentId }) => {
      const { sourceId } = props.input
      const source = await sources.delete(agentId, sourceId)
      return { sourceId, ...(source && { source: sourceOf(source) }) }
    }),
})
