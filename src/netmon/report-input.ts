/**
 * @module Where a capture analysis reads from: a file, stdin or a rotating directory opened as the
 * pipeline's input (openSource), and that input with progress reporting (progressReporter).
 */
import { stat } from 'node:fs/promises';
import { DomainError } from '../core/index.js';
import { recycledFileSource, stdinSource, type ByteSource } from './capture/index.js';
import { CaptureDirectoryInput } from './follow/directory-input.js';
import type { LiveCounters } from './pipeline/events.js';
import type { CaptureInput } from './pipeline/read-capture.js';
import type { AnalyzeOptions, CaptureSource } from './report.js';

export type OpenedSource = { name: string; totalBytes?: number } & ({ bytes: ByteSource } | { directory: CaptureDirectoryInput });

export async function openSource(source: CaptureSource, opts: AnalyzeOptions): Promise<OpenedSource> {
  if (typeof source !== 'string' || source === '-') {
    if (opts.follow) throw new DomainError('netmon.invalid_option', 'following reads a capture directory, not a stream', { status: 400 });
    return typeof source === 'string' ? { bytes: stdinSource(), name: 'stdin' } : source;
  }
  const info = await stat(source).catch(() => undefined);
  if (info?.isDirectory()) {
    const directory = await CaptureDirectoryInput.open(source, {
      ...(opts.follow ? { follow: true } : {}),
      ...(opts.signal ? { signal: opts.signal } : {}),
      ...(opts.match ? { match: opts.match } : {}),
      ...(opts.pollMs === undefined ? {} : { pollMs: opts.pollMs }),
    });
    return { directory, name: source, ...(directory.totalBytes === undefined ? {} : { totalBytes: directory.totalBytes }) };
  }
  if (!info?.isFile()) throw new DomainError('netmon.capture_not_found', `capture file ${source} does not exist or is not a file or directory`, { status: 404, location: { file: source } });
  if (opts.follow) throw new DomainError('netmon.invalid_option', `following reads a capture directory; ${source} is a file`, { status: 400, location: { file: source } });
  // Every chunk is consumed before the next is read (readCapture), so the read buffers are recycled.
  return { bytes: recycledFileSource(source), name: source, totalBytes: info.size };
}

/**
 * The capture input with progress reporting (AnalyzeOptions.onProgress, at most every
 * progressIntervalMs): bytes counted as chunks are read, packets and flows from the live counters.
 */
export function progressReporter(input: OpenedSource, opts: AnalyzeOptions, observations: () => number): { input: CaptureInput; live: LiveCounters; done: () => void } {
  const started = performance.now();
  const interval = opts.progressIntervalMs ?? 200;
  let bytes = 0;
  const current: { file?: string; files: number } = { files: 0 };
  const live: LiveCounters = { packets: 0, flows: 0 };
  let lastProgress = 0;
  const progress = (force: boolean) => {
    if (!opts.onProgress) return;
    const now = performance.now();
    if (!force && now - lastProgress < interval) return;
    lastProgress = now;
    opts.onProgress({
      bytes,
      ...(input.totalBytes === undefined ? {} : { totalBytes: input.totalBytes }),
      packets: live.packets,
      flows: live.flows,
      observations: observations(),
      elapsedMs: now - started,
      ...(current.file === undefined ? {} : { file: current.file, files: current.files }),
    });
  };
  async function* counted(chunks: ByteSource): AsyncGenerator<Uint8Array> {
    for await (const chunk of chunks) {
      bytes += chunk.length;
      yield chunk;
      progress(false);
    }
  }
  const captureInput: CaptureInput =
    'bytes' in input
      ? { bytes: counted(input.bytes), name: input.name }
      : {
          files: input.directory.files({
            onFileStart: (path) => {
              current.file = path;
              current.files++;
              progress(true);
            },
            onBytes: (n) => {
              bytes += n;
              progress(false);
            },
          }),
        };
  return { input: captureInput, live, done: () => progress(true) };
}
