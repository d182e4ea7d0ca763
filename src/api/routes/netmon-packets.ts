/**
 * @module The packets behind an alert (netmon:packets): frames or a flow of a stored capture, read
 * again from the capture's own file and streamed as a pcap (pcapng when link types differ) for
 * Wireshark or an incident ticket. Raw packets carry patient data, hence a permission of their own
 * and an audit entry per extraction (PacketEvidenceService).
 */
import { Readable } from 'node:stream';
import { Type } from 'typebox';
import { formatRanges, MAX_FRAME_RANGES, type PacketEvidenceService } from '../../netmon/extract/index.js';
import type { ApiApp } from '../types.js';
import { Iso, Opt, tags } from './netmon-schemas.js';

const FRAME = '\\d{1,13}(-\\d{1,13})?';
/** "17,20-25": at most MAX_FRAME_RANGES numbers or ranges */
const FrameList = Type.String({ minLength: 1, maxLength: MAX_FRAME_RANGES * 28, pattern: `^${FRAME}(,${FRAME}){0,${MAX_FRAME_RANGES - 1}}$` });
/** "tcp 10.0.0.5:40000 10.0.0.9:104", optionally " vlan 20" */
const FlowText = Type.String({ minLength: 9, maxLength: 120, pattern: '^(tcp|udp) [0-9A-Fa-f:.\\[\\]]+ [0-9A-Fa-f:.\\[\\]]+( vlan \\d{1,4})?$' });
const PcapFile = Type.String({ format: 'binary' });
/** frames not found listed in a response header, at most */
const NOT_FOUND_LISTED = 50;

/** a download whose client reads nothing for this long is dropped, freeing its extraction slot */
export const DEFAULT_SEND_IDLE_MS = 60_000;

export interface NetmonPacketsRouteOptions {
  /** milliseconds without a byte leaving before the download is dropped (default DEFAULT_SEND_IDLE_MS) */
  sendIdleMs?: number;
}

export function registerNetmonPacketsRoute(app: ApiApp, packets: Pick<PacketEvidenceService, 'capturePackets'>, opts: NetmonPacketsRouteOptions = {}): void {
  const idleMs = opts.sendIdleMs ?? DEFAULT_SEND_IDLE_MS;
  app.get(
    '/api/v1/netmon/captures/:id/packets',
    {
      // A HEAD would read the capture and write an audit entry for packets never sent.
      exposeHeadRoute: false,
      config: { permission: 'netmon:packets' },
      schema: {
        tags,
        summary:
          'The packets of a capture as a pcap file (pcapng when their link types differ), read again from the capture file: frames (17,20-25), a flow ("tcp 10.0.0.5:40000 10.0.0.9:104", both directions), or both, optionally within a capture-time window; audited',
        params: Type.Object({ id: Type.String({ pattern: '^[A-Za-z0-9_]{1,64}$' }) }, { additionalProperties: false }),
        querystring: Type.Object({ frames: Opt(FrameList), flow: Opt(FlowText), from: Opt(Iso), to: Opt(Iso) }, { additionalProperties: false }),
        response: {
          200: {
            description: 'the packets as a pcap, or a pcapng when their link types differ, as an attachment',
            content: { 'application/vnd.tcpdump.pcap': { schema: PcapFile }, 'application/x-pcapng': { schema: PcapFile } },
          },
        },
      },
    },
    async (req, reply) => {
      const r = await packets.capturePackets(req.params.id, req.query, req.actor);
      // The first chunk before any header: the file is opened and checked again there, so a capture
      // that changed since the plan is a plain error answer, not an error saved as a .pcap download.
      const it = r.chunks();
      const first = await it.next();
      const notFound = r.summary.framesNotFound;
      const listed = formatRanges(notFound.slice(0, NOT_FOUND_LISTED)) + (notFound.length > NOT_FOUND_LISTED ? ',...' : '');
      void reply
        .type(r.mediaType)
        .header('content-disposition', `attachment; filename="${r.filename}"`)
        .header('content-length', String(r.summary.bytes))
        .header('x-careguard-packets', String(r.summary.packets))
        .header('cache-control', 'no-store');
      if (notFound.length > 0) void reply.header('x-careguard-frames-not-found', listed);
      // Streamed as the capture is read a second time: memory stays at a chunk or two. (The type
      // provider types the body as the schema's binary string; a stream is what Fastify sends as is.)
      // A client that stops reading would hold one of the few extraction slots for as long as it keeps
      // the connection: a watchdog drops a download whose socket has sent nothing for idleMs (its own
      // timer, so the socket's keep-alive timeout is left as the server set it).
      const socket = req.raw.socket;
      let sent = socket.bytesWritten;
      let idleSince = Date.now();
      const watchdog = setInterval(
        () => {
          if (socket.bytesWritten !== sent) {
            sent = socket.bytesWritten;
            idleSince = Date.now();
          } else if (Date.now() - idleSince >= idleMs) reply.raw.destroy();
        },
        Math.max(10, Math.floor(idleMs / 4)),
      );
      watchdog.unref();
      reply.raw.once('close', () => clearInterval(watchdog));
      return reply.send(Readable.from(resumed(first, it), { objectMode: false }) as unknown as string);
    },
  );
}

/** `first`, already taken from `rest`, then the rest of it (abandoned with the response: its finally runs) */
async function* resumed(first: IteratorResult<Uint8Array>, rest: AsyncGenerator<Uint8Array>): AsyncGenerator<Uint8Array> {
  try {
    if (first.done === true) return;
    yield first.value;
    for (let next = await rest.next(); next.done !== true; next = await rest.next()) yield next.value;
  } finally {
    await rest.return(undefined);
  }
}
