/**
 * @module A selection from the text the CLI flags and the API query carry (frames "17,20-25", a flow
 * "tcp A:p B:q", an ISO time window), checked once for both, and its description for summaries
 * and the audit log.
 */
import { DomainError } from '../../core/index.js';
import { formatFlowSelector, parseFlowSelector } from './flow-selector.js';
import { formatRanges, parseFrameList } from './frame-ranges.js';
import type { PacketSelection } from './model.js';
import { checkWindow, isoToMicros } from './time-window.js';
import { isoMicros } from '../observation-sample.js';

export interface SelectionText {
  frames?: string;
  flow?: string;
  from?: string;
  to?: string;
}

export function selectionFromText(t: SelectionText): PacketSelection {
  if (t.frames === undefined && t.flow === undefined) {
    throw new DomainError('netmon.invalid_selection', 'name the packets to extract: frames (17,20-25) or a flow ("tcp 10.0.0.5:40000 10.0.0.9:104")', { status: 400 });
  }
  const from = t.from === undefined ? undefined : isoToMicros(t.from, 'from');
  const to = t.to === undefined ? undefined : isoToMicros(t.to, 'to');
  checkWindow(from, to);
  return {
    ...(t.frames !== undefined ? { frames: parseFrameList(t.frames) } : {}),
    ...(t.flow !== undefined ? { flow: parseFlowSelector(t.flow) } : {}),
    ...(from !== undefined ? { from } : {}),
    ...(to !== undefined ? { to } : {}),
  };
}

/** The selection as plain values (frames as text, times as ISO with microseconds), for the audit log. */
export function describeSelection(sel: PacketSelection): Record<string, string> {
  return {
    ...(sel.frames ? { frames: formatRanges(sel.frames) } : {}),
    ...(sel.flow ? { flow: formatFlowSelector(sel.flow) } : {}),
    ...(sel.from !== undefined ? { from: isoMicros(sel.from) } : {}),
    ...(sel.to !== undefined ? { to: isoMicros(sel.to) } : {}),
  };
}
