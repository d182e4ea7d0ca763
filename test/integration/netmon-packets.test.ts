/**
 * PacketEvidenceService over a real database (SQLite and PostgreSQL): the capture records written by
 * each kind of ingest (one file, each file of a followed directory, a directory as one capture) are
 * read back from storage and their packets extracted from the files they name, byte for byte, with
 * the frame numbers each record uses; every extraction is in the audit log.
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { AuditService, loadOrCreateSigningKey } from '../../src/audit/index.js';
import { systemActor, systemClock } from '../../src/core/index.js';
import { fileSource } from '../../src/netmon/capture/index.js';
import { PacketEvidenceService } from '../../src/netmon/extract/index.js';
import { outputOf, packetsFrom, packetsOf, unnumbered } from '../../src/netmon/extract/testing/support.js';
import { fileIdentity, followAndIngest } from '../../src/netmon/follow/ingest-directory.js';
import type { DatabaseHandle } from '../../src/storage/database.js';
import { createAuditRepository } from '../../src/storage/repositories/audit.js';
import { createNetmonRepository } from '../../src/storage/repositories/netmon.js';
import { describeEachEngine } from '../../src/storage/testing/engines.js';
import { netmonStack, syntheticRecords, tempDir, waitFor, writeCapture, type NetmonStack } from '../netmon/follow/support.js';

const actor = systemActor('test');
const START = Date.UTC(2026, 2, 1, 8, 0, 0) * 1000;
/** three files of a ring, in time order, and a newer one so the third is complete */
const ring = [0, 1, 2, 3].map((i) => syntheticRecords(40, 3 + i, START + i * 600_000_000));

describeEachEngine('packets of stored captures', (engine) => {
  let h: DatabaseHandle;
  let stack: NetmonStack;
  let audit: AuditService;
  let packets: PacketEvidenceService;
  let dir: string;

  beforeEach(async () => {
    h = await engine.open();
    stack = netmonStack(h);
    dir = tempDir('careguard-packets-');
    audit = new AuditService({ repo: createAuditRepository(h.db, h.dialect), signingKey: loadOrCreateSigningKey({ dataDir: tempDir('careguard-packets-key-') }), clock: systemClock });
    packets = new PacketEvidenceService({ captures: createNetmonRepository(h.db, h.dialect), audit });
  });
  afterEach(async () => {
    rmSync(dir, { recursive: true, force: true });
    await h.close();
  });

  const framesOf = async (file: string, frames: number[]) => unnumbered((await packetsFrom(fileSource(file))).filter((p) => frames.includes(p.frame)));
  const extracted = async (captureId: string, frames: string) => unnumbered(await packetsOf(await outputOf(await packets.capturePackets(captureId, { frames }, actor))));

  it('extracts from the file a capture was ingested from, and audits it', async () => {
    const file = writeCapture(path.join(dir, 'one.pcap'), ring[0]!);
    const { captureId } = await stack.netmon.ingest(file, { kind: 'capture', name: file, source: await fileIdentity(file) }, actor);
    expect(await extracted(captureId, '1,5-7,40')).toEqual(await framesOf(file, [1, 5, 6, 7, 40]));
    const entries = await audit.list({ action: 'capture.packets_extract', targetId: captureId });
    expect(entries.items).toHaveLength(1);
    expect(entries.items[0]).toMatchObject({ targetType: 'capture', details: { selection: { frames: '1,5-7,40' }, packets: 5, format: 'pcap' } });
  });

  it('numbers the frames of one file of a followed directory as the file (and its alert evidence) does', async () => {
    const names = ['cap.pcap0', 'cap.pcap1', 'cap.pcap2', 'cap.pcap3'];
    ring.forEach((records, i) => writeCapture(path.join(dir, names[i]!), records));
    const ac = new AbortController();
    let ingested = 0;
    const done = followAndIngest(dir, stack.netmon, actor, { signal: ac.signal, pollMs: 10, onIngested: () => ingested++ });
    await waitFor(() => ingested === 3, '3 files ingested');
    ac.abort();
    await done;
    const second = (await stack.netmon.captures()).find((c) => c.source?.path === path.join(dir, 'cap.pcap1'));
    expect(second?.summary.segment).toMatchObject({ firstFrame: 41, perFile: true });
    expect(await extracted(second!.id, '1,5,40')).toEqual(await framesOf(path.join(dir, 'cap.pcap1'), [1, 5, 40]));
  });

  it('runs at most two extractions at once: a third is refused (429) until one has been read or abandoned', async () => {
    const file = writeCapture(path.join(dir, 'busy.pcap'), ring[0]!);
    const { captureId } = await stack.netmon.ingest(file, { kind: 'capture', name: file, source: await fileIdentity(file) }, actor);
    const a = await packets.capturePackets(captureId, { frames: '1' }, actor);
    const b = await packets.capturePackets(captureId, { frames: '2' }, actor);
    await expect(packets.capturePackets(captureId, { frames: '3' }, actor)).rejects.toMatchObject({ code: 'netmon.extract_busy', status: 429 });
    // one read to the end frees its slot
    await outputOf(a);
    const c = await packets.capturePackets(captureId, { frames: '3' }, actor);
    // one abandoned after its first chunk (a client gone) frees its slot too
    const it = b.chunks();
    await it.next();
    await it.return(undefined);
    expect(unnumbered(await packetsOf(await outputOf(await packets.capturePackets(captureId, { frames: '4' }, actor))))).toEqual(await framesOf(file, [4]));
    // a refused plan holds no slot
    await expect(packets.capturePackets(captureId, { frames: '999' }, actor)).rejects.toMatchObject({ code: 'netmon.packets_not_found' });
    await outputOf(c);
    await outputOf(await packets.capturePackets(captureId, { frames: '5' }, actor));
  });

  it('extracts across the files of a directory ingested as one capture', async () => {
    ring.slice(0, 3).forEach((records, i) => writeCapture(path.join(dir, `part${i}.pcap`), records));
    const { captureId } = await stack.netmon.ingest(dir, { kind: 'capture', name: dir }, actor);
    const got = await extracted(captureId, '40-41,120');
    expect(got).toEqual([...(await framesOf(path.join(dir, 'part0.pcap'), [40])), ...(await framesOf(path.join(dir, 'part1.pcap'), [1])), ...(await framesOf(path.join(dir, 'part2.pcap'), [40]))]);
  });
});
