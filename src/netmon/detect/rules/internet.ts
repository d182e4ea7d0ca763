/**
 * @module `exposure.internet`: a clinical device exchanging traffic with the internet. Outbound: the
 * device opens a flow to a global address; inbound (worse: the device is reachable from outside): a
 * global address opens a flow to it. "The internet" is global unicast space (IPv4 and IPv6, RFC 6890
 * special blocks excluded) that no non-external zone or device map entry claims, or a zone marked
 * external. Criticality comes from the device map (set, or its category's default); a device of
 * unknown criticality gets a low detection unless the policy says `internet.unknownCriticality:
 * "ignore"`; a non-clinical one none. Destinations in `internet.allowedDestinations` are expected.
 * Judged at flow start: one packet to the outside is enough to know.
 */
import type { Criticality } from '../../../inventory/index.js';
import type { Severity } from '../../model.js';
import { endpointText, flowEvidence, type DetectionRule } from '../model.js';
import { criticalityText, deviceLabel } from './support.js';

function severity(c: Criticality | undefined, inbound: boolean): Severity | undefined {
  if (c === 'non-clinical') return undefined;
  if (c === undefined) return inbound ? 'medium' : 'low';
  if (c === 'life-sustaining' || c === 'life-supporting') return inbound ? 'critical' : 'high';
  return inbound ? 'high' : 'medium';
}

export const internetRule: DetectionRule = {
  id: 'exposure.internet',
  version: '1.0.0',
  category: 'exposure',
  title: 'Clinical device talks to the internet',
  description:
    'A device whose criticality is clinical (life-sustaining, life-supporting, diagnostic, therapeutic) opens a flow to an internet address, or is reached from one. Devices of unknown criticality raise a low detection (inbound: medium); non-clinical ones none.',
  params: [],
  create(ctx) {
    const policy = ctx.topology.policy;
    return {
      onFlowStart(e) {
        const k = e.key;
        const client = ctx.topology.info(k.client.ip);
        const server = ctx.topology.info(k.server.ip);
        let device: typeof client;
        let remote: string;
        let inbound: boolean;
        if (client.internal && server.internet) {
          if (ctx.topology.inAny(k.server.ip, policy.internet.allowedDestinations)) return;
          [device, remote, inbound] = [client, k.server.ip, false];
        } else if (server.internal && client.internet) {
          [device, remote, inbound] = [server, k.client.ip, true];
        } else return;
        if (device.criticality === undefined && policy.internet.unknownCriticality === 'ignore') return;
        const sev = severity(device.criticality, inbound);
        if (sev === undefined) return;
        const service = `${k.transport}/${k.server.port}`;
        const who = deviceLabel(ctx.topology, device.ip);
        ctx.emit({
          severity: sev,
          dedupSuffix: `${inbound ? 'inbound' : 'outbound'}:${service}`,
          deviceIp: device.ip,
          peerIp: remote,
          ts: e.ts,
          frame: e.frame,
          evidence: [flowEvidence(ctx.source, e.flowId, e.frame, e.ts, `${k.client.ip}:${k.client.port} -> ${endpointText(k.server.ip, k.server.port)}`)],
          describe: () => ({
            title: inbound ? `${who} reached from the internet (${remote}, ${service})` : `${who} connects to the internet (${endpointText(remote, k.server.port)})`,
            explanation:
              `${device.ip} (${criticalityText(device.criticality)}${device.device?.category ? `, ${device.device.category}` : ''}) ` +
              (inbound ? `accepted a ${service} flow opened by ${remote}, a global internet address: the device is reachable from outside.` : `opened a ${service} flow to ${remote}, a global internet address outside every internal zone.`) +
              (device.criticality === undefined ? ' Add the device to the policy device map with its criticality to grade this properly.' : ''),
            facts: { direction: inbound ? 'inbound' : 'outbound', remote, service, criticality: device.criticality ?? null, remoteZone: (inbound ? client : server).zone?.name ?? null },
          }),
        });
      },
    };
  },
};
