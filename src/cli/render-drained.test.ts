import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { CliIO } from './context.js';
import { writeJsonDrained } from './render.js';

/** A reader slower than the writer: takes a chunk every few milliseconds, noting how much was queued. */
function slowReader(): { io: CliIO; text: () => string; maxQueued: () => number } {
  const parts: string[] = [];
  let max = 0;
  const stdout = new Writable({
    highWaterMark: 16 * 1024,
    write(chunk: Buffer, _enc, done) {
      parts.push(chunk.toString());
      setTimeout(done, 2);
    },
  });
  const write = stdout.write.bind(stdout);
  stdout.write = ((chunk: string) => {
    const ok = write(chunk);
    max = Math.max(max, stdout.writableLength);
    return ok;
  }) as typeof stdout.write;
  return { io: { stdout, stderr: new Writable({ write: (_c, _e, d) => d() }), isTTY: false }, text: () => parts.join(''), maxQueued: () => max };
}

describe('writeJsonDrained', () => {
  it('writes what JSON.stringify(value, null, 2) writes, waiting for a slow reader instead of queueing it all', async () => {
    const report = { capture: { name: 'big.pcap', packets: 1_026_901 }, devices: Array.from({ length: 4000 }, (_, i) => ({ key: `ip:10.0.${i >> 8}.${i & 255}`, name: `device "${i}"\n`, ports: [104, 2575, i] })) };
    const r = slowReader();
    await writeJsonDrained(r.io, report);
    await new Promise<void>((resolve) => r.io.stdout.end(() => resolve()));
    const expected = `${JSON.stringify(report, null, 2)}\n`;
    expect(r.text()).toBe(expected);
    // at most about one 64 KB chunk beyond the stream's own buffer, not the whole text
    expect(expected.length).toBeGreaterThan(500_000);
    expect(r.maxQueued()).toBeLessThan(16 * 1024 + 70_000);
  });

  it('prints undefined as JSON.stringify leaves it, and a small value in one write', async () => {
    const r = slowReader();
    await writeJsonDrained(r.io, undefined);
    await writeJsonDrained(r.io, { a: [1, 2] });
    await new Promise<void>((resolve) => r.io.stdout.end(() => resolve()));
    expect(r.text()).toBe(`undefined\n${JSON.stringify({ a: [1, 2] }, null, 2)}\n`);
  });
});
