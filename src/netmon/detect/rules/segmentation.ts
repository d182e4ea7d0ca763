/**
 * @module `segmentation.violation`: a flow between zones that no conduit allows (or inside a zone
 * whose policy denies intra-zone traffic, or touching an unzoned address under `unzoned: "deny"`).
 * The verdict comes from segmentation.ts, computed once per flow by the engine when it ends (the
 * protocol is known then). Severity follows the target zone's security level: SL 3-4 high, SL 2
 * medium, else low. The detection is about the initiating device.
 */
import type { Severity } from '../../model.js';
import { endpointText, flowEvidence, type DetectionEvidence, type DetectionRule } from '../model.js';
import type { SegmentationVerdict } from '../segmentation.js';
import { deviceLabel } from './support.js';

function severity(v: SegmentationVerdict): Severity {
  const sl = v.toZone?.securityLevel ?? 0;
  return sl >= 3 ? 'high' : sl === 2 ? 'medium' : 'low';
}

function why(v: SegmentationVerdict, service: string): string {
  const carried = (services: SegmentationVerdict['nearMisses'][number]['services']) =>
    services.map((s) => [s.protocol, s.transport, s.ports.length ? s.ports.map((p) => (p.from === p.to ? `${p.from}` : `${p.from}-${p.to}`)).join(',') : undefined].filter(Boolean).join(' ')).join('; ');
  switch (v.reason) {
    case 'no-conduit':
      return `No conduit connects zone "${v.from}" to zone "${v.to}".`;
    case 'service-not-allowed':
      return `Conduit(s) ${v.nearMisses.map((c) => `"${c.name}" (${carried(c.services)})`).join(', ')} connect "${v.from}" to "${v.to}" but do not carry ${service}.`;
    case 'intra-zone-denied':
      return `The policy denies traffic inside zone "${v.from}" unless a conduit from the zone to itself carries it.`;
    case 'unzoned-denied':
      return `One side is in no zone and the policy says unzoned: "deny".`;
    default:
      return '';
  }
}

export const segmentationRule: DetectionRule = {
  id: 'segmentation.violation',
  version: '1.0.0',
  category: 'segmentation',
  title: 'Segmentation policy violation',
  description:
    'A flow from one zone to another that no conduit allows (by protocol, transport, server port), traffic inside a zone when intraZone is "deny", or traffic with an unzoned address when unzoned is "deny". Severity by the target zone security level: SL 3-4 high, SL 2 medium, else low.',
  params: [],
  create(ctx) {
    return {
      onFlowEnd({ summary: s, protocol, verdict: v }) {
        if (!v || v.decision !== 'denied') return;
        const k = s.key;
        const service = `${protocol} ${k.transport}/${k.server.port}`;
        const bytes = s.c2s.bytes + s.s2c.bytes;
        const evidence: DetectionEvidence[] = [flowEvidence(ctx.source, s.id, s.firstFrame, s.firstTs, `${k.client.ip}:${k.client.port} -> ${endpointText(k.server.ip, k.server.port)} ${protocol}, ${bytes} bytes`)];
        for (const c of v.nearMisses.slice(0, 3)) evidence.push({ kind: 'policy', ref: `policy#${c.pointer}`, detail: `conduit "${c.name}" ${c.from} -> ${c.to}` });
        ctx.emit({
          severity: severity(v),
          dedupSuffix: `${v.from}>${v.to}:${k.transport}/${k.server.port}:${k.server.ip}`,
          deviceIp: k.client.ip,
          peerIp: k.server.ip,
          ts: s.firstTs,
          frame: s.firstFrame,

          evidence,
          describe: () => ({
            title: `Zone ${v.from} -> ${v.to}: ${service} from ${deviceLabel(ctx.topology, k.client.ip)} to ${k.server.ip} not allowed`,
            explanation: `${k.client.ip} (zone "${v.from}"${v.fromZone?.securityLevel === undefined ? '' : `, SL ${v.fromZone.securityLevel}`}) opened ${service} to ${endpointText(k.server.ip, k.server.port)} (zone "${v.to}"${v.toZone?.securityLevel === undefined ? '' : `, SL ${v.toZone.securityLevel}`}). ${why(v, service)}`,
            facts: { fromZone: v.from, toZone: v.to, reason: v.reason, protocol, service: `${k.transport}/${k.server.port}`, bytes, fromSecurityLevel: v.fromZone?.securityLevel ?? null, toSecurityLevel: v.toZone?.securityLevel ?? null },
          }),
        });
      },
    };
  },
};
