/**
 * @module The packets behind an alert, from a stored capture: the selection checked, the capture's
 * own file(s) found through its record (never a path from the caller), the extraction planned (the
 * refusals come here, before any byte), and the extraction written to the audit log before the
 * packets go out: raw packets carry patient data.
 */
import { basename } from 'node:path';
import type { AuditRecorder } from '../../audit/index.js';
import { DomainError, notFound, type Actor } from '../../core/index.js';
import type { CaptureRecord, NetmonStore } from '../ports.js';
import { recordedCaptureParts } from './capture-record.js';
import { prepareExtraction, type Extraction } from './extract.js';
import { formatRanges } from './frame-ranges.js';
import { EXTRACT_LIMITS, type ExtractFormat, type ExtractLimits, type PacketSelection } from './model.js';
import { describeSelection, selectionFromText, type SelectionText } from './selection.js';

export interface PacketEvidenceDeps {
  captures: Pick<NetmonStore, 'getCapture'>;
  audit: AuditRecorder;
  limits?: ExtractLimits;
  /** extractions planned or streaming at once; more are refused (429) until one ends (default 2) */
  maxConcurrent?: number;
}

/** each extraction reads a capture of up to gigabytes twice: a few at a time keep the server's disk and CPU for the rest */
const DEFAULT_MAX_CONCURRENT = 2;

export interface CapturePackets extends Extraction {
  captureId: string;
  /** for Content-Disposition: "<capture file name>-frames.pcap" */
  filename: string;
}

export class PacketEvidenceService {
  private active = 0;

  constructor(private readonly deps: PacketEvidenceDeps) {}

  /**
   * Plans and audits an extraction. It holds one of the `maxConcurrent` slots until its chunks have
   * been read to the end or abandoned (the caller must start reading them), or until it fails.
   */
  async capturePackets(captureId: string, request: SelectionText, actor: Actor): Promise<CapturePackets> {
    const selection = selectionFromText(request);
    const max = this.deps.maxConcurrent ?? DEFAULT_MAX_CONCURRENT;
    if (this.active >= max) throw new DomainError('netmon.extract_busy', `${this.active} packet extractions are running, the most at once; try again when one has finished`, { status: 429 });
    this.active++;
    let released = false;
    const release = (): void => {
      if (!released) this.active--;
      released = true;
    };
    try {
      const prepared = await this.prepare(captureId, selection, actor);
      const chunks = prepared.chunks;
      return {
        ...prepared,
        chunks: async function* () {
          try {
            yield* chunks();
          } finally {
            release();
          }
        },
      };
    } catch (e) {
      release();
      throw e;
    }
  }

  private async prepare(captureId: string, selection: PacketSelection, actor: Actor): Promise<CapturePackets> {
    const capture = await this.deps.captures.getCapture(captureId);
    if (capture === undefined) throw notFound('capture', captureId);
    const extraction = await prepareExtraction(recordedCaptureParts(capture), selection, { name: capture.name, limits: this.deps.limits ?? EXTRACT_LIMITS });
    const { summary } = extraction;
    // Before the first byte: an extraction that cannot be audited does not happen.
    await this.deps.audit.record({
      actor,
      action: 'capture.packets_extract',
      targetType: 'capture',
      targetId: captureId,
      details: {
        selection: describeSelection(selection),
        packets: summary.packets,
        bytes: summary.bytes,
        format: summary.format,
        ...(summary.framesNotFound.length > 0 ? { framesNotFound: formatRanges(summary.framesNotFound) } : {}),
      },
    });
    return { ...extraction, captureId, filename: extractFileName(capture, selection, summary.format) };
  }
}

/** "<file name without its capture extension>-frames.pcap" (or -flow), in characters safe in a header. */
export function extractFileName(capture: Pick<CaptureRecord, 'id' | 'name'>, sel: PacketSelection, format: ExtractFormat): string {
  const stem = basename(capture.name)
    .replace(/\.(pcapng|pcap|cap)\d*$/i, '')
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .slice(0, 80);
  return `${stem === '' || stem === '.' || stem === '..' ? capture.id : stem}-${sel.frames === undefined ? 'flow' : 'frames'}.${format}`;
}
