import { createSocket, type Socket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { startFlowCollector, type FlowCollector } from './collector.js';
import type { FlowLogError } from './errors.js';
import type { FlowLogRecord } from './model.js';
import type { FlowExporter } from './netflow/decoder.js';
import { ipfixPackets, syntheticFlows, v5Packets, v9Packets } from './testing/flows.js';

const NOW = 1_700_000_000_000;
let collector: FlowCollector | undefined;
let sender: Socket | undefined;

afterEach(async () => {
  await collector?.close();
  sender?.close();
  collector = undefined;
  sender = undefined;
});

async function send(port: number, packets: Uint8Array[]): Promise<number> {
  sender = createSocket('udp4');
  await new Promise<void>((resolve) => sender?.bind(0, '127.0.0.1', () => resolve()));
  for (const p of packets) await new Promise<void>((resolve, reject) => sender?.send(p, port, '127.0.0.1', (e) => (e ? reject(e) : resolve())));
  return sender.address().port;
}

async function until(cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting for datagrams');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('UDP flow collector', () => {
  it('receives NetFlow v5, v9 and IPFIX datagrams on 127.0.0.1 and hands over records with the exporter', async () => {
    const got: { records: FlowLogRecord[]; exporter: FlowExporter }[] = [];
    collector = await startFlowCollector({ port: 0, onRecords: (records, exporter) => got.push({ records, exporter }), clock: () => NOW });
    expect(collector.port).toBeGreaterThan(0);
    expect(collector.address).toBe('127.0.0.1');
    const flows = syntheticFlows(90, 7, NOW);
    const v4 = flows.filter((f) => !f.v6).length;
    const packets = [...v5Packets(flows, { exportMs: NOW }), ...v9Packets(flows, { exportMs: NOW }), ...ipfixPackets(flows, { exportMs: NOW })];
    const from = await send(collector.port, packets);
    const total = () => got.reduce((n, g) => n + g.records.length, 0);
    await until(() => total() === v4 * 2 + flows.length);
    expect(new Set(got.flatMap((g) => g.records.map((r) => r.origin)))).toEqual(new Set(['netflow-v5', 'netflow-v9', 'ipfix']));
    expect(got[0]?.exporter).toEqual({ address: '127.0.0.1', port: from });
    expect(got[0]?.records[0]?.exporter).toBe(`127.0.0.1:${from}`);
    expect(collector.stats()).toMatchObject({ datagrams: packets.length, packetsByVersion: { v5: expect.any(Number), v9: expect.any(Number), ipfix: expect.any(Number), unknown: 0 }, errors: 0 });
  });

  it('reports a malformed datagram through onError and keeps collecting', async () => {
    const errors: FlowLogError[] = [];
    let records = 0;
    collector = await startFlowCollector({ port: 0, onRecords: (r) => (records += r.length), onError: (e) => errors.push(e), clock: () => NOW });
    const good = v5Packets(syntheticFlows(10, 1, NOW), { exportMs: NOW });
    await send(collector.port, [Uint8Array.of(0, 42, 0, 0), ...good]);
    await until(() => records > 0 && errors.length > 0);
    expect(errors[0]?.code).toBe('flowlog.unknown-version');
  });

  it('survives a consumer that throws, counting it', async () => {
    collector = await startFlowCollector({ port: 0, onRecords: () => { throw new Error('consumer bug'); }, clock: () => NOW });
    await send(collector.port, v5Packets(syntheticFlows(10, 1, NOW), { exportMs: NOW }));
    await until(() => (collector?.stats().consumerErrors ?? 0) > 0);
    expect(collector.stats().records).toBeGreaterThan(0);
  });

  it('drops datagrams from exporters not on the allow list', async () => {
    let records = 0;
    collector = await startFlowCollector({ port: 0, allowExporters: ['192.0.2.1'], onRecords: (r) => (records += r.length) });
    await send(collector.port, v5Packets(syntheticFlows(10, 1, NOW), { exportMs: NOW }));
    await until(() => (collector?.stats().rejectedDatagrams ?? 0) > 0);
    expect(records).toBe(0);
  });

  it('fails with a typed error when the port is taken', async () => {
    collector = await startFlowCollector({ port: 0, onRecords: () => undefined });
    await expect(startFlowCollector({ port: collector.port, onRecords: () => undefined })).rejects.toMatchObject({ code: 'netmon.collector_bind_failed' });
  });
});
