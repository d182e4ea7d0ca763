/**
 * The packets download on a real socket (authorization and the extraction itself are covered by
 * test/e2e/api/netmon-packets.test.ts): a client that stops reading is dropped after the idle time,
 * which ends the extraction (its slot freed), while a client that reads gets every byte.
 */
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import type { CapturePackets } from '../../netmon/extract/index.js';
import type { ApiApp } from '../types.js';
import { registerNetmonPacketsRoute } from './netmon-packets.js';

const CHUNK = 256 * 1024;
const CHUNKS = 200; // 50 MB: far more than the socket buffers hold

/** A stand-in extraction of CHUNKS chunks that records whether its stream was ended (finally ran). */
function fakePackets(state: { ended: boolean; yielded: number }): { capturePackets: () => Promise<CapturePackets> } {
  return {
    capturePackets: async () => ({
      captureId: 'cap_x',
      filename: 'x-frames.pcap',
      mediaType: 'application/vnd.tcpdump.pcap',
      summary: { format: 'pcap', packets: 1, bytes: CHUNK * CHUNKS, linkTypes: [1], framesNotFound: [], faults: [] },
      chunks: async function* () {
        try {
          for (let i = 0; i < CHUNKS; i++) {
            state.yielded++;
            yield new Uint8Array(CHUNK);
          }
        } finally {
          state.ended = true;
        }
      },
    }),
  };
}

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

async function serve(state: { ended: boolean; yielded: number }, sendIdleMs: number): Promise<number> {
  const app: ApiApp = Fastify().withTypeProvider<TypeBoxTypeProvider>();
  registerNetmonPacketsRoute(app, fakePackets(state), { sendIdleMs });
  await app.listen({ host: '127.0.0.1', port: 0 });
  close = () => app.close();
  return (app.server.address() as AddressInfo).port;
}

const request = (port: number) => `GET /api/v1/netmon/captures/cap_x/packets?frames=1 HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`;

describe('the packets download', () => {
  it('drops a client that stops reading once nothing has left for the idle time, ending the extraction', async () => {
    const state = { ended: false, yielded: 0 };
    const port = await serve(state, 300);
    const socket = connect(port, '127.0.0.1');
    // a paused socket reads nothing (and, holding unread data, reports no close until it is read)
    socket.pause();
    try {
      const started = Date.now();
      socket.write(request(port));
      await expect.poll(() => state.ended, { timeout: 5000, interval: 20 }).toBe(true);
      expect(Date.now() - started).toBeGreaterThanOrEqual(300);
      expect(state.yielded).toBeLessThan(CHUNKS);
    } finally {
      socket.destroy();
    }
  });

  it('sends every byte to a client that reads, slowly or not', async () => {
    const state = { ended: false, yielded: 0 };
    const port = await serve(state, 300);
    const socket = connect(port, '127.0.0.1');
    let received = 0;
    socket.on('data', (d: Buffer) => {
      received += d.length;
      // a reader that pauses briefly now and then, well within the idle time
      if (received % (8 * CHUNK) < d.length) {
        socket.pause();
        setTimeout(() => socket.resume(), 50);
      }
    });
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.write(request(port));
    await closed;
    expect(state).toEqual({ ended: true, yielded: CHUNKS });
    expect(received).toBeGreaterThan(CHUNK * CHUNKS);
  });
});
