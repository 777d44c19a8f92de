/*
 * Figure 8: what a turn of Message AI Agent costs on API v2, where Chatbase keeps the conversation, at turn 1 and at
 * turn 200 of one Botpress conversation: requests and bytes sent to Chatbase (counted from the emulator's record)
 * and Botpress API calls (from the stand-in's). Turn 1 runs on a newly served process, turn 200 on that same process
 * once warm. Two more turns say what the look-up costs elsewhere: turn 1 of another conversation on the warm
 * process, and turn 201 on a second new process, which finds the conversation through Chatbase alone.
 */
import type { IntegrationDriver } from '../../../support/botpress-protocol'
import type { RecordedRequest } from '../../../support/chatbase-emulator'
import { ratio } from '../measure'
import type { Report, Rig } from '../rig'

const TURNS = 200
const REQUESTS_GOAL = 1
const BYTES_GOAL = 1.05
const BOTPRESS_CALLS_GOAL = 0
// A Botpress conversation id as Cloud makes them (conv_ and a ULID): turn 1 names the Chatbase user derived from it,
// later turns the Chatbase conversation, so their lengths set the one difference between the chat requests.
const CONVERSATION = 'conv_01JE5B8XG2N4Q7R9T1V3W5Y7Z9'
// The same message every turn, so that any growth in bytes is the integration's.
const MESSAGE = 'Could you tell me whether the premium plan includes priority support?'

type TurnCost = {
  requests: RecordedRequest[]
  /** Request line, headers and body of every request, as received. */
  bytes: number
  /** The same, of the chat request alone. */
  chatBytes: number
  botpressCalls: number
  chatbaseConversationId: string
}

// The request line as a client sends it, but for the API's prefix, the same every turn.
const wireBytes = ({ method, path, query, headers, body }: RecordedRequest): number => {
  const search = new URLSearchParams(query).toString()
  const head = [
    `${method} ${path}${search ? `?${search}` : ''} HTTP/1.1`,
    ...Object.entries(headers).map(([name, value]) => `${name}: ${[value ?? ''].flat().join(', ')}`),
  ]
  return Buffer.byteLength(`${head.join('\r\n')}\r\n\r\n`) + Buffer.byteLength(body)
}

const isChat = (request: RecordedRequest) => request.method === 'POST' && request.path.endsWith('/chat')

const turn = async (rig: Rig, driver: IntegrationDriver, conversationId: string): Promise<TurnCost> => {
  rig.chatbase.requests.length = 0
  rig.botpress.requests.length = 0
  const result = await driver.callAction('messageChatbot', { message: MESSAGE, conversationId })
  if (result.status !== 200 || result.output?.api !== 'v2') {
    throw new Error(`messageChatbot did not answer on API v2: ${JSON.stringify(result.error ?? result.output)}`)
  }
  const requests = [...rig.chatbase.requests]
  const sum = (of: RecordedRequest[]) => of.reduce((total, request) => total + wireBytes(request), 0)
  return {
    requests,
    bytes: sum(requests),
    chatBytes: sum(requests.filter(isChat)),
    botpressCalls: rig.botpress.requests.length,
    chatbaseConversationId: String(result.output.chatbaseConversationId),
  }
}

const described = (cost: TurnCost) =>
  `${cost.requests.length} Chatbase request${cost.requests.length === 1 ? '' : 's'} (${cost.requests.map(({ method, path }) => `${method} ${path}`).join(', ')}), ${cost.bytes} bytes, ${cost.botpressCalls} Botpress API calls`

export const measureAgentTurns = async (report: Report, rig: Rig): Promise<void> => {
  rig.chatbase.reset()
  rig.botpress.reset()
  const fresh = await rig.serveFreshSubject()
  let first: TurnCost, last: TurnCost, warmFirst: TurnCost, coldLater: TurnCost
  try {
    first = await turn(rig, fresh.driver, CONVERSATION)
    for (let played = 2; played < TURNS; played++) {
      await fresh.driver.callAction('messageChatbot', { message: MESSAGE, conversationId: CONVERSATION })
    }
    last = await turn(rig, fresh.driver, CONVERSATION)
    warmFirst = await turn(rig, fresh.driver, `${CONVERSATION}-other`)
  } finally {
    await fresh.close()
  }
  const second = await rig.serveFreshSubject()
  try {
    coldLater = await turn(rig, second.driver, CONVERSATION)
  } finally {
    await second.close()
  }
  const sameConversation = [last, coldLater].every(
    (cost) => cost.chatbaseConversationId === first.chatbaseConversationId
  )

  report.line(
    `8. Message AI Agent on API v2, one Botpress conversation, the same ${MESSAGE.length}-character message a turn:`
  )
  report.line(`   turn 1 on a newly served process: ${described(first)}`)
  report.line(`   turn ${TURNS} on that process, warm: ${described(last)}`)
  report.line(
    `   turn 1 costs a look-up of the user's latest conversation plus the chat on any instance, fresh or warm (turn 1 of another conversation on the warm process: ${described(warmFirst)}): no instance has seen the conversation, and another may have started it. A later turn costs the chat alone on an instance that remembers the link, and the look-up again on one that does not (turn ${TURNS + 1} on a second new process: ${described(coldLater)}; ${sameConversation ? 'it continued the same Chatbase conversation' : 'it did NOT continue the same Chatbase conversation'})`
  )
  report.line(
    `   bytes to Chatbase: turn ${TURNS} ${last.bytes} vs turn 1 ${first.bytes} (${ratio(last.bytes, first.bytes)}); the chat request alone ${last.chatBytes} vs ${first.chatBytes} (${ratio(last.chatBytes, first.chatBytes)}), which differ only in naming the Chatbase conversation instead of the user: Chatbase keeps the conversation, so nothing grows with it`
  )

  const lookUpReason = `a fresh instance first asks Chatbase for the user's latest conversation, which another instance may have started; turn ${TURNS} on a warm one: ${last.requests.length}`
  for (const [at, cost] of [
    ['turn 1, fresh process', first],
    [`turn ${TURNS}, warm`, last],
  ] as const) {
    const holds = cost.requests.length <= REQUESTS_GOAL
    report.row({
      figure: `8. Message AI Agent (v2), Chatbase requests per turn: ${at}`,
      subject: String(cost.requests.length),
      baseline: '',
      ratio: '',
      goal: `${REQUESTS_GOAL}`,
      holds,
      ...(!holds && { reason: cost === first ? lookUpReason : 'more than the chat on a warm instance' }),
    })
  }
  for (const [what, subject, baseline] of [
    ['every request', last.bytes, first.bytes],
    ['the chat request', last.chatBytes, first.chatBytes],
  ] as const) {
    report.row({
      figure: `8. Message AI Agent (v2), bytes to Chatbase, ${what}: turn ${TURNS} vs turn 1`,
      subject: `${subject} B`,
      baseline: `${baseline} B`,
      ratio: ratio(subject, baseline),
      goal: `≤ ${BYTES_GOAL.toFixed(2)}×`,
      holds: subject / baseline <= BYTES_GOAL,
      reason: 'the request grows with the conversation',
    })
  }
  report.row({
    figure: `8. Message AI Agent (v2), Botpress API calls: turn 1 / turn ${TURNS}`,
    subject: `${first.botpressCalls} / ${last.botpressCalls}`,
    baseline: '',
    ratio: '',
    goal: `${BOTPRESS_CALLS_GOAL}`,
    holds: first.botpressCalls === BOTPRESS_CALLS_GOAL && last.botpressCalls === BOTPRESS_CALLS_GOAL,
    reason: 'the turn called the Botpress API',
  })
  rig.chatbase.reset()
  rig.botpress.reset()
}
