// How a run shows its progress: a live multi-bar display (cli-progress) on a terminal; one plain line per
// event when output is not a terminal or with --quiet; one JSON object per line with --json.
import type * as CliProgress from 'cli-progress';
import { createRequire } from 'node:module';
import type { ExecEvent } from '../runtime/exec/index.ts';
import { formatDuration } from '../runtime/study/estimate.ts';

export type ProgressMode = 'live' | 'plain' | 'json';

export interface ProgressOptions {
  json?: boolean;
  quiet?: boolean;
  /** Where to write (default: stdout). Its `isTTY` decides between live and plain output. */
  stream?: NodeJS.WritableStream & { isTTY?: boolean };
}

export interface ProgressReporter {
  readonly mode: ProgressMode;
  onEvent(event: ExecEvent): void;
  /** Releases the terminal (safe to call twice; plan-done calls it too). */
  stop(): void;
}

export function progressMode(options: ProgressOptions): ProgressMode {
  if (options.json) return 'json';
  if (options.quiet || !(options.stream ?? process.stdout).isTTY) return 'plain';
  return 'live';
}

export function createProgressReporter(options: ProgressOptions = {}): ProgressReporter {
  const stream = options.stream ?? process.stdout;
  const mode = progressMode(options);
  if (mode === 'live') return new LiveProgress(stream);
  const render = mode === 'json' ? (event: ExecEvent) => JSON.stringify(event) : describeEvent;
  return {
    mode,
    onEvent(event) {
      const line = render(event);
      if (line !== undefined) stream.write(`${line}\n`);
    },
    stop() {},
  };
}

/** The plain-text line for an event, or undefined for events not worth a line (cache hits are summed up). */
export function describeEvent(event: ExecEvent): string | undefined {
  switch (event.type) {
    case 'plan-start':
      return `plan: ${event.total} jobs, ${event.cached} cached, ${event.toRun} to run${event.toRun > 0 ? ` on ${event.workers} worker${event.workers === 1 ? '' : 's'}` : ''}`;
    case 'estimate':
      return `estimated wall time ${formatDuration(event.seconds)} on ${event.workers} worker${event.workers === 1 ? '' : 's'}`;
    case 'job-start':
      return `start  ${event.jobId} (worker ${event.worker})`;
    case 'job-progress':
      return `epoch  ${event.jobId} ${event.epoch}/${event.epochs}${event.loss === undefined ? '' : ` loss ${formatLoss(event.loss)}`}`;
    case 'job-done':
      return event.cached ? undefined : `done   ${event.jobId} in ${event.seconds.toFixed(1)}s`;
    case 'job-failed': {
      const where = event.source ? ` at ${event.source.file}:${event.source.line}:${event.source.column}` : '';
      const quote = event.source ? `\n  ${event.source.line} | ${event.source.text}` : '';
      return `FAILED ${event.jobId} (${event.kind})${where}: ${event.message}${quote}`;
    }
    case 'cache-corrupt':
      return `cache entry for ${event.jobId} is corrupt (${event.reason}); re-running`;
    case 'plan-done': {
      const busy = event.utilisation === undefined ? '' : `, workers ${Math.round(event.utilisation * 100)}% busy`;
      const counts = `${event.ran} ran, ${event.cached} cached, ${event.failed} failed, ${event.skipped} skipped in ${event.seconds.toFixed(1)}s${busy}`;
      return event.interrupted
        ? `interrupted: ${counts}; finished jobs are cached, run again to resume`
        : `${event.failed > 0 ? 'finished with failures' : 'finished'}: ${counts}`;
    }
  }
}

function formatLoss(loss: number): string {
  return Math.abs(loss) >= 1e-3 && Math.abs(loss) < 1e4 ? loss.toFixed(4) : loss.toExponential(3);
}

interface BarPayload {
  label: string;
  detail: string;
  /** Only the overall bar shows the elapsed time. */
  elapsed?: boolean;
  /** When the estimate says the run ends (ms since the epoch), for the overall bar's time left. */
  estimatedEnd?: number;
}

/** cli-progress, loaded when a run has jobs to show: a fully cached run draws no bars. */
const loadCliProgress = (): typeof CliProgress => createRequire(import.meta.url)('cli-progress') as typeof CliProgress;

/**
 * One bar for the whole plan (done / running / queued, elapsed), one line per worker (job, epoch, loss). The bars
 * start with a plan that has jobs to run; without any, only the closing line is written.
 */
class LiveProgress implements ProgressReporter {
  readonly mode = 'live';
  private bars?: CliProgress.MultiBar;
  private overall?: CliProgress.SingleBar;
  private readonly workerBars = new Map<number, CliProgress.SingleBar>();
  /** Which job each busy worker runs. */
  private readonly busy = new Map<number, string>();
  private total = 0;
  private estimatedEnd?: number;
  private finished = 0;
  private failed = 0;
  private stopped = false;

  constructor(private readonly stream: NodeJS.WritableStream) {}

  private startBars(): CliProgress.MultiBar {
    const cliProgress = loadCliProgress();
    return new cliProgress.MultiBar(
      {
        stream: this.stream as NodeJS.WriteStream,
        hideCursor: true,
        // The run stops the bars itself when it ends or is interrupted.
        gracefulExit: false,
        emptyOnZero: true,
        barsize: 24,
        format: (options, params, payload: BarPayload) => {
          // Whole seconds: TimeFormat keeps only the last two characters of a fractional value below 10 s.
          const elapsed = payload.elapsed
            ? `  ${cliProgress.Format.TimeFormat(Math.round((Date.now() - params.startTime) / 1000), options, 1)}`
            : '';
          const left =
            payload.estimatedEnd === undefined
              ? ''
              : `, ~${formatDuration(Math.max(0, (payload.estimatedEnd - Date.now()) / 1000))} left`;
          return `${payload.label.padEnd(10)} ${cliProgress.Format.BarFormat(params.progress, options)} ${payload.detail}${elapsed}${left}`;
        },
      },
      cliProgress.Presets.shades_classic,
    );
  }

  onEvent(event: ExecEvent): void {
    if (this.stopped) return;
    switch (event.type) {
      case 'plan-start':
        // Nothing runs: no bars; a corrupt cache entry and the closing line come as plain lines.
        if (event.toRun === 0) return;
        this.bars = this.startBars();
        this.total = event.total;
        this.finished = event.cached;
        this.overall = this.bars.create(event.total, event.cached, this.overallPayload());
        break;
      case 'estimate':
        this.estimatedEnd = Date.now() + event.seconds * 1000;
        this.refresh();
        break;
      case 'job-start':
        this.busy.set(event.worker, event.jobId);
        this.workerBar(event.worker)?.update(0, { detail: event.jobId });
        this.refresh();
        break;
      case 'job-progress': {
        const bar = this.workerBar(event.worker);
        bar?.setTotal(event.epochs);
        const loss = event.loss === undefined ? '' : `  loss ${formatLoss(event.loss)}`;
        bar?.update(event.epoch, { detail: `${event.jobId}  epoch ${event.epoch}/${event.epochs}${loss}` });
        break;
      }
      case 'job-done':
        if (!event.cached) this.jobEnded(event.jobId, 'done');
        break;
      case 'job-failed':
        this.jobEnded(event.jobId, 'failed');
        this.log(event);
        break;
      case 'cache-corrupt':
        this.log(event);
        break;
      case 'plan-done':
        this.stop();
        this.stream.write(`${describeEvent(event)}\n`);
        break;
    }
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.bars?.stop();
  }

  private jobEnded(jobId: string, outcome: 'done' | 'failed'): void {
    if (outcome === 'done') this.finished++;
    else this.failed++;
    for (const [worker, running] of this.busy) {
      if (running !== jobId) continue;
      this.busy.delete(worker);
      this.workerBar(worker)?.update(0, { detail: 'idle' });
    }
    this.refresh();
  }

  /** The event's line: above the bars while they are drawn, else a plain line. */
  private log(event: ExecEvent): void {
    const line = `${describeEvent(event)}\n`;
    if (this.bars) this.bars.log(line);
    else this.stream.write(line);
  }

  /** The worker's bar; none without bars (a plan with nothing to run has no worker events anyway). */
  private workerBar(index: number): CliProgress.SingleBar | undefined {
    let bar = this.workerBars.get(index);
    if (!bar && this.bars) {
      bar = this.bars.create(0, 0, { label: `worker ${index}`, detail: 'idle' } satisfies BarPayload);
      this.workerBars.set(index, bar);
    }
    return bar;
  }

  private refresh(): void {
    this.overall?.update(this.finished, this.overallPayload());
  }

  private overallPayload(): BarPayload {
    const running = this.busy.size;
    const queued = Math.max(0, this.total - this.finished - this.failed - running);
    const failed = this.failed > 0 ? `, ${this.failed} failed` : '';
    return {
      label: 'jobs',
      detail: `${this.finished}/${this.total} done, ${running} running, ${queued} queued${failed}`,
      elapsed: true,
      estimatedEnd: this.estimatedEnd,
    };
  }
}
