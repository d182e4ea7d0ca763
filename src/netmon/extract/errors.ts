/**
 * @module The typed errors of an extraction, one place for their codes and statuses: the selection
 * is too large, matches nothing, the capture has no file to read again, or its file has changed.
 */
import { DomainError } from '../../core/index.js';
import type { ExtractLimits } from './model.js';

export function extractTooLarge(what: 'packets' | 'bytes', limits: ExtractLimits): DomainError {
  const limit =
    what === 'packets'
      ? `more than ${limits.maxPackets.toLocaleString('en-US')} packets, the most one extraction writes`
      : `more than ${limits.maxBytes.toLocaleString('en-US')} bytes of capture, the most one extraction writes`;
  return new DomainError('netmon.extract_too_large', `the selection holds ${limit}: narrow it (fewer frames, one flow, a time window)`, {
    status: 422,
    details: { limit: what, max: what === 'packets' ? limits.maxPackets : limits.maxBytes },
  });
}

export function nothingSelected(name: string, why: string): DomainError {
  return new DomainError('netmon.packets_not_found', `no packet of ${name} matches the selection${why}`, { status: 404 });
}

export function captureNoFile(id: string, why: string): DomainError {
  return new DomainError('netmon.capture_no_file', `capture ${id} has no capture file to read packets from: ${why}`, { status: 409, details: { id } });
}

/** The file is no longer what was ingested (or read a moment ago): its packets are not the capture's. */
export function captureFileChanged(path: string, why: string): DomainError {
  return new DomainError('netmon.capture_file_changed', `${path} ${why}; its packets are no longer those of the capture (a ring buffer overwrites its files)`, {
    status: 410,
    location: { file: path },
  });
}
