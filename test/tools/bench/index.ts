/*
 * `npm run bench` (after `npm run build`): what the integration costs beside Chatbase, each figure as a ratio
 * against a baseline measured in this same run. Prints a detail line per figure, then the table, and keeps the
 * whole output in test/tools/bench/results/latest.txt. Loopback only; under a minute on two cores.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { bundleLikeTheBuild, readBuildScript, ROOT } from '../../support/build'
import { measureBotpressCalls } from './figures/botpress-calls'
import { measureBulkImport } from './figures/bulk-import'
import { measureBundleSize } from './figures/bundle-size'
import { measureColdStart } from './figures/cold-start'
import { measureRoundTrip } from './figures/round-trip'
import { measureTranscript } from './figures/transcript'
import { measureWebhooks } from './figures/webhooks'
import { startRig, type Report, type Row } from './rig'

const RESULTS = path.join(__dirname, 'results', 'latest.txt')
const FLOOR = path.join(__dirname, 'empty-integration.ts')
const ONE_EVENT = path.join(__dirname, 'one-event-integration.ts')

const table = (rows: Row[]): string[] => [
  '| figure | integration | baseline | ratio | goal | holds |',
  '| --- | --- | --- | --- | --- | --- |',
  ...rows.map(
    (row) =>
      `| ${row.figure} | ${row.subject} | ${row.baseline} | ${row.ratio} | ${row.goal} | ${row.holds === undefined ? '' : row.holds ? 'yes' : 'NO'} |`
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

    await measureColdStart(report, { subject: build.outfile, floor: floor.outfile })
    measureBundleSize(report, { subject: { outfile: build.outfile, metafile: subject.metafile }, floor })
    const rig = await startRig({ floor: floor.outfile, oneEvent: oneEvent.outfile })
    try {
      await measureRoundTrip(report, rig)
      await measureTranscript(report, rig)
      await measureWebhooks(report, rig)
      await measureBulkImport(report, rig)
      await measureBotpressCalls(report, rig)
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
  mkdirSync(path.dirname(RESULTS), { recursive: true })
  writeFileSync(RESULTS, `${output.join('\n')}\n`)
}

main().catch((error: unknown) => {
  console.error(error)
  process.exitCode = 1
})
