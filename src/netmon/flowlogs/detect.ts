/**
 * @module Is a file a Zeek conn.log (TSV or JSON lines), gzip-compressed or not? Looks at the first
 * bytes only, so `careguard netmon ingest FILE` can route captures and flow logs without flags.
 */
import { open } from 'node:fs/promises';
import { constants, gunzipSync } from 'node:zlib';

export type FlowLogFormat = 'zeek-tsv' | 'zeek-json';

const SNIFF_BYTES = 64 * 1024;

/** The format of a log from its first text, or undefined when it is not a Zeek conn.log. */
export function detectFlowLogText(head: string): FlowLogFormat | undefined {
  const first = head.split('\n').find((l) => l.trim() !== '');
  if (first === undefined) return undefined;
  if (first.startsWith('#separator') || first.startsWith('#fields')) return 'zeek-tsv';
  if (first.startsWith('{') && /"id\.orig_h"|"id"\s*:\s*\{|"uid"/.test(first)) return 'zeek-json';
  return undefined;
}

/** The first bytes of a log, gunzipped when they are gzip (a partial stream decodes as far as it goes). */
export function flowLogHead(bytes: Uint8Array): string {
  let text = bytes;
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      text = gunzipSync(bytes, { finishFlush: constants.Z_SYNC_FLUSH });
    } catch {
      return '';
    }
  }
  return new TextDecoder('utf-8', { fatal: false }).decode(text.subarray(0, SNIFF_BYTES));
}

export function detectFlowLogBytes(bytes: Uint8Array): FlowLogFormat | undefined {
  return detectFlowLogText(flowLogHead(bytes));
}

/** Reads the first 64 KiB of `path`; undefined when unreadable or not a Zeek conn.log. */
export async function sniffFlowLogFile(path: string): Promise<FlowLogFormat | undefined> {
  let fh;
  try {
    fh = await open(path, 'r');
    const buf = new Uint8Array(SNIFF_BYTES);
    const { bytesRead } = await fh.read(buf, 0, SNIFF_BYTES, 0);
    return detectFlowLogBytes(buf.subarray(0, bytesRead));
  } catch {
    return undefined;
  } finally {
    await fh?.close();
  }
}
