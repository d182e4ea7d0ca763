/**
 * @module Remembers where the device list was (filters, sort, page cursors) so "back to Devices" from
 * a device page returns there rather than to an unfiltered first page.
 */

let lastHref = '/devices';
let lastPaging: { key: string; cursors: (string | undefined)[] } | undefined;

export function rememberList(href: string, paging: { key: string; cursors: (string | undefined)[] }): void {
  lastHref = href;
  lastPaging = paging;
}

export const lastListHref = (): string => lastHref;

/** the cursor stack for `key`, if the list was last left on that filter */
export function rememberedCursors(key: string): (string | undefined)[] {
  return lastPaging?.key === key ? lastPaging.cursors : [];
}
