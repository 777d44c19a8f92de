/*
 * Figure 6: createContacts with 10,000 contacts. It must send ⌈n/1000⌉ requests (Chatbase takes at most 1000 users
 * a request); its wall time is set against the ideal: the very batches it sent, replayed straight to the emulator
 * at the integration's default concurrency (the input leaves it to the default, as a Studio card would).
 */
import { contactActions } from '../../../../src/definitions/actions/contacts'
import type { RecordedRequest } from '../../../support/chatbase-emulator'
import { replay, viaIntegration } from '../direct'
import { interleave, median, ms, ratio } from '../measure'
import type { Report, Rig } from '../rig'

const ACTION = 'createContacts'
const CONTACTS = 10_000
const PER_REQUEST = 1000
// No e-mail: the emulator checks e-mail uniqueness by scanning every stored contact, which would make its time
// grow with the square of the import and drown the integration's.
const contacts = Array.from({ length: CONTACTS }, (_, index) => ({
  externalId: `bench-contact-${index}`,
  name: `Contact ${index}`,
  phoneNumber: `+1415555${String(index).padStart(4, '0')}`,
  customAttributes: { plan: index % 2 === 0 ? 'pro' : 'free' },
}))

const isBatch = (request: RecordedRequest) => request.method === 'POST' && request.path.endsWith('/contacts')

/** Sends the recorded batches straight to the emulator, `concurrency` at a time. */
const idealImport = (rig: Rig, batches: RecordedRequest[], concurrency: number) => async (): Promise<number> => {
  rig.chatbase.reset()
  const start = performance.now()
  let next = 0
  const worker = async () => {
    while (next < batches.length) {
      await replay(rig.chatbase, batches[next++] as RecordedRequest)()
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
  return performance.now() - start
}

export const measureBulkImport = async (report: Report, rig: Rig): Promise<void> => {
  const figure = `6. bulk import of ${CONTACTS.toLocaleString('en')} contacts`
  const expected = Math.ceil(CONTACTS / PER_REQUEST)
  rig.chatbase.reset()
  const result = await rig.subject.callAction(ACTION, { contacts })
  if (result.status !== 200) {
    throw new Error(`${ACTION} failed through the integration: ${JSON.stringify(result.error)}`)
  }
  const batches = rig.chatbase.requests.filter(isBatch)
  const seenInFlight = rig.chatbase.stats.maxInFlight
  // The default the input schema fills in when a card leaves Concurrency blank.
  const { concurrency } = contactActions.createContacts.input.schema.parse({ contacts: [{ externalId: 'x' }] })
  const samples = await interleave(
    {
      integration: async () => {
        rig.chatbase.reset()
        return viaIntegration(rig.subject, ACTION, { contacts })()
      },
      ideal: idealImport(rig, batches, concurrency),
    },
    { repetitions: 7, warmUp: 1 }
  )
  rig.chatbase.reset()
  const [through, ideal] = [median(samples.integration), median(samples.ideal)]
  report.line(
    `6. ${ACTION}: ${batches.length} requests for ${CONTACTS} contacts (⌈n/${PER_REQUEST}⌉ = ${expected}), ` +
      `at most ${concurrency} in flight (the emulator saw ${seenInFlight} at once); 7 runs: ${ms(through)} through ` +
      `the integration, ${ms(ideal)} for the same batches sent directly`
  )
  report.row({
    figure: `${figure}: requests`,
    subject: String(batches.length),
    baseline: String(expected),
    ratio: '',
    goal: `= ⌈n/${PER_REQUEST}⌉`,
    holds: batches.length === expected,
  })
  report.row({
    figure: `${figure}: wall time at ${concurrency} in flight (p50)`,
    subject: ms(through),
    baseline: ms(ideal),
    ratio: ratio(through, ideal),
    goal: 'printed',
  })
}
