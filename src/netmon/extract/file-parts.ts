/**
 * @module Capture files as the parts of an extraction (the I/O edge): a file read in chunks from one
 * handle, whose identity is checked each time it is opened and when a read reaches its end, so two
 * reads of an extraction see the same file; a directory read as one capture, its files in the order
 * `netmon report DIR` reads them (by first packet), so frame numbers run on across them alike.
 */
import { constants, type Stats } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import { DomainError } from '../../core/index.js';
import { DEFAULT_CAPTURE_NAME, scanCaptureFiles } from '../capture/directory.js';
import { noCaptureFiles } from '../follow/directory-input.js';
import { captureFileChanged } from './errors.js';
import type { CapturePart } from './model.js';

/** Reads of 1 MiB: an extraction decodes little, and usually stops early. */
const CHUNK_BYTES = 1024 * 1024;

/** Why a file is not the one expected (a capture record's), or undefined when it is. */
export type FileExpectation = (s: Stats) => string | undefined;

export interface FilePartOptions {
  firstFrame?: number;
  packets?: number;
  /** set for a file a capture record names: it must be as the record says, and a file that cannot be opened is gone */
  expect?: FileExpectation;
}

interface Seen {
  dev: number;
  ino: number;
  size: number;
}

export function filePart(path: string, opts: FilePartOptions = {}): CapturePart {
  let seen: Seen | undefined;
  const check = (s: Stats, when: string): void => {
    const reason = opts.expect?.(s);
    if (reason !== undefined) throw captureFileChanged(path, reason);
    // Growing is fine (the newest file of a ring being written): its frames so far stay as they were.
    if (seen !== undefined && (s.dev !== seen.dev || s.ino !== seen.ino || s.size < seen.size)) throw captureFileChanged(path, `was replaced or cut short ${when}`);
    seen = { dev: s.dev, ino: s.ino, size: s.size };
  };
  return {
    name: path,
    ...(opts.firstFrame !== undefined ? { firstFrame: opts.firstFrame } : {}),
    ...(opts.packets !== undefined ? { packets: opts.packets } : {}),
    open: () => checkedChunks(path, check, opts.expect !== undefined),
  };
}

/** One buffer, refilled: the extraction passes are done with a chunk before they ask for the next. */
async function* checkedChunks(path: string, check: (s: Stats, when: string) => void, expected: boolean): AsyncGenerator<Uint8Array> {
  let fh: FileHandle;
  try {
    // non-blocking: opening a FIFO planted at the path must not hold a thread of the pool until a writer comes
    fh = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    // A file a record names and that cannot be opened is gone (a ring buffer deleted it); a file of a
    // directory listed a moment ago is passed over as a report passes over it.
    if (expected) throw captureFileChanged(path, `cannot be opened (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
    throw e;
  }
  try {
    const first = await fh.stat();
    if (!first.isFile()) throw captureFileChanged(path, 'is not a regular file');
    check(first, 'between the two reads of the extraction');
    const buf = new Uint8Array(CHUNK_BYTES);
    let position = 0;
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, CHUNK_BYTES, position);
      if (bytesRead === 0) break;
      position += bytesRead;
      yield buf.subarray(0, bytesRead);
    }
    check(await fh.stat(), 'while it was read');
  } finally {
    await fh.close();
  }
}

/** A capture file, or a directory read as one capture, named on the command line. */
export async function localCaptureParts(path: string): Promise<CapturePart[]> {
  const info = await stat(path).catch(() => undefined);
  if (info?.isDirectory()) {
    const files = await scanCaptureFiles(path, DEFAULT_CAPTURE_NAME);
    if (files.length === 0) throw noCaptureFiles(path, DEFAULT_CAPTURE_NAME);
    return files.map((f) => filePart(f.path));
  }
  if (!info?.isFile()) throw new DomainError('netmon.capture_not_found', `capture file ${path} does not exist or is not a file or directory`, { status: 404, location: { file: path } });
  return [filePart(path)];
}
