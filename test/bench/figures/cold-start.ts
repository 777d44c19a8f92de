/* Figure 1: the cost of loading the bundle in a fresh Node process, against the empty integration's bundle. */
import { execFile } from 'node:child_process'
import { performance } from 'node:perf_hooks'
import { interleave, median, ms, ratio } from '../measure'
import type { Report } from '../rig'

// Times the require itself inside the child, so that Node's own start-up (the same for both) does not dilute it.
const PROBE =
  'const start = process.hrtime.bigint(); require(process.argv[1]); process.stdout.write(String(Number(process.hrtime.bigint() - start) / 1e6))'

type ColdStart = { requireMs: number; processMs: number }

const coldStart = (bundle: string) => (): Promise<ColdStart> =>
  new Promise((resolve, reject) => {
    const start = performance.now()
    execFile(process.execPath, ['-e', PROBE, bundle], { env: { PATH: process.env.PATH ?? '' } }, (error, stdout) => {
      if (error) {
        reject(error)
      } else {
        resolve({ requireMs: Number(stdout), processMs: performance.now() - start })
      }
    })
  })

const GOAL = 1.1

export const measureColdStart = async (report: Report, bundles: { subject: string; floor: string }): Promise<void> => {
  const samples = await interleave(
    { subject: coldStart(bundles.subject), floor: coldStart(bundles.floor) },
    { repetitions: 30, warmUp: 3 }
  )
  const requireOf = (name: 'subject' | 'floor') => median(samples[name].map((sample) => sample.requireMs))
  const processOf = (name: 'subject' | 'floor') => median(samples[name].map((sample) => sample.processMs))
  report.line(
    `1. cold start, 30 fresh processes each: require ${ms(requireOf('subject'))} vs ${ms(requireOf('floor'))}; ` +
      `whole process (spawn to exit) ${ms(processOf('subject'))} vs ${ms(processOf('floor'))} (${ratio(processOf('subject'), processOf('floor'))})`
  )
  report.row({
    figure: '1. cold start (require, p50)',
    subject: ms(requireOf('subject')),
    baseline: ms(requireOf('floor')),
    ratio: ratio(requireOf('subject'), requireOf('floor')),
    goal: `≤ ${GOAL.toFixed(2)}×`,
    holds: requireOf('subject') / requireOf('floor') <= GOAL,
  })
}
