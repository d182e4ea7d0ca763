/**
 * @module Plain words for the server's capture-directory watch (pure): a headline for its state and
 * the rows the card lists, from GET /netmon/capture-watch.
 */
import type { CaptureWatchStatus } from '../../api/netmon.js';
import { formatCount, formatDateTime } from '../../lib/format.js';

type Enabled = Extract<CaptureWatchStatus, { enabled: true }>;

const fileName = (path: string): string => path.split(/[\\/]/).pop() || path;

/** One line: what the watch is doing now. */
export function watchHeadline(s: Enabled): string {
  switch (s.state) {
    case 'ingesting':
      return s.currentFile ? `Ingesting ${fileName(s.currentFile.path)}` : 'Ingesting';
    case 'watching':
      return 'Waiting for the next completed file';
    case 'error':
      return s.retryAt ? `Failing; retrying at ${formatDateTime(s.retryAt)}` : 'Failing';
    default:
      return 'Stopped';
  }
}

/** complete files waiting past which ingest is said to fall behind the capture */
export const BACKLOG_WARNING = 3;

/** 'bad' while the watch itself fails, 'warn' when files failed or ingest falls behind, else 'ok'. */
export function watchTone(s: Enabled): 'ok' | 'warn' | 'bad' {
  if (s.state === 'error' || s.state === 'stopped') return 'bad';
  return s.filesFailed > 0 || s.filesWaiting >= BACKLOG_WARNING ? 'warn' : 'ok';
}

const OUTCOME: Record<NonNullable<Enabled['lastFile']>['outcome'], string> = {
  ingested: 'ingested',
  skipped: 'already ingested, skipped',
  failed: 'not ingested',
};

/** The card's rows: directory, counts since the server started, the last file and the last error. */
export function watchRows(s: Enabled): [string, string][] {
  const rows: [string, string][] = [
    ['Directory', s.directory],
    ['Since', formatDateTime(s.startedAt)],
    ['Files', `${formatCount(s.filesIngested)} ingested · ${formatCount(s.filesSkipped)} skipped · ${formatCount(s.filesFailed)} failed`],
    ['Packets', formatCount(s.packetsIngested)],
    ['Waiting', s.filesWaiting === 0 ? 'none: ingest keeps up with the capture' : `${formatCount(s.filesWaiting)} complete ${s.filesWaiting === 1 ? 'file' : 'files'}${s.filesWaiting >= BACKLOG_WARNING ? ' (ingest falls behind: a ring buffer may overwrite files before they are read)' : ''}`],
  ];
  if (s.lastFile) rows.push(['Last file', `${fileName(s.lastFile.path)}: ${OUTCOME[s.lastFile.outcome]} at ${formatDateTime(s.lastFile.at)}`]);
  if (s.lastError) rows.push(['Last error', `${s.lastError.file ? `${fileName(s.lastError.file)}: ` : ''}${s.lastError.message} [${s.lastError.code}] at ${formatDateTime(s.lastError.at)}`]);
  return rows;
}
