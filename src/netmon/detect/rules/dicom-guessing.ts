/**
 * @module `dicom.ae-title-guessing`: one source whose association requests an SCP keeps rejecting
 * because it does not recognise the AE title asked for (A-ASSOCIATE-RJ, service-user, reason 7
 * "called AE title not recognized" or 3 "calling AE title not recognized"), with many distinct
 * titles within a window: someone guessing the titles a PACS answers to (nmap's dicom-brute, a
 * worm looking for an SCP to store to or query), or a modality misconfigured in a loop. Works
 * without a policy. Trackers as in `recon.*` (scan.ts): per (source, SCP address and port), a Map
 * of title -> last time in insertion order, pruned from the front, in an LRU of `maxTrackers`;
 * reaching the threshold raises one occurrence and starts over.
 */
import type { Micros, Observation } from '../../model.js';
import { endpointText, observationEvidence, type DetectionEvidence, type DetectionRule, type RuleContext } from '../model.js';
import { PendingAssociations, type AssociationRequest } from './dicom-associations.js';
import { deviceLabel, LruMap } from './support.js';

/** ACSE service-user reasons: the SCP did not recognise the called (7) or the calling (3) AE title */
const REASON_CALLED = 7;
const REASON_CALLING = 3;
const SERVICE_USER = 1;

interface Tracker {
  titles: Map<string, Micros>;
  first?: DetectionEvidence;
}

const THRESHOLD = { name: 'distinctTitles', description: 'distinct AE titles rejected as not recognised that make guessing', default: 5, min: 2, max: 100_000, integer: true };
const WINDOW = { name: 'windowSeconds', description: 'sliding window, seconds of capture time', default: 300, min: 1, max: 86_400, integer: true };
const MAX_TRACKERS = { name: 'maxTrackers', description: 'trackers (source and SCP) held at once; least recent evicted', default: 8192, min: 16, max: 1_000_000, integer: true };
const MAX_PENDING = { name: 'maxPendingAssociations', description: 'association requests awaiting their answer, held at once (least recent dropped beyond it)', default: 4096, min: 16, max: 1_000_000, integer: true };

export const aeTitleGuessingRule: DetectionRule = {
  id: 'dicom.ae-title-guessing',
  version: '1.0.0',
  category: 'dicom',
  title: 'DICOM AE title guessing',
  description:
    'One source has association requests rejected because the SCP does not recognise the AE title (called or calling), with at least distinctTitles different titles within windowSeconds at one SCP. High (medium from the internet).',
  params: [THRESHOLD, WINDOW, MAX_TRACKERS, MAX_PENDING],
  create(ctx: RuleContext) {
    const limit = ctx.params.distinctTitles ?? THRESHOLD.default;
    const windowUs = (ctx.params.windowSeconds ?? WINDOW.default) * 1_000_000;
    const trackers = new LruMap<string, Tracker>(ctx.params.maxTrackers ?? MAX_TRACKERS.default);
    const pending = new PendingAssociations(ctx.params.maxPendingAssociations ?? MAX_PENDING.default);
    const scanners = ctx.topology.policy.scanners;

    const rejected = (req: AssociationRequest, rj: Observation, flowId: number | undefined, role: 'called' | 'calling') => {
      const k = req.o.flow;
      if (!k || ctx.topology.inAny(k.client.ip, scanners)) return;
      const server = endpointText(k.server.ip, k.server.port);
      const id = `${k.client.ip}>${server}`;
      const title = role === 'called' ? req.calledAe : req.callingAe;
      let t = trackers.get(id);
      if (!t) trackers.set(id, (t = { titles: new Map() }));
      for (const [old, ts] of t.titles) {
        if (ts >= rj.ts - windowUs) break;
        t.titles.delete(old);
      }
      if (t.titles.size === 0) t.first = observationEvidence(ctx.source, req.o, req.flowId, `A-ASSOCIATE-RQ ${req.callingAe} -> ${req.calledAe}, rejected: ${role} AE title not recognized`);
      t.titles.delete(`${role}:${title}`);
      t.titles.set(`${role}:${title}`, rj.ts);
      if (t.titles.size < limit) return;
      const tried = [...t.titles.keys()];
      const sample = tried.slice(0, 20).map((x) => x.slice(x.indexOf(':') + 1));
      const firstTs = t.first?.ts ?? req.o.ts;
      const seconds = ((rj.ts - firstTs) / 1e6).toFixed(1);
      const src = deviceLabel(ctx.topology, k.client.ip);
      ctx.emit({
        severity: ctx.topology.info(k.client.ip).internet ? 'medium' : 'high',
        dedupSuffix: server,
        deviceIp: k.client.ip,
        peerIp: k.server.ip,
        ts: firstTs,
        frame: t.first?.frame ?? req.o.frame,
        evidence: [...(t.first ? [t.first] : []), observationEvidence(ctx.source, rj, flowId, `A-ASSOCIATE-RJ of the ${limit}th distinct title "${title}"`)],
        describe: () => ({
          title: `DICOM AE title guessing from ${src} at ${server} (${tried.length} titles rejected in ${seconds} s)`,
          explanation: `The SCP at ${server} rejected association requests from ${k.client.ip} because it did not recognise the AE title, for ${tried.length} different titles within ${seconds} s (threshold ${limit} in ${windowUs / 1e6} s): e.g. ${sample.join(', ')}. Someone is guessing which AE titles the SCP answers to (as nmap's dicom-brute does), or a device is misconfigured in a loop.`,
          facts: { distinct: tried.length, threshold: limit, windowSeconds: windowUs / 1e6, seconds: Number(seconds), scp: server, sample: sample.join(' ') },
        }),
      });
      trackers.delete(id);
    };

    return {
      onObservation({ observation: o, flowId }) {
        const req = pending.observe(o, flowId);
        if (!req || o.kind !== 'dicom.associate-rj' || o.fields.source !== SERVICE_USER) return;
        if (o.fields.reason === REASON_CALLED) rejected(req, o, flowId, 'called');
        else if (o.fields.reason === REASON_CALLING) rejected(req, o, flowId, 'calling');
      },
      stats: () => ({ trackers: trackers.size, trackersEvicted: trackers.evicted, pendingAssociations: pending.size, pendingEvicted: pending.evicted }),
    };
  },
};
