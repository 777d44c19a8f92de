/*
 * `npm run bench` (after `npm run build`): what the integration costs beside Chatbase, each figure as a ratio
 * against a baseline measured in this same run. Prints a detail line per figure, then the table, and keeps the
 * whole output in test/tools/bench/results/latest.txt. Loopback only; a few minutes on two cores.
 * `npm run bench -- 4 8` runs only the figures named, and then keeps no results.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { bundleLikeTheBuild, readBuildScript, ROOT } from '../../support/build'
import { measureBotpressCalls } from './figures/botpress-calls'
import { measureBulkImport } from './figures/bulk-import'
import { measureBundleSize } from './figures/bundle-size'
import { measureColdStart } from './figures/cold-start'
import { measureAgentTurns } from './figures/agent-turns'
import { measureRoundTrip } from './figures/round-trip'
import { measureTranscript } from './figures/transcript'
import { measureWebhooks } from './figures/webhooks'
import { startRig, type Report, type Row } from './rig'

const RESULTS = path.join(__dirname, 'results', 'latest.txt')
const FLOOR = path.join(__dirname, 'empty-integration.ts')
const ONE_EVENT = path.join(__dirname, 'one-event-integration.ts')

const only = process.argv.slice(2)
const wanted = (figure: number): boolean => only.length === 0 || only.includes(String(figure))

const table = (rows: Row[]): string[] => [
  '| figure | integration | baseline | ratio | goal | holds |',
  '| --- | --- | --- | --- | --- | --- |',
  ...rows.map(
    (row) =>
      `| ${row.figure} | ${row.subject} | ${row.baseline} | ${row.ratio} | ${row.goal} | ${row.holds === undefined ? '' : row.holds ? 'yes' : `NO${row.reason ? `: ${row.reason}` : ''}`} |`
  ),
]

const main = async (): Promise<void> => {
  const output: string[] = []
  const print = (text: string) => {
    output.push(text)
    console.log(text)
  }
  const rows: Row[] = []
  const report: Report = { row: (row) => rows.push(row), line: print }
  const started = performance.now()
  print(`npm run bench — ${new Date().toISOString()}`)
  print(
    `machine: ${os.availableParallelism()} cores (${os.cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version}, ${os.platform()} ${os.arch()}`
  )

  const work = mkdtempSync(path.join(os.tmpdir(), 'chatbase-bench-'))
  try {
    const build = readBuildScript()
    const [floor, oneEvent, subject] = await Promise.all([
      bundleLikeTheBuild(FLOOR, path.join(work, 'empty.cjs')),
      bundleLikeTheBuild(ONE_EVENT, path.join(work, 'one-event.cjs')),
      // The same build again, only for its metafile: what the bundle in .botpress/dist is made of.
      bundleLikeTheBuild(path.join(ROOT, build.entry), path.join(work, 'subject.cjs')),
    ])
    print(`floor: ${path.relative(ROOT, FLOOR)} bundled with the build script's options: ${build.flags.join(' ')}`)
    print('')

    if (wanted(1)) await measureColdStart(report, { subject: build.outfile, floor: floor.outfile })
    if (wanted(2)) measureBundleSize(report, { subject: { outfile: build.outfile, metafile: subject.metafile }, floor })
    const rig = await startRig({ floor: floor.outfile, oneEvent: oneEvent.outfile })
    try {
      const served = [
        measureRoundTrip,
        measureTranscript,
        measureWebhooks,
        measureBulkImport,
        measureBotpressCalls,
        measureAgentTurns,
      ]
      for (const [index, measure] of served.entries()) {
        // Figures 3 onwards, in the order of the table.
        if (wanted(index + 3)) await measure(report, rig)
      }
    } catch (error) {
      print(`The served integration's last log lines:\n${rig.subjectLogs.slice(-15).join('\n')}`)
      throw error
    } finally {
      await rig.close()
    }
  } finally {
    rmSync(work, { recursive: true, force: true })
  }

  print('')
  table(rows).forEach(print)
  print('')
  print(`bench took ${((performance.now() - started) / 1000).toFixed(0)} s`)
  if (only.length > 0) return
  mkdirSync(path.dirname(RESULTS), { recursive: true })
  writeFileSync(RESULTS, `${output.join('\n')}\n`)
}

main().catch((error: unknown) => {
  console.error(error)
  process.exitCode = 1
})
