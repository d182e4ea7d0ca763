/**
 * @module `recon.port-scan` and `recon.host-sweep`: one source opening flows to many distinct ports
 * of one host, or to many distinct hosts on one port, within a sliding window of capture time. Each
 * tracker is a Map of target -> last time seen in insertion order (a re-seen target moves to the
 * end), so pruning what fell out of the window takes entries from the front; it never holds more
 * than the threshold, and the trackers themselves sit in an LRU of `maxTrackers`. When a tracker
 * reaches the threshold it raises one occurrence and starts over, so a long scan folds into one
 * detection whose count says how many thresholds it crossed. Sources in the policy's `scanners`
 * are exempt; multicast and broadcast never count as swept hosts.
 */
import type { Micros } from '../../model.js';
import { flowEvidence, type DetectionRule, type FlowStartEvent, type RuleContext } from '../model.js';
import { deviceLabel, LruMap } from './support.js';

interface Tracker {
  targets: Map<string, Micros>;
  /** the flow that opened the current window (its evidence is made only if the tracker fires) */
  first?: { flowId: number; frame: number; ts: Micros; target: string };
}

const WINDOW = { name: 'windowSeconds', description: 'sliding window, seconds of capture time', default: 60, min: 1, max: 86_400, integer: true };
const MAX_TRACKERS = { name: 'maxTrackers', description: 'trackers (source and host, or source and port) held at once; least recent evicted', default: 8192, min: 16, max: 1_000_000, integer: true };

function scanRule(kind: 'port-scan' | 'host-sweep'): DetectionRule {
  const ports = kind === 'port-scan';
  const threshold = ports
    ? { name: 'distinctPorts', description: 'distinct destination ports of one host that make a scan', default: 64, min: 2, max: 65_536, integer: true }
    : { name: 'distinctHosts', description: 'distinct hosts on one destination port that make a sweep', default: 64, min: 2, max: 1_000_000, integer: true };
  return {
    id: `recon.${kind}`,
    version: '1.0.0',
    category: 'reconnaissance',
    title: ports ? 'Port scan' : 'Host sweep',
    description: ports
      ? 'One source opens flows to at least distinctPorts different ports of one host within windowSeconds (TCP and UDP counted apart).'
      : 'One source opens flows to at least distinctHosts different hosts on the same transport and port within windowSeconds.',
    params: [threshold, WINDOW, MAX_TRACKERS],
    create(ctx: RuleContext) {
      const limit = ctx.params[threshold.name] ?? threshold.default;
      const windowUs = (ctx.params.windowSeconds ?? WINDOW.default) * 1_000_000;
      const trackers = new LruMap<string, Tracker>(ctx.params.maxTrackers ?? MAX_TRACKERS.default);
      const scanners = ctx.topology.policy.scanners;
      return {
        onFlowStart(e: FlowStartEvent) {
          const k = e.key;
          if (ctx.topology.inAny(k.client.ip, scanners)) return;
          if (!ports && ctx.topology.info(k.server.ip).group) return;
          const id = ports ? `${k.client.ip}>${k.server.ip}/${k.transport}` : `${k.client.ip}>${k.transport}/${k.server.port}`;
          const target = ports ? String(k.server.port) : k.server.ip;
          let t = trackers.get(id);
          if (!t) trackers.set(id, (t = { targets: new Map() }));
          for (const [old, ts] of t.targets) {
            if (ts >= e.ts - windowUs) break;
            t.targets.delete(old);
          }
          if (t.targets.size === 0) t.first = { flowId: e.flowId, frame: e.frame, ts: e.ts, target };
          t.targets.delete(target);
          t.targets.set(target, e.ts);
          if (t.targets.size < limit) return;
          const seen = [...t.targets.keys()];
          const sample = (ports ? seen.map(Number).sort((a, b) => a - b).map(String) : seen.sort()).slice(0, 20);
          const first = t.first;
          const firstTs = first?.ts ?? e.ts;
          const seconds = ((e.ts - firstTs) / 1e6).toFixed(1);
          const src = deviceLabel(ctx.topology, k.client.ip);
          ctx.emit({
            severity: ctx.topology.info(k.client.ip).internet ? 'medium' : 'high',
            dedupSuffix: ports ? `${k.server.ip}/${k.transport}` : `${k.transport}/${k.server.port}`,
            deviceIp: k.client.ip,

            ...(ports ? { peerIp: k.server.ip } : {}),
            ts: firstTs,
            frame: first?.frame ?? e.frame,
            evidence: [...(first ? [flowEvidence(ctx.source, first.flowId, first.frame, first.ts, `first ${ports ? 'port' : 'host'} ${first.target}`)] : []), flowEvidence(ctx.source, e.flowId, e.frame, e.ts, `${limit}th distinct ${ports ? 'port' : 'host'} ${target}`)],
            describe: () => ({
              title: ports ? `Port scan from ${src} against ${k.server.ip} (${seen.length} ${k.transport} ports in ${seconds} s)` : `Host sweep from ${src} on ${k.transport}/${k.server.port} (${seen.length} hosts in ${seconds} s)`,
              explanation: ports
                ? `${k.client.ip} opened ${k.transport} flows to ${seen.length} distinct ports of ${k.server.ip} within ${seconds} s (threshold ${limit} in ${windowUs / 1e6} s), e.g. ${sample.join(', ')}.`
                : `${k.client.ip} opened ${k.transport}/${k.server.port} flows to ${seen.length} distinct hosts within ${seconds} s (threshold ${limit} in ${windowUs / 1e6} s), e.g. ${sample.join(', ')}.`,
              facts: { distinct: seen.length, threshold: limit, windowSeconds: windowUs / 1e6, seconds: Number(seconds), sample: sample.join(' '), ...(ports ? { target: k.server.ip } : { port: `${k.transport}/${k.server.port}` }) },
            }),
          });
          trackers.delete(id);
        },
        stats: () => ({ trackers: trackers.size, trackersEvicted: trackers.evicted }),
      };
    },
  };
}

export const portScanRule = scanRule('port-scan');
export const hostSweepRule = scanRule('host-sweep');
