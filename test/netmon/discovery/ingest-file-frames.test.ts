/**
 * `ingestReport` on the capture of one file of a followed run, whose frames are numbered run-wide:
 * wire-finding evidence names the file's own frame numbers, and a frame of an earlier file of the run
 * (a flow that timed out in this one, flushed with its last frame) is left out rather than given a
 * number below 1.
 */
import { afterEach, expect, it } from 'vitest';
import { AlertService } from '../../../src/alerts/index.js';
import { AuditService, generateSigningKey } from '../../../src/audit/index.js';
import { systemClock } from '../../../src/core/index.js';
import { InventoryService } from '../../../src/inventory/index.js';
import { ingestReport } from '../../../src/netmon/ingest.js';
import { analyzeCapture, type NetmonReport } from '../../../src/netmon/report.js';
import type { DatabaseHandle } from '../../../src/storage/index.js';
import { createAlertRepository } from '../../../src/storage/repositories/alerts.js';
import { createAuditRepository } from '../../../src/storage/repositories/audit.js';
import { KyselyDeviceRepository } from '../../../src/storage/repositories/devices.js';
import { describeEachEngine } from '../../../src/storage/testing/engines.js';
import { chunked, segmentCapture } from '../segments-support.js';

const actor = { kind: 'user' as const, id: 'user_netmon_test', name: 'tester', role: 'admin' };
/** run-wide number of the file's first frame */
const FIRST = 1001;

/** the report of one file as a followed run records it: frames shifted run-wide, one finding citing an earlier file */
async function fileOfRun(): Promise<{ report: NetmonReport; ownFrames: number[] }> {
  const file = segmentCapture(5).rotated([100, 200])[1] as Uint8Array;
  const alone = await analyzeCapture({ bytes: chunked(file), name: '/span/ring-1.pcap' });
  const ownFrames = alone.devices.flatMap((d) => d.findings.flatMap((f) => f.frames));
  expect(ownFrames.length).toBeGreaterThan(0);
  const report: NetmonReport = {
    ...alone,
    capture: { ...alone.capture, segment: { session: 'ses_t', index: 2, final: false, firstFrame: FIRST, flowsCarriedIn: 1, flowsOpen: 1, perFile: true } },
    devices: alone.devices.map((d, i) => ({
      ...d,
      findings: d.findings.map((f, j) => ({ ...f, frames: [...(i === 0 && j === 0 ? [FIRST - 40] : []), ...f.frames.map((x) => x + FIRST - 1)] })),
    })),
  };
  return { report, ownFrames };
}

describeEachEngine('ingest of a followed run file', ({ open }) => {
  const handles: DatabaseHandle[] = [];
  afterEach(async () => {
    for (const h of handles.splice(0)) await h.close();
  });

  it('names each finding frame by its number in the file, leaving out a frame of an earlier file', async () => {
    const h = await open();
    handles.push(h);
    const audit = new AuditService({ repo: createAuditRepository(h.db, h.dialect), signingKey: generateSigningKey(), clock: systemClock });
    const alerts = new AlertService({ repo: createAlertRepository(h.db, h.dialect), audit, clock: systemClock });
    const { report, ownFrames } = await fileOfRun();
    await ingestReport(report, { inventory: new InventoryService({ repo: new KyselyDeviceRepository(h), audit, clock: systemClock }), alerts }, actor);
    const items = (await alerts.list({ limit: 100 })).items;
    const refs = items.flatMap((a) => a.evidence.filter((e) => e.kind === 'packet').map((e) => e.ref));
    expect(new Set(refs)).toEqual(new Set(ownFrames.map((f) => `/span/ring-1.pcap#frame=${f}`)));
    expect(items.every((a) => !/first at frame (-|0\b)/.test(a.description))).toBe(true);
  });
});
