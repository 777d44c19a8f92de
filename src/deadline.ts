/** The time an action may take, counted from its start and shared by all it does: Chatbase, Botpress, waiting. */
export class Deadline {
  private readonly at: number

  public constructor(public readonly ms: number) {
    this.at = Date.now() + ms
  }

  public remainingMs(): number {
    return Math.max(0, this.at - Date.now())
  }
}
