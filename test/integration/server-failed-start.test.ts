/**
 * A server whose start fails after it began listening (here: the NetFlow collector's UDP port is
 * taken) closes what it opened: the HTTP port is free again and the error says what failed.
 */
import { createSocket, type Socket } from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startServer } from '../../src/main/server.js';

/** a TCP port free right now on 127.0.0.1 */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** resolves true when something can listen on the port, false on EADDRINUSE */
async function canListen(port: number): Promise<boolean> {
  const probe = createServer();
  return new Promise<boolean>((resolve) => {
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

describe('a server whose start fails after listening', () => {
  let root: string | undefined;
  let udp: Socket | undefined;
  afterEach(() => {
    udp?.close();
    udp = undefined;
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('frees its HTTP port and rejects with the cause when the NetFlow port is taken', async () => {
    root = mkdtempSync(path.join(tmpdir(), 'careguard-failed-start-'));
    const taken = createSocket('udp4');
    udp = taken;
    await new Promise<void>((resolve) => taken.bind(0, '127.0.0.1', resolve));
    const netflowPort = taken.address().port;
    const httpPort = await freePort();
    const env = { CAREGUARD_DATA_DIR: path.join(root, 'data'), CAREGUARD_LOG_LEVEL: 'silent', CAREGUARD_NETFLOW_PORT: String(netflowPort) };
    await expect(startServer({ host: '127.0.0.1', port: httpPort, demoDevices: false }, env)).rejects.toMatchObject({ code: 'netmon.collector_bind_failed' });
    expect(await canListen(httpPort)).toBe(true);
  });
});
