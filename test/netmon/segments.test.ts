/**
 * analyzeInSegments: a capture read in checkpointed segments reports what each segment saw while
 * flows carry on across checkpoints: a connection open through every checkpoint is one flow, read
 * from its first byte (its CONNECT and every PUBLISH observed once), in each segment's conversations
 * with what it carried there; segments add up to the one-shot analysis of the same bytes.
 */
import { describe, expect, it } from 'vitest';
import { ConversationTable } from '../../src/netmon/conversations/index.js';
import type { Observation } from '../../src/netmon/model.js';
import { analyzeCapture, type NetmonReport } from '../../src/netmon/report.js';
import { analyzeInSegments } from '../../src/netmon/segments.js';
import { chunked, LONG_CLIENT, MQTT_BROKER, PUBLISHES, segmentCapture, START_US } from './segments-support.js';

const capture = segmentCapture(5);

interface Seen {
  report: NetmonReport;
  conversations: ConversationTable;
  observations: Observation[];
}

async function segmented(checkpointSeconds: number, chunk = 512): Promise<Seen[]> {
  const seen: Seen[] = [];
  await analyzeInSegments(
    { bytes: chunked(capture.bytes, chunk), name: 'live' },
    {
      checkpointSeconds,
      newSinks: () => {
        const observations: Observation[] = [];
        return { conversations: new ConversationTable(), observations, onObservation: (o: Observation) => observations.push(o) };
      },
      onSegment: async (report, sinks) => {
        seen.push({ report, conversations: sinks.conversations, observations: sinks.observations });
      },
    },
  );
  return seen;
}

const isLong = (c: { client: string; server: string }) => c.client === LONG_CLIENT && c.server === MQTT_BROKER;

describe('analyzeInSegments', () => {
  it('reports a segment per checkpoint interval, in order, the last one final with every flow ended', async () => {
    // chunks smaller than a packet: the checkpoint comes right after the packet that completes the interval
    const seen = await segmented(60, 64);
    expect(seen.length).toBeGreaterThanOrEqual(5);
    const segments = seen.map((s) => s.report.capture.segment);
    expect(segments.map((s) => s?.index)).toEqual(seen.map((_, i) => i + 1));
    expect(new Set(segments.map((s) => s?.session)).size).toBe(1);
    expect(segments.map((s) => s?.final)).toEqual(seen.map((_, i) => i === seen.length - 1));
    // the MQTT connection is open from the first checkpoint to the last
    for (const s of segments.slice(1, -1)) expect(s?.flowsCarriedIn).toBeGreaterThanOrEqual(1);
    expect(segments.at(-1)?.flowsOpen).toBe(0);
    // each segment spans a minute of capture time, up to the packet that completes it, and they follow each other
    for (const [i, s] of seen.entries()) {
      const first = Date.parse(s.report.capture.firstSeen ?? '');
      const last = Date.parse(s.report.capture.lastSeen ?? '');
      expect(last - first).toBeGreaterThanOrEqual(i === seen.length - 1 ? 0 : 60_000);
      expect(last - first).toBeLessThan(61_000);
      if (i > 0) expect(first).toBeGreaterThanOrEqual(Date.parse(seen[i - 1]?.report.capture.lastSeen ?? ''));
    }
    // frames run on: each segment starts where the one before stopped
    for (let i = 1; i < seen.length; i++) {
      const prev = seen[i - 1]?.report.capture;
      expect(seen[i]?.report.capture.segment?.firstFrame).toBe((prev?.segment?.firstFrame ?? 0) + (prev?.packets ?? 0));
    }
  });

  it('adds up to the one-shot analysis: packets, bytes, flows, observations', async () => {
    const whole = await analyzeCapture({ bytes: chunked(capture.bytes), name: 'whole' });
    const seen = await segmented(60);
    const sum = (f: (r: NetmonReport) => number) => seen.reduce((a, s) => a + f(s.report), 0);
    expect(sum((r) => r.capture.packets)).toBe(capture.packets);
    expect(sum((r) => r.capture.packets)).toBe(whole.capture.packets);
    expect(sum((r) => r.capture.bytes)).toBe(whole.capture.bytes);
    expect(sum((r) => r.capture.flows)).toBe(whole.capture.flows);
    expect(sum((r) => r.capture.observations)).toBe(whole.capture.observations);
    const flowsBy = (rs: NetmonReport[], p: string) => rs.reduce((a, r) => a + (r.protocols.find((x) => x.protocol === p)?.flows ?? 0), 0);
    expect(flowsBy(seen.map((s) => s.report), 'mqtt')).toBe(1);
    expect(flowsBy(seen.map((s) => s.report), 'hl7')).toBe(flowsBy([whole], 'hl7'));
  });

  it('reads the connection open across every checkpoint as one flow from its first byte, on the map from the first segment', async () => {
    const seen = await segmented(60);
    const mqtt = seen.flatMap((s) => s.observations).filter((o) => o.protocol === 'mqtt');
    expect(mqtt.filter((o) => o.kind === 'mqtt.connect')).toHaveLength(1);
    expect(mqtt.filter((o) => o.kind === 'mqtt.connect')[0]?.fields.clientId).toBe('pump-17');
    expect(mqtt.filter((o) => o.kind === 'mqtt.publish')).toHaveLength(PUBLISHES);
    // no observation says it was read from the middle of the connection
    expect(mqtt.some((o) => o.fields.midStream === true || o.fields.lateSync !== undefined)).toBe(false);
    // the PUBLISHes are observed in the segments in which they were sent, not all in the last one
    const withPublish = seen.filter((s) => s.observations.some((o) => o.kind === 'mqtt.publish'));
    expect(withPublish.length).toBeGreaterThanOrEqual(4);
    // the long connection is in every segment's conversations with the packets it carried in that
    // segment (on the map from the first checkpoint), counted as one flow, in the first
    const conv = seen.map((s) => s.conversations.list().filter(isLong));
    expect(conv.map((c) => c.length)).toEqual(seen.map(() => 1));
    expect(conv.map((c) => c[0]?.flows)).toEqual(seen.map((_, i) => (i === 0 ? 1 : 0)));
    expect(conv.every((c) => (c[0]?.packets ?? 0) > 0)).toBe(true);
    expect(conv.reduce((n, c) => n + (c[0]?.packets ?? 0), 0)).toBe(3 + 1 + PUBLISHES + 1 + 3);
    // each part spans its own segment's time: they follow each other without overlap
    for (let i = 1; i < conv.length; i++) expect(Date.parse(conv[i]?.[0]?.firstSeen ?? '')).toBeGreaterThanOrEqual(Date.parse(conv[i - 1]?.[0]?.lastSeen ?? ''));
    // the flows that began and ended inside one segment are there once, whole
    const hl7 = seen.flatMap((s) => s.conversations.list().filter((c) => c.protocol === 'hl7'));
    expect(hl7.reduce((n, c) => n + c.flows, 0)).toBe(5);
    // a connection a checkpoint cut before its first payload (protocol not known yet) is not recorded as
    // plain tcp and then as hl7: its part goes in once the dissector is chosen
    expect(seen.flatMap((s) => s.conversations.list()).filter((c) => c.protocol === 'tcp')).toEqual([]);
  });

  it('counts the long connection in every segment\'s protocol table, top talkers and discovery with what it carried there, adding up to the whole', async () => {
    const whole = await analyzeCapture({ bytes: chunked(capture.bytes), name: 'whole' });
    const seen = await segmented(60);
    const mqttRows = seen.map((s) => s.report.protocols.find((p) => p.protocol === 'mqtt'));
    // a flow in the first segment, none after; packets and bytes in each segment it carried any
    expect(mqttRows.map((r) => r?.flows ?? 0)).toEqual(seen.map((_, i) => (i === 0 ? 1 : 0)));
    expect(mqttRows.every((r) => (r?.packets ?? 0) > 0)).toBe(true);
    const wholeMqtt = whole.protocols.find((p) => p.protocol === 'mqtt');
    expect(mqttRows.reduce((n, r) => n + (r?.packets ?? 0), 0)).toBe(wholeMqtt?.packets);
    expect(mqttRows.reduce((n, r) => n + (r?.bytes ?? 0), 0)).toBe(wholeMqtt?.bytes);
    // the broker is known as an MQTT server from the first segment on, not only once the connection ends
    const broker = seen[0]?.report.devices.find((d) => d.ips.includes(MQTT_BROKER));
    expect(broker?.services).toEqual(expect.arrayContaining([expect.objectContaining({ protocol: 'mqtt', role: 'server', port: 1883 })]));
    const sumBytes = seen.reduce((n, s) => n + (s.report.devices.find((d) => d.ips.includes(LONG_CLIENT))?.bytes ?? 0), 0);
    expect(sumBytes).toBe(whole.devices.find((d) => d.ips.includes(LONG_CLIENT))?.bytes);
    expect(seen[0]?.report.topTalkers.some((t) => t.client.startsWith(`${LONG_CLIENT}:`))).toBe(true);
  });

  it('carries the baseline on: every segment learns into the window the first one opened', async () => {
    const seen = await segmented(60);
    const starts = new Set(seen.map((s) => s.report.detection?.baseline.learnStart));
    expect(starts).toEqual(new Set([new Date(START_US / 1000).toISOString()]));
    const devices = seen.map((s) => s.report.detection?.baseline.devices ?? 0);
    for (let i = 1; i < devices.length; i++) expect(devices[i]).toBeGreaterThanOrEqual(devices[i - 1] ?? 0);
  });

  it('gives the same segments however the input is chunked (a checkpoint waits for a chunk boundary)', async () => {
    const a = await segmented(60, 512);
    const b = await segmented(60, 7);
    const shape = (s: Seen[]) => s.map((x) => [x.report.capture.packets, x.observations.length]);
    // a boundary may move by the packets of one chunk, never lose or repeat one
    expect(b.reduce((n, s) => n + s.report.capture.packets, 0)).toBe(a.reduce((n, s) => n + s.report.capture.packets, 0));
    expect(b.length).toBe(a.length);
    expect(shape(b).flat().length).toBe(shape(a).flat().length);
  });

  it('reads on while a segment is being written, and ends the read with the error of a write that fails', async () => {
    let read = 0;
    async function* counting(): AsyncGenerator<Uint8Array> {
      for await (const c of chunked(capture.bytes, 64)) {
        read += c.length;
        yield c;
      }
    }
    const indexes: number[] = [];
    await analyzeInSegments(
      { bytes: counting(), name: 'slow db' },
      {
        checkpointSeconds: 60,
        newSinks: () => ({}),
        onSegment: async (report) => {
          indexes.push(report.capture.segment?.index ?? 0);
          if (report.capture.segment?.index !== 1) return;
          // the first write lasts until the read has gone past the 90 s mark: it would never end if reading waited for it
          const until = Date.now() + 5000;
          while (read <= capture.splitAt) {
            if (Date.now() > until) throw new Error('reading did not go on while the first segment was being written');
            await new Promise((r) => setTimeout(r, 5));
          }
        },
      },
    );
    expect(indexes).toEqual(indexes.map((_, i) => i + 1));
    expect(indexes.length).toBeGreaterThanOrEqual(5);

    const failing = analyzeInSegments(
      { bytes: chunked(capture.bytes, 64), name: 'broken db' },
      {
        checkpointSeconds: 60,
        newSinks: () => ({}),
        onSegment: async (report) => {
          if (report.capture.segment?.index === 2) throw new Error('database unreachable');
        },
      },
    );
    await expect(failing).rejects.toThrow('database unreachable');
  });

  it('refuses an interval under a second, and a directory', async () => {
    await expect(analyzeInSegments({ bytes: chunked(capture.bytes), name: 'x' }, { checkpointSeconds: 0.5, newSinks: () => ({}), onSegment: async () => undefined })).rejects.toMatchObject({ code: 'netmon.invalid_option' });
    await expect(analyzeInSegments('.', { checkpointSeconds: 60, newSinks: () => ({}), onSegment: async () => undefined })).rejects.toMatchObject({ code: 'netmon.invalid_option' });
  });
});
