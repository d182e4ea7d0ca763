/**
 * @module Options shared by the `netmon` commands when they run: what a path is (capture, Zeek log,
 * directory), --follow/--seconds checks, and the detection flags (--policy, --learn-seconds,
 * --baseline, --save-baseline) read and validated before any capture is.
 */
import { readFile, stat, writeFile } from 'node:fs/promises';
import { DomainError } from '../../core/index.js';
import { baselineFromJson, baselineToJson, parseJsonText } from '../../netmon/baseline/index.js';
import { parsePolicyText, type DetectionEngine } from '../../netmon/detect/index.js';
import { sniffFlowLogFile, type DetectionOptions } from '../../netmon/index.js';
import type { NetmonFlags } from './netmon-flags.js';

/** Zeek conn.log files are sniffed; stdin cannot be, so `--format zeek` says so. A directory holds captures. */
export async function isFlowLog(file: string, flags: NetmonFlags, directory: boolean): Promise<boolean> {
  if (flags.format !== undefined && flags.format !== 'zeek' && flags.format !== 'pcap') throw new DomainError('netmon.invalid_option', `--format must be pcap or zeek, found "${flags.format}"`);
  if (directory) {
    if (flags.format === 'zeek') throw new DomainError('netmon.invalid_option', `${file} is a directory: its files are read as pcap/pcapng captures, not Zeek logs`);
    return false;
  }
  if (flags.format === 'zeek') return true;
  if (flags.format === 'pcap' || file === '-') return false;
  return (await sniffFlowLogFile(file)) !== undefined;
}

/**
 * `-` with stdin a terminal: nothing was piped in, and reading would wait for typed bytes that can
 * never be a capture. Refused at once with how to pipe one.
 */
export function refuseTerminalStdin(file: string, stdinIsTTY: boolean | undefined, command: 'report' | 'ingest'): void {
  if (file !== '-' || stdinIsTTY !== true) return;
  throw new DomainError('netmon.stdin_is_terminal', `"-" reads a capture from stdin, but stdin is a terminal: pipe one in (tcpdump -i eth1 -U -w - | careguard netmon ${command} -)`);
}

export const isDirectory = async (file: string) => file !== '-' && Boolean((await stat(file).catch(() => undefined))?.isDirectory());

/** --follow needs a directory; --seconds needs --follow. Returns the --seconds value. */
export function followFlags(file: string, flags: NetmonFlags, directory: boolean): number | undefined {
  if (flags.follow && !directory) throw new DomainError('netmon.invalid_option', `--follow reads a capture directory; ${file} is not one`, { location: { file } });
  if (flags.seconds === undefined) return undefined;
  if (!flags.follow) throw new DomainError('netmon.invalid_option', '--seconds applies only with --follow');
  const seconds = Number(flags.seconds);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new DomainError('netmon.invalid_option', `--seconds must be a positive number, found "${flags.seconds}"`);
  return seconds;
}

async function readText(file: string, what: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    throw new DomainError('netmon.file_not_found', `${what} ${file} cannot be read: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, { status: 404, location: { file } });
  }
}

/** Flags -> DetectionOptions; reading and validating the files happens here so errors exit 2 before the capture is read. */
export async function detectionOptions(flags: NetmonFlags): Promise<DetectionOptions> {
  const out: DetectionOptions = {};
  if (flags.policy !== undefined) out.policy = parsePolicyText(await readText(flags.policy, 'policy file'), { file: flags.policy });
  if (flags.learnSeconds !== undefined) {
    const n = Number(flags.learnSeconds);
    if (!/^\d+$/.test(flags.learnSeconds) || n > 366 * 86_400) throw new DomainError('netmon.invalid_option', `--learn-seconds must be a whole number of seconds from 0 to ${366 * 86_400}, found "${flags.learnSeconds}"`);
    out.learnSeconds = n;
  }
  if (flags.baseline !== undefined) out.baseline = baselineFromJson(parseJsonText(await readText(flags.baseline, 'baseline file'), 'netmon.baseline_syntax', 'baseline', flags.baseline), flags.baseline);
  return out;
}

export async function saveBaseline(file: string, engine: DetectionEngine): Promise<void> {
  try {
    await writeFile(file, JSON.stringify(baselineToJson(engine.baseline)) + '\n');
  } catch (e) {
    throw new DomainError('netmon.baseline_write_failed', `baseline file ${file} cannot be written: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, { status: 500, location: { file } });
  }
}

/** High and critical findings and detections make the exit code 1. */
export const isSerious = (s: string | undefined): boolean => s === 'high' || s === 'critical';
