/**
 * NetmonService.ingestSegmented over a real database (SQLite and PostgreSQL): a live capture
 * (a stream that has not ended) has its first segment recorded, devices and all, while the stream is
 * still being read; each segment is a capture record of its own that says where it stands; a
 * connection open across every checkpoint is one stored conversation; the baseline is saved at
 * each checkpoint.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/storage/database.js';
import { describeEachEngine } from '../../src/storage/testing/engines.js';
import { netmonStack, waitFor, type NetmonStack } from '../netmon/follow/support.js';
import { chunked, LONG_CLIENT, MQTT_BROKER, PUBLISHES, segmentCapture } from '../netmon/segments-support.js';
import { systemActor } from '../../src/core/index.js';

const capture = segmentCapture(5);
const actor = systemActor('test');

describeEachEngine('segmented capture ingest', ({ open }) => {
  let h: DatabaseHandle;
  let stack: NetmonStack;

  beforeEach(async () => {
    h = await open();
    stack = netmonStack(h);
  });
  afterEach(async () => {
    await h.close();
  });

  it('records the first segment while the stream is still open, then one record per segment', async () => {
    let recordedBeforeEnd: Awaited<ReturnType<typeof stack.netmon.captures>> = [];
    const pause = {
      at: capture.splitAt,
      // the stream holds back everything after 90 s of capture time until a segment is stored
      resume: async () => {
        await waitFor(async () => (await stack.netmon.captures()).length > 0, 'the first segment to be recorded while the stream is open', 5000);
        recordedBeforeEnd = await stack.netmon.captures();
      },
    };
    const recorded: string[] = [];
    const summary = await stack.netmon.ingestSegmented({ bytes: chunked(capture.bytes, 64, pause), name: 'tcpdump -i eth1' }, { checkpointSeconds: 60, onRecorded: (r) => recorded.push(r.captureId) }, actor);

    expect(recordedBeforeEnd).toHaveLength(1);
    expect(recordedBeforeEnd[0]?.summary.segment).toMatchObject({ index: 1, final: false, firstFrame: 1 });
    // the MQTT client was put in the inventory from the first segment, before the stream ended
    expect(recordedBeforeEnd[0]?.devices).toBeGreaterThan(0);

    const records = (await stack.netmon.captures()).reverse();
    expect(records.map((r) => r.id)).toEqual(summary.captureIds);
    expect(recorded).toEqual(summary.captureIds);
    expect(records.length).toBe(summary.segments);
    expect(records.length).toBeGreaterThanOrEqual(5);
    expect(records.map((r) => (r.summary.segment as { index: number }).index)).toEqual(records.map((_, i) => i + 1));
    expect(records.every((r) => (r.summary.segment as { session: string }).session === summary.session)).toBe(true);
    expect(records.at(-1)?.summary.segment).toMatchObject({ final: true, flowsOpen: 0 });
    expect(records.reduce((n, r) => n + r.packets, 0)).toBe(capture.packets);
    expect(summary.packets).toBe(capture.packets);
  });

  it('stores the connection open across every checkpoint as one conversation, and its observations once', async () => {
    const summary = await stack.netmon.ingestSegmented({ bytes: chunked(capture.bytes, 512), name: 'live' }, { checkpointSeconds: 60 }, actor);
    const conversations = await stack.netmon.conversations({ ips: [LONG_CLIENT] });
    expect(conversations).toHaveLength(1);
    expect(conversations[0]).toMatchObject({ client: LONG_CLIENT, server: MQTT_BROKER, protocol: 'mqtt', flows: 1 });
    expect(conversations[0]?.packets).toBe(3 + 1 + PUBLISHES + 1 + 3);
    // every segment's observations are kept under its capture
    let connects = 0;
    let publishes = 0;
    for (const captureId of summary.captureIds) {
      const page = await stack.netmon.observations({ captureId, limit: 500 });
      connects += page.items.filter((o) => o.kind === 'mqtt.connect').length;
      publishes += page.items.filter((o) => o.kind === 'mqtt.publish').length;
    }
    expect(connects).toBe(1);
    expect(publishes).toBe(PUBLISHES);
  });

  it('saves the baseline at every checkpoint, so a later ingest resumes what the segments learnt', async () => {
    await stack.netmon.ingestSegmented({ bytes: chunked(capture.bytes, 512), name: 'live' }, { checkpointSeconds: 60, learnSeconds: 3600 }, actor);
    const baseline = (await stack.netmon.baseline('default')) as { devices: Array<{ ip: string; flows: number; timeOfDay: number[] }> } | undefined;
    const client = baseline?.devices.find((d) => d.ip === LONG_CLIENT);
    // one connection, counted once although every segment's detection engine was told of it
    expect(client?.flows).toBe(1);
    expect(client?.timeOfDay.reduce((a, b) => a + b, 0)).toBe(1);
  });

  it('refuses bytes that are not a capture, storing nothing, and keeps what it recorded before a damaged tail', async () => {
    const junk = new TextEncoder().encode('GET / HTTP/1.1\r\nHost: x\r\n\r\n'.repeat(20));
    await expect(stack.netmon.ingestSegmented({ bytes: chunked(junk, 64), name: 'stdin' }, { checkpointSeconds: 60 }, actor)).rejects.toMatchObject({
      code: 'netmon.unreadable_capture',
      location: { byteOffset: 0 },
    });
    expect(await stack.netmon.captures(10)).toEqual([]);

    // the pipe dies in the middle of a record: the segments read before it stand
    const cut = capture.bytes.subarray(0, capture.bytes.length - 7);
    const summary = await stack.netmon.ingestSegmented({ bytes: chunked(cut, 512), name: 'stdin' }, { checkpointSeconds: 60 }, actor);
    const records = await stack.netmon.captures(10);
    expect(records.map((r) => r.id).sort()).toEqual([...summary.captureIds].sort());
    expect(records.length).toBeGreaterThanOrEqual(4);
    expect(records.reduce((n, r) => n + r.packets, 0)).toBe(capture.packets - 1);
  });
});
