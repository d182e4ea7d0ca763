/**
 * @module What `careguard netmon extract` does when it runs (netmon-extract.ts registers it): plans the
 * extraction (refusals before anything is written), writes the file through a private temporary
 * file renamed at the end (a failed extraction leaves no partial pcap), or to stdout when it is not
 * a terminal, and prints a one-line summary on stderr. Exit 0, 1 when frames asked for are not in
 * the capture, 2 on error.
 */
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DomainError } from '../../core/index.js';
import { formatRanges, localCaptureParts, prepareExtraction, selectionFromText, type CapturePart, type Extraction } from '../../netmon/extract/index.js';
import { EXIT, failWithDomainError, type CliContext, type CliIO } from '../context.js';
import type { ExtractFlags } from './netmon-extract.js';

export async function extractPackets(ctx: CliContext<unknown>, file: string, flags: ExtractFlags): Promise<void> {
  try {
    const selection = selectionFromText(flags);
    if (flags.out === '-' && ctx.io.isTTY) {
      throw new DomainError('netmon.stdout_is_terminal', '--out - writes the pcap to stdout, but stdout is a terminal: give --out FILE.pcap, or pipe it (--out - | wireshark -k -i -)');
    }
    const parts = await localCaptureParts(file);
    if (flags.out !== '-') await refuseOverwritingInput(flags.out, parts);
    const extraction = await prepareExtraction(parts, selection, { name: file });
    if (flags.out === '-') await toStdout(ctx.io, extraction);
    else await toFile(flags.out, extraction);
    const { summary } = extraction;
    const missing = summary.framesNotFound;
    ctx.io.stderr.write(
      `wrote ${summary.packets} packet${summary.packets === 1 ? '' : 's'} (${summary.bytes} bytes, ${summary.format}) to ${flags.out === '-' ? 'stdout' : flags.out}` +
        (missing.length > 0 ? `; frames not found: ${formatRanges(missing.slice(0, 50))}${missing.length > 50 ? ',...' : ''}` : '') +
        (summary.faults.length > 0 ? `; ${summary.faults.length} file(s) not read to the end: ${summary.faults[0]!.message}` : '') +
        '\n',
    );
    process.exitCode = missing.length > 0 ? EXIT.findings : EXIT.ok;
  } catch (e) {
    failWithDomainError(ctx.io, e);
  }
}

/** Writing over a file being read would destroy the evidence it holds. */
async function refuseOverwritingInput(out: string, parts: readonly CapturePart[]): Promise<void> {
  const target = await stat(out).catch(() => undefined);
  if (target === undefined) return;
  for (const p of parts) {
    const s = await stat(p.name).catch(() => undefined);
    if (s !== undefined && s.dev === target.dev && s.ino === target.ino) {
      throw new DomainError('netmon.invalid_option', `--out ${out} is the capture file being read (${p.name}); write the packets elsewhere`, { location: { file: out } });
    }
  }
}

async function toFile(out: string, extraction: Extraction): Promise<void> {
  // an unguessable name created exclusively ('wx'): nothing planted there (a symlink, a file open to
  // others) can receive the packets
  const partial = `${out}.partial-${randomBytes(8).toString('hex')}`;
  try {
    // 0600: raw packets carry patient data
    await pipeline(Readable.from(extraction.chunks()), createWriteStream(partial, { mode: 0o600, flags: 'wx' }));
    await rename(partial, out);
  } catch (e) {
    await rm(partial, { force: true });
    if (e instanceof DomainError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code === undefined) throw e;
    throw new DomainError('netmon.output_failed', `${out} cannot be written: ${code}`, { status: 500, location: { file: out } });
  }
}

async function toStdout(io: CliIO, extraction: Extraction): Promise<void> {
  for await (const chunk of extraction.chunks()) {
    if (!io.stdout.write(chunk)) await once(io.stdout, 'drain');
  }
}
