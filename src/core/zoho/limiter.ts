/**
 * The one concurrency limiter: at most `max` tasks run at once, the rest wait in FIFO order per
 * lane. Zoho caps concurrent calls per org by edition (5 on Free, up to 25) and answers 429
 * beyond it, so callers keep their own cap below that (default 5, zoho-api.md §11.2).
 *
 * Three lanes, served in this order: a person waiting in Slack (`interactive`: a one-record
 * change and the polls confirming it, `/territory show`, a preview), the batches of a bulk being
 * sent (`bulk`), and work no one waits on this second (`background`: polls confirming a bulk's
 * jobs, the scheduled monitor run), which starts only while nothing else runs. Without them the
 * client's limiter was one FIFO queue: a bulk's polls took Zoho slots from its own sends, and a
 * bulk held every slot from someone's single change.
 *
 * The lane is passed, not carried: the engine or the tracker says which lane a task works in,
 * and the Zoho calls it makes go through the client's view for that lane (`ZohoApi.inLane`).
 * It travelled in an AsyncLocalStorage before, whose promise hooks on Node 20 and 22 ran for
 * every promise of the process: about a tenth of the app's CPU per slash command (issue 13).
 */

export type Lane = 'interactive' | 'bulk' | 'background';

const LANE_ORDER: readonly Lane[] = ['interactive', 'bulk', 'background'];

export class Limiter {
  private readonly activeIn: Record<Lane, number> = { interactive: 0, bulk: 0, background: 0 };
  private readonly queues: Record<Lane, Array<() => void>> = { interactive: [], bulk: [], background: [] };

  constructor(readonly max: number) {
    if (!Number.isInteger(max) || max < 1)
      throw new RangeError(`Limiter: max must be a positive integer, got ${max}`);
  }

  /** Tasks currently running. */
  get running(): number {
    return LANE_ORDER.reduce((n, lane) => n + this.activeIn[lane], 0);
  }

  /** Tasks waiting for a slot. */
  get queued(): number {
    return LANE_ORDER.reduce((n, lane) => n + this.queues[lane].length, 0);
  }

  /** Runs `task` when a slot is free in `lane`; a task no one labelled is someone waiting in Slack. */
  async run<T>(task: () => Promise<T>, lane: Lane = 'interactive'): Promise<T> {
    await this.acquire(lane);
    try {
      return await task();
    } finally {
      this.release(lane);
    }
  }

  /**
   * Background work starts only while no one's work and no bulk runs: a slot freed between two
   * of a bulk's calls (while its next batch is being marked in flight) is not taken by a poll,
   * which would hold it for a whole call. Once they are done it gets every free slot.
   */
  private mayStart(lane: Lane): boolean {
    if (this.running >= this.max) return false;
    return lane !== 'background' || this.activeIn.interactive + this.activeIn.bulk === 0;
  }

  private acquire(lane: Lane): Promise<void> {
    if (this.queues[lane].length === 0 && this.mayStart(lane)) {
      this.activeIn[lane] += 1;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.queues[lane].push(resolve));
  }

  private release(lane: Lane): void {
    this.activeIn[lane] -= 1;
    for (const next of LANE_ORDER) {
      const queue = this.queues[next];
      while (queue.length > 0 && this.mayStart(next)) {
        this.activeIn[next] += 1;
        queue.shift()!();
      }
    }
  }
}
