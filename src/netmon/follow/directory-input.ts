/**
 * @module A rotating capture directory as one capture input for readCapture: every capture file in
 * chronological order, by first packet, and every new version of a file a ring buffer rewrote under
 * the same name (followCaptureDirectory; the newest tailed while following), bytes counted per file
 * for progress and the report, and a file that cannot be opened or read (deleted by the ring buffer
 * before it was reached, no permission) recorded as a fault and skipped instead of ending the whole
 * read. A file that is no capture at all is read in its name-order place and reported by readCapture.
 */
import { DomainError } from '../../core/index.js';
import { DEFAULT_CAPTURE_NAME, followCaptureDirectory, scanCaptureFiles, type CaptureFileSource } from '../capture/directory.js';
import { isCaptureError } from '../capture/index.js';
import type { CaptureFault } from '../pipeline/read-capture.js';
import { fileIdentity } from './file-identity.js';

/** One file of a directory read, in the report. */
export interface CaptureFileRead {
  path: string;
  /** bytes read from it (short of its size when damage stopped the read) */
  bytes: number;
  /** its size and modification time once read: what a later read of it must find (evidence packets) */
  size?: number;
  modifiedAt?: string;
  /** packets framed in it (decodable or not) */
  packets: number;
  /** read-wide number of its first packet (frame numbers run on across files); 0 when it had none */
  firstFrame: number;
}

export interface DirectoryInputOptions {
  /** keep waiting for new files until `signal` aborts (default false: the files present now) */
  follow?: boolean;
  signal?: AbortSignal;
  pollMs?: number;
  match?: RegExp;
  /** files listed in filesRead() (the most recent; default MAX_FILES_KEPT) */
  maxFilesKept?: number;
}

export interface DirectoryReadHooks {
  /** a file is about to be opened */
  onFileStart?: (path: string) => void;
  /** bytes were read and processed (for progress) */
  onBytes?: (n: number) => void;
}

/** The name rule in words, for errors and help. */
export function describeCaptureNames(match: RegExp): string {
  return match === DEFAULT_CAPTURE_NAME
    ? 'names ending in .pcap, .pcapng or .cap, optionally followed by a rotation number (cap.pcap, cap.pcap1, ring_00001.pcapng)'
    : `names matching ${String(match)}`;
}

export function noCaptureFiles(dir: string, match: RegExp, when = 'in'): DomainError {
  return new DomainError('netmon.capture_not_found', `no capture files ${when} directory ${dir} (${describeCaptureNames(match)})`, { status: 404, location: { file: dir } });
}

/** files listed in the report of one read (and paths remembered to order faults) */
export const MAX_FILES_KEPT = 10_000;

const errnoText = (e: unknown) => (e as NodeJS.ErrnoException).code ?? (e instanceof Error ? e.message : String(e));

export class CaptureDirectoryInput {
  /** open and read failures (damage inside a file is reported by readCapture itself) */
  readonly faults: CaptureFault[] = [];
  /** the most recent MAX_FILES_KEPT files read (a follow can run for months, one file a minute) */
  private readonly read: CaptureFileRead[] = [];
  /** files read before those, no longer listed */
  filesDropped = 0;
  /** when each path was first met, read or not (to order faults); bounded like `read` */
  private readonly met = new Map<string, number>();
  private metCount = 0;
  private readonly maxKept: number;

  private constructor(
    readonly dir: string,
    readonly match: RegExp,
    /** sum of the file sizes when not following (for a progress bar), else undefined */
    readonly totalBytes: number | undefined,
    private readonly opts: DirectoryInputOptions,
  ) {
    this.maxKept = opts.maxFilesKept ?? MAX_FILES_KEPT;
  }

  /** Fails (netmon.capture_not_found) on a directory without capture files, unless following. */
  static async open(dir: string, opts: DirectoryInputOptions = {}): Promise<CaptureDirectoryInput> {
    const match = opts.match ?? DEFAULT_CAPTURE_NAME;
    const files = await scanCaptureFiles(dir, match);
    if (files.length === 0 && !opts.follow) throw noCaptureFiles(dir, match);
    const total = opts.follow ? undefined : files.reduce((sum, f) => sum + f.size, 0);
    return new CaptureDirectoryInput(dir, match, total, opts);
  }

  /** The files for readCapture({ files }); chunks are recycled (readCapture keeps no view of one). */
  async *files(hooks: DirectoryReadHooks = {}): AsyncGenerator<CaptureFileSource> {
    const { signal } = this.opts;
    const sources = followCaptureDirectory(this.dir, {
      follow: this.opts.follow ?? false,
      match: this.match,
      recycleBuffers: true,
      ...(signal ? { signal } : {}),
      ...(this.opts.pollMs === undefined ? {} : { pollMs: this.opts.pollMs }),
    });
    for (;;) {
      let next: IteratorResult<CaptureFileSource>;
      try {
        next = await sources.next();
      } catch (e) {
        // The directory itself went away or became unreadable: nothing more can be read from it.
        throw new DomainError('netmon.capture_not_found', `capture directory ${this.dir} cannot be listed: ${errnoText(e)}`, { status: 404, location: { file: this.dir } });
      }
      if (next.done) return;
      const src = next.value;
      if (!this.met.has(src.path)) {
        this.met.set(src.path, this.metCount++);
        // the oldest path goes (a Map iterates in insertion order)
        if (this.met.size > this.maxKept) this.met.delete(this.met.keys().next().value as string);
      }
      hooks.onFileStart?.(src.path);
      const it = src.chunks[Symbol.asyncIterator]();
      let first: IteratorResult<Uint8Array>;
      try {
        // Opening happens at the first read: a file that cannot be opened is skipped here, whole.
        first = await it.next();
      } catch (e) {
        if (isCaptureError(e)) throw e;
        this.faults.push({ code: 'capture.unreadable', message: `${src.path} cannot be read: ${errnoText(e)}`, byteOffset: 0, file: src.path });
        continue;
      }
      if (first.done && signal?.aborted) return;
      const rec: CaptureFileRead = { path: src.path, bytes: 0, packets: 0, firstFrame: 0 };
      this.read.push(rec);
      if (this.read.length > this.maxKept) {
        this.read.shift();
        this.filesDropped++;
      }
      yield { path: src.path, chunks: this.counted(rec, first, it, hooks) };
    }
  }

  /** readCapture's onFile: where the file's frames start. */
  onFile(path: string, firstFrame: number): void {
    const rec = this.read[this.read.length - 1];
    if (rec?.path === path) rec.firstFrame = firstFrame;
  }

  /** The files read, with their packet counts, once readCapture has finished (`packets`: its total). */
  filesRead(packets: number): CaptureFileRead[] {
    const started = this.read.filter((r) => r.firstFrame > 0);
    return started.map((r, i) => {
      const next = started[i + 1]?.firstFrame ?? packets + 1;
      const n = next - r.firstFrame;
      return { ...r, packets: n, firstFrame: n > 0 ? r.firstFrame : 0 };
    });
  }

  /** `faults` and readCapture's own faults together, in file order. */
  allFaults(fromReader: readonly CaptureFault[]): CaptureFault[] {
    const order = (f: CaptureFault) => (f.file === undefined ? -1 : (this.met.get(f.file) ?? -1));
    return [...fromReader, ...this.faults].sort((a, b) => order(a) - order(b));
  }

  private async *counted(rec: CaptureFileRead, first: IteratorResult<Uint8Array>, it: AsyncIterator<Uint8Array>, hooks: DirectoryReadHooks): AsyncGenerator<Uint8Array> {
    try {
      for (let r = first; !r.done; ) {
        const n = r.value.length;
        rec.bytes += n;
        yield r.value;
        // After the yield: the chunk has been processed, so progress counts its packets too.
        hooks.onBytes?.(n);
        try {
          r = await it.next();
        } catch (e) {
          if (isCaptureError(e)) throw e;
          // The bytes before the failure were read: keep them, and record where reading stopped.
          this.faults.push({ code: 'capture.unreadable', message: `${rec.path} cannot be read past byte ${rec.bytes}: ${errnoText(e)}`, byteOffset: rec.bytes, file: rec.path });
          return;
        }
      }
    } finally {
      await it.return?.();
      const id = await fileIdentity(rec.path).catch(() => undefined);
      if (id !== undefined) {
        rec.size = id.bytes;
        rec.modifiedAt = id.modifiedAt;
      }
    }
  }
}
