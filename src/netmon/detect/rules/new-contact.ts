/**
 * @module `baseline.new-peer` and `baseline.new-service`: after the learning window, a flow to or
 * from a peer the device never talked to during the window, or a known peer on a service (transport
 * and server port) it never used, or a port the device never served. Judged when the flow ends, and
 * only when data was exchanged: a connection attempt nobody answered (a scan, a blocked port) would
 * otherwise raise one detection per probed port or host, and is what the recon rules are for. The
 * time and frame are the flow's first. Only devices that were seen during
 * the window with at least `minBaselineFlows` flows have a baseline to compare with; a device whose
 * peer or service list hit its cap during the window has an incomplete baseline and is not judged.
 */
import type { DeviceBaseline } from '../../baseline/index.js';
import { serviceKey } from '../../baseline/index.js';
import type { FlowSummary } from '../../model.js';
import { flowEvidence, type DetectionRule, type RuleContext } from '../model.js';
import { clinicalSeverity, deviceLabel } from './support.js';

const MIN_BASELINE_FLOWS = {
  name: 'minBaselineFlows',
  description: 'flows a device must have started or answered during the learning window before its baseline is trusted',
  default: 3,
  min: 1,
  max: 1_000_000,
  integer: true,
};

/** flows the device started or answered during the window (the time-of-day histogram counts exactly those) */
function learnedFlows(d: DeviceBaseline): number {
  let n = 0;
  for (let h = 0; h < 24; h++) n += d.timeOfDay[h] as number;
  return n;
}

/** The device's baseline when it can be judged against at `ts`, else undefined. */
function judgeable(ctx: RuleContext, ip: string, ts: number): DeviceBaseline | undefined {
  const b = ctx.baseline;
  if (b.isLearning(ts) || !ctx.topology.info(ip).internal) return undefined;
  const d = b.get(ip);
  if (!d || !b.isBaselined(d) || learnedFlows(d) < (ctx.params.minBaselineFlows ?? 1)) return undefined;
  return d;
}

const windowText = (ctx: RuleContext): string => `${ctx.baseline.options.learnSeconds} s learning window`;

/** Data went both ways (TCP: any payload, so the handshake completed; UDP: the server answered). */
export const exchanged = (s: FlowSummary): boolean => (s.key.transport === 'tcp' ? s.c2s.payloadBytes + s.s2c.payloadBytes > 0 : s.s2c.payloadBytes > 0);

export const newPeerRule: DetectionRule = {
  id: 'baseline.new-peer',
  version: '1.0.0',
  category: 'baseline',
  title: 'New peer after the learning window',
  description: 'A device talks to (or is contacted by) an address it never exchanged traffic with during its learning window.',
  params: [MIN_BASELINE_FLOWS],
  create(ctx) {
    const judge = (self: string, other: string, s: FlowSummary, initiated: boolean) => {
      const d = judgeable(ctx, self, s.firstTs);
      if (!d || d.peersDropped > 0 || d.peers.has(other)) return;
      const crit = ctx.topology.info(self).criticality;
      const port = `${s.key.transport}/${s.key.server.port}`;
      ctx.emit({
        severity: clinicalSeverity(crit, 'low'),
        dedupSuffix: other,
        deviceIp: self,
        peerIp: other,
        ts: s.firstTs,
        frame: s.firstFrame,
        evidence: [flowEvidence(ctx.source, s.id, s.firstFrame, s.firstTs, `${initiated ? 'to' : 'from'} ${other} ${port}`)],
        describe: () => ({
          title: `${deviceLabel(ctx.topology, self)} ${initiated ? 'contacted' : 'was contacted by'} new peer ${other} (${port})`,
          explanation: `During the ${windowText(ctx)} ${self} exchanged traffic with ${d.peers.size} peer(s), never with ${other}. This flow (${port}) ${initiated ? 'was opened by the device' : 'was opened by the new peer'} after the window.`,
          facts: { peer: other, direction: initiated ? 'outbound' : 'inbound', service: port, knownPeers: d.peers.size },
        }),
      });
    };
    return {
      onFlowEnd({ summary: s }) {
        if (!exchanged(s)) return;
        judge(s.key.client.ip, s.key.server.ip, s, true);
        if (s.key.server.ip !== s.key.client.ip) judge(s.key.server.ip, s.key.client.ip, s, false);
      },
    };
  },
};

export const newServiceRule: DetectionRule = {
  id: 'baseline.new-service',
  version: '1.0.0',
  category: 'baseline',
  title: 'New service after the learning window',
  description:
    'A device uses a service (transport and server port) of a known peer it never used during the learning window, or answers on a port it never served during the window (a new listening service). A new peer is the business of baseline.new-peer.',
  params: [MIN_BASELINE_FLOWS],
  create(ctx) {
    return {
      onFlowEnd({ summary: e }) {
        if (!exchanged(e)) return;
        const k = e.key;
        const port = `${k.transport}/${k.server.port}`;
        const client = judgeable(ctx, k.client.ip, e.firstTs);
        if (client && client.servicesDropped === 0 && client.peers.has(k.server.ip) && !client.services.has(serviceKey('client', k.transport, k.server.port, k.server.ip))) {
          const used = () => [...client.services.values()].filter((s) => s.role === 'client' && s.peer === k.server.ip).map((s) => `${s.transport}/${s.port}`);
          ctx.emit({
            severity: clinicalSeverity(ctx.topology.info(k.client.ip).criticality, 'low'),
            dedupSuffix: `client:${port}:${k.server.ip}`,
            deviceIp: k.client.ip,
            peerIp: k.server.ip,
            ts: e.firstTs,
            frame: e.firstFrame,
            evidence: [flowEvidence(ctx.source, e.id, e.firstFrame, e.firstTs, `to ${k.server.ip} ${port}`)],
            describe: () => ({
              title: `${deviceLabel(ctx.topology, k.client.ip)} used new service ${port} on ${k.server.ip}`,
              explanation: `During the ${windowText(ctx)} ${k.client.ip} used ${used().join(', ') || 'no service'} on ${k.server.ip}; this flow uses ${port}.`,
              facts: { role: 'client', service: port, peer: k.server.ip, knownServicesOnPeer: used().join(' ') },
            }),
          });
        }
        const server = judgeable(ctx, k.server.ip, e.firstTs);
        if (server && server.servicesDropped === 0 && !server.services.has(serviceKey('server', k.transport, k.server.port, null))) {
          const served = () => [...server.services.values()].filter((s) => s.role === 'server').map((s) => `${s.transport}/${s.port}`);
          ctx.emit({
            severity: clinicalSeverity(ctx.topology.info(k.server.ip).criticality, 'low'),
            dedupSuffix: `server:${port}`,
            deviceIp: k.server.ip,
            peerIp: k.client.ip,
            ts: e.firstTs,
            frame: e.firstFrame,
            evidence: [flowEvidence(ctx.source, e.id, e.firstFrame, e.firstTs, `from ${k.client.ip} to ${port}`)],
            describe: () => ({
              title: `${deviceLabel(ctx.topology, k.server.ip)} answered on new port ${port}`,
              explanation: `During the ${windowText(ctx)} ${k.server.ip} served ${served().join(', ') || 'no port'}; ${k.client.ip} now reached it on ${port} (a service that was not in use before, or a newly opened one).`,
              facts: { role: 'server', service: port, knownServedPorts: served().join(' ') },
            }),
          });
        }
      },
    };
  },
};
