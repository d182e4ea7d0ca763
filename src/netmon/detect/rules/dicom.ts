/**
 * @module DICOM association rules.
 * `dicom.unknown-ae`: an association whose calling or called AE title is not in the policy's
 * `dicom.aeTitles`, or whose calling AE title is used from an address outside the hosts the policy
 * gives it. Judged once the answer is known (A-ASSOCIATE-AC/RJ; or unanswered when the association
 * ends or the input does): an SCP that accepts an unknown AE title is misconfigured (high), one that
 * rejects it did its job (low), no answer is medium.
 * `dicom.unexpected-destination`: a device sends an association request to a called AE title, address
 * and port that is neither in its baseline (routes accepted during the learning window) nor at a host
 * the policy lists for that AE title; a called AE title found at an address outside its policy hosts
 * is unexpected whatever the baseline says.
 */
import type { Micros, Observation, Severity } from '../../model.js';
import { routeKey } from '../../baseline/index.js';
import { endpointText, observationEvidence, type DetectionRule, type RuleContext } from '../model.js';
import type { AeTitleEntry } from '../policy.js';
import { PendingAssociations, type AssociationRequest } from './dicom-associations.js';
import { deviceLabel } from './support.js';

const text = (v: unknown): string | undefined => (typeof v === 'string' ? v.trim() : undefined);

export const unknownAeRule: DetectionRule = {
  id: 'dicom.unknown-ae',
  version: '1.0.0',
  category: 'dicom',
  title: 'DICOM association with an unknown AE title',
  description:
    'An association request whose calling or called AE title is not in the policy list dicom.aeTitles, or whose calling AE title comes from an address outside that entry\'s hosts. Accepted: high; unanswered: medium; rejected: low. Quiet without an AE title list.',
  params: [{ name: 'maxPendingAssociations', description: 'association requests awaiting their answer, held at once (least recent dropped beyond it)', default: 4096, min: 16, max: 1_000_000, integer: true }],
  create(ctx) {
    const list = ctx.topology.policy.dicom.aeTitles;
    const titles = new Map<string, AeTitleEntry>((list ?? []).map((e) => [e.title, e]));
    const pending = new PendingAssociations(ctx.params.maxPendingAssociations ?? 4096);

    const judge = (p: AssociationRequest, outcome: 'accepted' | 'rejected' | 'unanswered', answer?: Observation) => {
      const k = p.o.flow;
      if (!k) return;
      const sev: Severity = outcome === 'accepted' ? 'high' : outcome === 'rejected' ? 'low' : 'medium';
      const evidence = [observationEvidence(ctx.source, p.o, p.flowId, `A-ASSOCIATE-RQ ${p.callingAe} -> ${p.calledAe}`)];
      if (answer) evidence.push(observationEvidence(ctx.source, answer, p.flowId, outcome === 'accepted' ? 'A-ASSOCIATE-AC' : 'A-ASSOCIATE-RJ'));
      const server = endpointText(k.server.ip, k.server.port);
      const calling = titles.get(p.callingAe);
      const wrongHost = calling !== undefined && calling.hosts.length > 0 && !ctx.topology.inAny(k.client.ip, calling.hosts);
      if (!calling || wrongHost) {
        ctx.emit({
          severity: sev,
          dedupSuffix: `calling:${p.callingAe}`,
          deviceIp: k.client.ip,
          peerIp: k.server.ip,
          ts: p.o.ts,
          frame: p.o.frame,

          evidence,
          describe: () => ({
            title: `DICOM association from ${wrongHost ? 'unexpected host for' : 'unknown'} AE title "${p.callingAe}" (${deviceLabel(ctx.topology, k.client.ip)} -> ${server}, ${outcome})`,
            explanation: wrongHost
              ? `Calling AE title "${p.callingAe}" is allowed only from ${calling.hosts.map((h) => h.text).join(', ')}, but ${k.client.ip} used it (spoofed or moved device). The SCP at ${server} ${outcome === 'unanswered' ? 'did not answer' : outcome === 'accepted' ? 'accepted it' : 'rejected it'}.`
              : `Calling AE title "${p.callingAe}" is not in the policy's dicom.aeTitles. The SCP at ${server} ${outcome === 'unanswered' ? 'did not answer' : outcome === 'accepted' ? 'accepted the association: it does not restrict calling AE titles' : 'rejected it'}.`,
            facts: { role: 'calling', aeTitle: p.callingAe, calledAe: p.calledAe, outcome, reason: wrongHost ? 'unexpected-host' : 'not-in-policy' },
          }),
        });
      }
      if (!titles.has(p.calledAe)) {
        ctx.emit({
          severity: sev,
          dedupSuffix: `called:${p.calledAe}`,
          deviceIp: k.server.ip,
          peerIp: k.client.ip,
          ts: p.o.ts,
          frame: p.o.frame,

          evidence,
          describe: () => ({
            title: `DICOM association to unknown AE title "${p.calledAe}" at ${server} (${outcome})`,
            explanation: `${p.callingAe} at ${k.client.ip} asked for called AE title "${p.calledAe}", which is not in the policy's dicom.aeTitles. ${outcome === 'accepted' ? `The SCP at ${server} accepted it: it answers to any called AE title (check its configuration).` : outcome === 'rejected' ? `The SCP at ${server} rejected it.` : `The SCP at ${server} did not answer.`}`,
            facts: { role: 'called', aeTitle: p.calledAe, callingAe: p.callingAe, outcome, reason: 'not-in-policy' },
          }),
        });
      }
    };

    return {
      onObservation({ observation: o, flowId }) {
        if (!list) return;
        const p = pending.observe(o, flowId);
        if (!p) return;
        const outcome = o.kind === 'dicom.associate-ac' ? 'accepted' : o.kind === 'dicom.associate-rj' ? 'rejected' : 'unanswered';
        judge(p, outcome, outcome === 'unanswered' ? undefined : o);
      },
      finish() {
        for (const p of pending.drain()) judge(p, 'unanswered');
      },
      stats: () => ({ pendingAssociations: pending.size, pendingEvicted: pending.evicted, aeTitlesInPolicy: titles.size }),
    };
  },
};

function judgeDestination(ctx: RuleContext, o: Observation, flowId: number | undefined, callingAe: string, calledAe: string, ts: Micros): void {
  const k = o.flow;
  if (!k || !ctx.topology.info(k.client.ip).internal) return;
  const entry = ctx.topology.policy.dicom.aeTitles?.find((e) => e.title === calledAe);
  const server = endpointText(k.server.ip, k.server.port);
  let reason: 'policy-hosts' | 'baseline' | undefined;
  let why: string;
  if (entry && entry.hosts.length > 0) {
    if (ctx.topology.inAny(k.server.ip, entry.hosts)) return;
    reason = 'policy-hosts';
    why = `The policy places AE title "${calledAe}" at ${entry.hosts.map((h) => h.text).join(', ')}, not at ${k.server.ip}.`;
  } else {
    const b = ctx.baseline;
    const d = b.get(k.client.ip);
    if (b.isLearning(ts) || !d || !b.isBaselined(d) || d.routesDropped > 0 || d.dicomRoutes.has(routeKey(calledAe, k.server.ip, k.server.port))) return;
    reason = 'baseline';
    const known = [...d.dicomRoutes.values()].map((r) => `${r.calledAe}@${endpointText(r.server, r.port)}`);
    why = `During the ${b.options.learnSeconds} s learning window ${k.client.ip} sent associations to ${known.join(', ') || 'no DICOM destination'}.`;
  }
  ctx.emit({
    severity: reason === 'policy-hosts' ? 'high' : 'medium',
    dedupSuffix: `${calledAe}@${server}`,
    deviceIp: k.client.ip,
    peerIp: k.server.ip,

    ts,
    frame: o.frame,
    evidence: [observationEvidence(ctx.source, o, flowId, `A-ASSOCIATE-RQ ${callingAe} -> ${calledAe}@${server}`)],
    describe: () => ({
      title: `DICOM association from ${deviceLabel(ctx.topology, k.client.ip)} ("${callingAe}") to unexpected destination "${calledAe}" at ${server}`,
      explanation: `${why} Images or worklists sent to an unexpected destination may leave the clinical workflow (misrouting, exfiltration, a rogue SCP).`,
      facts: { callingAe, calledAe, destination: server, reason },
    }),
  });
}

export const unexpectedDestinationRule: DetectionRule = {
  id: 'dicom.unexpected-destination',
  version: '1.0.0',
  category: 'dicom',
  title: 'DICOM association to an unexpected destination',
  description:
    'A device requests an association with a called AE title, address and port not in its baseline and not at a host the policy lists for that AE title (medium); or with an AE title found at an address outside its policy hosts (high).',
  params: [],
  create(ctx) {
    return {
      onObservation({ observation: o, flowId }) {
        if (o.kind !== 'dicom.associate-rq') return;
        const callingAe = text(o.fields.callingAe);
        const calledAe = text(o.fields.calledAe);
        if (callingAe !== undefined && calledAe !== undefined) judgeDestination(ctx, o, flowId, callingAe, calledAe, o.ts);
      },
    };
  },
};
