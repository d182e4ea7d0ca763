/**
 * @module The files a stored capture was read from, taken from its record and nothing else: the
 * file a `netmon ingest FILE` or a followed directory recorded (`source`: path, size, modification
 * time; frames numbered as in that file, as alert evidence names them), or the files of a directory
 * ingested as one capture (`summary.files`, each with its first frame: frames run on across them). Each file must still be as it was ingested; anything else (an upload,
 * stdin, a flow log) has no file to read again.
 */
import { isAbsolute } from 'node:path';
import { modifiedAtText } from '../follow/file-identity.js';
import type { CaptureRecord } from '../ports.js';
import { captureNoFile } from './errors.js';
import { filePart } from './file-parts.js';
import type { CapturePart } from './model.js';


const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : undefined);

interface ListedFile {
  path: string;
  bytes: number;
  /** size and modification time once read (recorded since session 9; older records have bytes read only) */
  size: number | undefined;
  modifiedAt: string | undefined;
  packets: number;
  firstFrame: number;
}

function listedFiles(summary: Record<string, unknown>): ListedFile[] | undefined {
  if (!Array.isArray(summary.files)) return undefined;
  const out: ListedFile[] = [];
  for (const f of summary.files as unknown[]) {
    if (typeof f !== 'object' || f === null) return undefined;
    const r = f as Record<string, unknown>;
    const bytes = num(r.bytes);
    const packets = num(r.packets);
    const firstFrame = num(r.firstFrame);
    if (typeof r.path !== 'string' || bytes === undefined || packets === undefined || firstFrame === undefined) return undefined;
    // a file without packets holds no frame to extract
    if (packets > 0 && firstFrame > 0) out.push({ path: r.path, bytes, size: num(r.size), modifiedAt: typeof r.modifiedAt === 'string' ? r.modifiedAt : undefined, packets, firstFrame });
  }
  return out;
}

/** The capture's files as extraction parts; throws netmon.capture_no_file when it has none to read. */
export function recordedCaptureParts(c: CaptureRecord): CapturePart[] {
  if (c.kind !== 'capture') throw captureNoFile(c.id, `it is a ${c.kind} (flow records carry no packets)`);
  if (c.source !== undefined) {
    const { path, bytes, modifiedAt } = c.source;
    if (!isAbsolute(path)) throw captureNoFile(c.id, `its file was recorded by a relative path (${path})`);
    // One file (a whole ingest, or one file of a followed run): frames are the file's own, as Wireshark
    // and the alert evidence of a followed run number them (its other records count run-wide: F - firstFrame + 1).
    return [
      filePart(path, {
        firstFrame: 1,
        packets: c.packets,
        expect: (s) => (s.size !== bytes || modifiedAtText(s.mtimeMs) !== modifiedAt ? `is ${s.size} bytes modified ${modifiedAtText(s.mtimeMs)}, not ${bytes} bytes modified ${modifiedAt} as when it was ingested` : undefined),
      }),
    ];
  }
  const files = listedFiles(c.summary);
  if (files === undefined || files.length === 0) throw captureNoFile(c.id, 'it was not read from a file CareGuard can read again (an upload, stdin or a checkpointed ingest)');
  const relative = files.find((f) => !isAbsolute(f.path));
  if (relative !== undefined) throw captureNoFile(c.id, `its files were recorded by relative paths (${relative.path}); ingest the directory by its absolute path`);
  // A record lists a bounded number of files: with some left out, frames and flows could only be partly found.
  const listed = (c.summary.files as unknown[]).length;
  const read = num(c.summary.filesRead) ?? listed;
  if (read > listed || (files[0]?.firstFrame ?? 1) !== 1) {
    throw captureNoFile(c.id, `its record lists ${listed} of the ${read} files read; extract from the directory itself (careguard netmon extract DIR)`);
  }
  const finished = Date.parse(c.finishedAt);
  return files.map((f) =>
    filePart(f.path, {
      firstFrame: f.firstFrame,
      packets: f.packets,
      expect: (s) => {
        // the size once read (older records: the bytes read, which damage may have cut short)
        const size = f.size ?? f.bytes;
        if (s.size !== size) return `is ${s.size} bytes, not ${size} as when it was ingested`;
        if (f.modifiedAt !== undefined) return modifiedAtText(s.mtimeMs) !== f.modifiedAt ? `was modified at ${modifiedAtText(s.mtimeMs)}, not ${f.modifiedAt} as when it was ingested` : undefined;
        return Math.floor(s.mtimeMs) > finished ? `was modified at ${modifiedAtText(s.mtimeMs)}, after it was ingested` : undefined;
      },
    }),
  );
}
