/*
 * Figure 1: the cost of loading the bundle in a fresh Node process, against the empty integration's bundle, and the
 * cost of the first action there: action modules load on their first call, so that is where their schemas are built.
 */
import { execFile } from 'node:child_process'
import { performance } from 'node:perf_hooks'
import { operationHeaders, testInstallation, type Operation } from '../../../support/botpress-protocol'
import { chatbaseEnvironment, startChatbaseEmulator } from '../../../support/chatbase-emulator'
import { interleave, median, ms, ratio } from '../measure'
import type { Report } from '../rig'

// Times the require itself inside the child, so that Node's own start-up (the same for both) does not dilute it.
const REQUIRE_PROBE =
  'const start = process.hrtime.bigint(); require(process.argv[1]); process.stdout.write(String(Number(process.hrtime.bigint() - start) / 1e6))'

// Times the first operation after the require, handed to the SDK's handler as `integration.start` hands it over.
const FIRST_CALL_PROBE = `
const [bundle, headers, body] = process.argv.slice(1)
const integration = require(bundle).default
const start = process.hrtime.bigint()
integration.handler({ method: 'POST', path: '/', query: '', headers: JSON.parse(headers), body }).then((answer) => {
  if (answer?.status !== 200) throw new Error('answered ' + JSON.stringify(answer))
  process.stdout.write(String(Number(process.hrtime.bigint() - start) / 1e6))
})`

/** What the probe timed inside the child, and the whole child process from spawn to exit. */
type ChildRun = { timedMs: number; processMs: number }

const runChild = (args: string[], env: Record<string, string>) => (): Promise<ChildRun> =>
  new Promise((resolve, reject) => {
    const start = performance.now()
    execFile(process.execPath, args, { env: { PATH: process.env.PATH ?? '', ...env } }, (error, stdout) => {
      if (error) {
        reject(error)
      } else {
        resolve({ timedMs: Number(stdout), processMs: performance.now() - start })
      }
    })
  })

const coldStart = (bundle: string) => runChild(['-e', REQUIRE_PROBE, bundle], {})

const GOAL = 1.1
const CHATBOT_ID = 'cold-chatbot'
// As in figure 3: a page of 10 leads.
const GET_LEADS = { type: 'getLeads', input: { startDate: '2020-01-01', size: 10 } }

export const measureColdStart = async (report: Report, bundles: { subject: string; floor: string }): Promise<void> => {
  const samples = await interleave(
    { subject: coldStart(bundles.subject), floor: coldStart(bundles.floor) },
    { repetitions: 30, warmUp: 3 }
  )
  const requireOf = (name: 'subject' | 'floor') => median(samples[name].map((sample) => sample.timedMs))
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

  const chatbase = await startChatbaseEmulator({ chatbotIds: [CHATBOT_ID] })
  try {
    for (let lead = 0; lead < 10; lead++) {
      chatbase.addLead(CHATBOT_ID, { name: `Lead ${lead}`, email: `lead${lead}@example.com`, phone: '+14155550100' })
    }
    const installation = testInstallation({ apiKey: chatbase.apiKey, chatbotId: CHATBOT_ID })
    const firstCall = (bundle: string, operation: Operation, body: unknown) => {
      const headers = JSON.stringify(operationHeaders(operation, installation))
      return runChild(['-e', FIRST_CALL_PROBE, bundle, headers, JSON.stringify(body)], chatbaseEnvironment(chatbase))
    }
    const first = await interleave(
      {
        subject: firstCall(bundles.subject, 'action_triggered', GET_LEADS),
        floor: firstCall(bundles.floor, 'ping', {}),
      },
      { repetitions: 30, warmUp: 3 }
    )
    const firstOf = (name: 'subject' | 'floor') => median(first[name].map((sample) => sample.timedMs))
    const [subject, floor] = [firstOf('subject'), firstOf('floor')]
    report.line(
      `1. first call after a cold start, 30 fresh processes each: getLeads ${ms(subject)} (its module and its area's schemas ` +
        `loaded, then the process's first request to Chatbase) vs the empty integration's first ping ${ms(floor)}`
    )
    report.row({
      figure: '1. first getLeads after a cold start (p50)',
      subject: ms(subject),
      baseline: ms(floor),
      ratio: ratio(subject, floor),
      goal: 'printed',
    })
  } finally {
    await chatbase.close()
  }
}
