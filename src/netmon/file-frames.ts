/**
 * @module Frame numbers of a read over several capture files (a followed rotating capture) run on
 * from file to file, so each is unique within the run. An analyst checking an alert opens one file:
 * evidence references name that file and the frame's number in it. FileFrames remembers the first
 * frame of each file read (the most recent `max` of them) and rewrites a reference to a run-wide
 * frame into one to the file that holds it.
 */

/** files remembered: at a file every 5 minutes, two weeks of rotation (older evidence keeps run-wide frames) */
const DEFAULT_MAX_FILES = 4096;

export class FileFrames {
  private readonly paths: string[] = [];
  private readonly firsts: number[] = [];

  constructor(private readonly max = DEFAULT_MAX_FILES) {}

  /** a file begins at run-wide frame `firstFrame` (files come in frame order) */
  add(path: string, firstFrame: number): void {
    this.paths.push(path);
    this.firsts.push(firstFrame);
    if (this.paths.length > this.max) {
      this.paths.shift();
      this.firsts.shift();
    }
  }

  /** the file holding run-wide frame `frame` and its number there, undefined if before every file remembered */
  locate(frame: number): { path: string; frame: number } | undefined {
    // the last file beginning at or before the frame (a file without packets begins where the next does)
    let lo = 0;
    let hi = this.firsts.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if ((this.firsts[mid] as number) <= frame) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (found < 0) return undefined;
    return { path: this.paths[found] as string, frame: frame - (this.firsts[found] as number) + 1 };
  }

  /** `ref` ("<source>#frame=<run-wide frame>[&...]") naming the file and the frame in it instead; other refs unchanged */
  relocate(ref: string, frame: number): string {
    const head = /^[^#]*#frame=\d+/.exec(ref);
    const at = head === null ? undefined : this.locate(frame);
    if (head === null || at === undefined) return ref;
    return `${at.path}#frame=${at.frame}${ref.slice(head[0].length)}`;
  }
}
