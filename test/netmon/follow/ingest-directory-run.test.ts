/**
 * followAndIngest over NetmonService reads the files of a rotating capture as one continuous run
 * (NetmonService.captureRun), on both storage engines: a connection open across two rotations is one
 * flow read from its first byte (its MQTT CONNECT observed once, nothing read from the middle),
 * stored as one conversation (segments.test.ts checks each segment's part); the same files
 * ingested one by one (a target without runs) count it once per file. A file that disappears before it
 * is read is reported and the run goes on.
 */
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Actor } from '../../../src/core/index.js';
import { fileIdentity, followAndIngest, type DirectoryIngestTarget, type FollowIngestSummary } from '../../../src/netmon/follow/ingest-directory.js';
import type { DatabaseHandle } from '../../../src/storage/database.js';
import { describeEachEngine } from '../../../src/storage/testing/engines.js';
import { analyzeCapture } from '../../../src/netmon/report.js';
import { LONG_CLIENT, MQTT_BROKER, PUBLISHES, segmentCapture } from '../segments-support.js';
import { netmonStack, syntheticRecords, tempDir, waitFor, writeCapture, ZONES, type NetmonStack } from './support.js';
import { chunked } from '../segments-support.js';

const actor: Actor = { kind: 'user', id: 'usr_test', name: 'tester' };
const capture = segmentCapture(5);
// a rotation every 100 s of capture time: the MQTT connection (0-305 s) spans all three files
const files = capture.rotated([100, 200]);
/** a newer file, so the last of the three is complete (the newest waits) */
const newer = syntheticRecords(50, 3, Date.UTC(2026, 2, 1, 9, 0, 0) * 1000);
const LONG_PACKETS = 3 + 1 + PUBLISHES + 1 + 3;

describeEachEngine('followAndIngest as one run', (engine) => {
  let h: DatabaseHandle;
  let stack: NetmonStack;
  let dir: string;
  beforeEach(async () => {
    h = await engine.open();
    stack = netmonStack(h);
    dir = tempDir('careguard-follow-run-');
  });
  afterEach(async () => {
    rmSync(dir, { recursive: true, force: true });
    await h.close();
  });

  const names = ['cap.pcap0', 'cap.pcap1', 'cap.pcap2'];
  function writeRotation(): void {
    files.forEach((bytes, i) => writeFileSync(path.join(dir, names[i] as string), bytes));
    writeCapture(path.join(dir, 'cap.pcap3'), newer);
  }

  async function follow(target: DirectoryIngestTarget, expected: number): Promise<FollowIngestSummary> {
    const ac = new AbortController();
    let ingested = 0;
    const done = followAndIngest(dir, target, actor, { signal: ac.signal, pollMs: 10, onIngested: () => ingested++ });
    await waitFor(() => ingested === expected, `${expected} files ingested`);
    ac.abort();
    return done;
  }

  it('reads a connection open across two rotations as one flow from its first byte, stored as one conversation', async () => {
    writeRotation();
    const summary = await follow(stack.netmon, 3);
    expect(summary).toMatchObject({ ingested: 3, failed: 0 });
    const captures = (await stack.netmon.captures(10)).reverse();
    expect(captures.map((c) => path.basename(c.name))).toEqual(names);
    for (const [i, c] of captures.entries()) expect(c.source).toEqual(await fileIdentity(path.join(dir, names[i] as string)));
    expect(captures.reduce((n, c) => n + c.packets, 0)).toBe(capture.packets);
    // one session across the three captures, each a segment of it
    expect(new Set(captures.map((c) => (c.summary.segment as { session: string }).session)).size).toBe(1);

    const [conversation, ...others] = await stack.netmon.conversations({ ips: [LONG_CLIENT] });
    expect(others).toEqual([]);
    expect(conversation).toMatchObject({ client: LONG_CLIENT, server: MQTT_BROKER, protocol: 'mqtt', flows: 1, packets: LONG_PACKETS });

    const mqtt = (await Promise.all(captures.map((c) => stack.netmon.observations({ captureId: c.id, protocol: 'mqtt', limit: 500 })))).flatMap((p) => p.items);
    expect(mqtt.filter((o) => o.kind === 'mqtt.connect')).toHaveLength(1);
    expect(mqtt.filter((o) => o.kind === 'mqtt.publish')).toHaveLength(PUBLISHES);
    expect(mqtt.filter((o) => JSON.stringify(o).includes('lateSync') || JSON.stringify(o).includes('"midStream":true'))).toEqual([]);
  });

  it('points alert evidence at the file holding each frame, with the frame number in that file', async () => {
    writeRotation();
    await follow(stack.netmon, 3);
    const alerts = (await stack.alerts.list({ source: 'netmon', limit: 200 })).items;
    const refs = alerts.flatMap((a) => a.evidence.map((e) => e.ref)).filter((r) => r.includes('#frame='));
    expect(refs.length).toBeGreaterThan(0);
    // every frame reference names one of the files (not the directory) and a frame inside it
    const packetsIn = new Map(await Promise.all(names.map(async (n, i) => [path.join(dir, n), (await analyzeCapture({ bytes: chunked(files[i] as Uint8Array), name: n })).capture.packets] as const)));
    for (const ref of refs) {
      const [file, rest] = ref.split('#frame=') as [string, string];
      expect(packetsIn.has(file)).toBe(true);
      const frame = Number.parseInt(rest, 10);
      expect(frame).toBeGreaterThanOrEqual(1);
      expect(frame).toBeLessThanOrEqual(packetsIn.get(file) ?? 0);
    }
    // the cleartext-PHI detection folds the HL7 messages of every file: its evidence is what each file
    // read on its own (frames numbered from 1) gives, under that file's name
    const alone = await Promise.all(
      names.map(async (n, i) => {
        const r = await analyzeCapture({ bytes: chunked(files[i] as Uint8Array), name: path.join(dir, n) }, { detection: { policy: ZONES } });
        return (r.detections ?? []).filter((d) => d.rule === 'phi.cleartext-leaving-zone').flatMap((d) => d.evidence.map((e) => e.ref));
      }),
    );
    const phi = alerts.filter((a) => a.category === 'phi.cleartext-leaving-zone').flatMap((a) => a.evidence.map((e) => e.ref));
    expect(new Set(phi)).toEqual(new Set(alone.flat()));
    expect(new Set(phi.map((r) => r.split('#')[0])).size).toBe(3);
  });

  it('ingested file by file (a target without runs) the same connection counts once per file and its later parts are read from the middle', async () => {
    writeRotation();
    const perFile: DirectoryIngestTarget = { ingest: (s, o, a) => stack.netmon.ingest(s, o, a), ingestedFile: (s) => stack.netmon.ingestedFile(s) };
    await follow(perFile, 3);
    const [conversation] = await stack.netmon.conversations({ ips: [LONG_CLIENT] });
    expect(conversation?.flows).toBe(3);
    const captures = await stack.netmon.captures(10);
    const connects = (await Promise.all(captures.map((c) => stack.netmon.observations({ captureId: c.id, kind: 'mqtt.connect', limit: 10 })))).flatMap((p) => p.items);
    expect(connects).toHaveLength(1);
  });

  it('reports a file that disappears before it is read and goes on with the next in the same run', async () => {
    writeRotation();
    const gone = path.join(dir, names[1] as string);
    const target: DirectoryIngestTarget = {
      ingest: (s, o, a) => stack.netmon.ingest(s, o, a),
      // the ring deletes cap.pcap1 between the listing and its turn
      ingestedFile: async (s) => {
        if (s.path === gone) rmSync(gone);
        return stack.netmon.ingestedFile(s);
      },
      captureRun: (o, a) => stack.netmon.captureRun(o, a),
    };
    const failed: string[] = [];
    const ac = new AbortController();
    let ingested = 0;
    const done = followAndIngest(dir, target, actor, { signal: ac.signal, pollMs: 10, onIngested: () => ingested++, onFailed: (p, e) => failed.push(`${path.basename(p)} ${e.code}`) });
    await waitFor(() => ingested === 2, 'the files before and after the one that went');
    ac.abort();
    const summary = await done;
    expect(failed).toEqual(['cap.pcap1 netmon.unreadable_capture']);
    expect(summary).toMatchObject({ ingested: 2, failed: 1 });
    expect((await stack.netmon.captures(10)).map((c) => path.basename(c.name)).reverse()).toEqual(['cap.pcap0', 'cap.pcap2']);
  });
});
