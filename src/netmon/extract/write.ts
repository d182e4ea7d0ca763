/**
 * @module The second pass of an extraction: reads the capture again up to the last frame planned and
 * yields the output file in chunks, each packet's bytes unchanged with its original timestamp. The
 * packets found must be the ones planned (same frame, length and time), or the capture changed between
 * the two reads and the extraction fails rather than write other packets.
 */
import { captureFileChanged } from './errors.js';
import type { CapturePart } from './model.js';
import { OutputChunks } from './output-chunks.js';
import { pcapHeader, pcapRecordBytes, writePcapRecord } from './pcap-out.js';
import { pcapngEpbBytes, pcapngHeader, writeEpb } from './pcapng-out.js';
import type { ExtractPlan } from './plan.js';
import { readPart, type PacketVisitor, type PartRead } from './read-part.js';

export async function* writeExtraction(parts: readonly CapturePart[], plan: ExtractPlan): AsyncGenerator<Uint8Array> {
  const { frames, caplens, times, interfaces } = plan;
  const pcap = plan.summary.format === 'pcap';
  const interfaceOf = new Map(interfaces.map((i, id) => [i.linkType, id]));
  const out = new OutputChunks();
  const header = pcap ? pcapHeader(interfaces[0]?.linkType ?? 1, interfaces[0]?.nanos === true) : pcapngHeader(interfaces);
  out.write(header.length, (b, at) => b.set(header, at));
  let next = 0;

  for (const [i, part] of parts.entries()) {
    if (next >= frames.length) break;
    const base = plan.partFirstFrames[i] as number;
    const count = plan.partPackets[i] as number;
    if (count <= 0 || (frames[next] as number) > base + count - 1) continue;
    const visit: PacketVisitor = (p) => {
      const n = base + p.frame - 1;
      const want = frames[next] as number;
      if (n < want) return true;
      if (n > want || p.caplen !== caplens[next] || p.ts !== times[next]) throw captureFileChanged(part.name, `no longer holds frame ${want} as it was read a moment ago`);
      const id = interfaceOf.get(p.linkType);
      if (id === undefined) throw captureFileChanged(part.name, `holds frame ${want} with link type ${p.linkType}, not as it was read a moment ago`);
      const nanos = (interfaces[id] as { nanos: boolean }).nanos;
      const data = p.data;
      if (pcap) out.write(pcapRecordBytes(data.length), (b, at) => writePcapRecord(b, at, p.ts, p.tsNanos, nanos, data, p.origLen));
      else out.write(pcapngEpbBytes(data.length), (b, at) => writeEpb(b, at, id, p.ts, p.tsNanos, nanos, data, p.origLen));
      next++;
      return next < frames.length && (frames[next] as number) <= base + count - 1;
    };
    const read: PartRead = { packets: 0, stopped: false };
    for await (const _ of readPart(part, visit, read)) yield* out.take();
  }
  if (next < frames.length) {
    const part = parts[plan.partFirstFrames.findLastIndex((f) => f <= (frames[next] as number))];
    throw captureFileChanged(part?.name ?? 'the capture', `no longer holds frame ${frames[next]} as it was read a moment ago`);
  }
  yield* out.finish();
}
