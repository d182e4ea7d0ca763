/**
 * @module Which status table a response uses when its SOP class belongs to a service whose statuses differ
 * from the plain C-STORE / Q/R / general ones. The SOP class is the response's own Affected SOP Class UID or,
 * failing that, the presentation context's abstract syntax, so meta SOP classes (print) and every SOP class
 * of a service (the five UPS classes) are listed too. Unlisted pairs fall back to the per-command default.
 */

import type { StatusTable } from './status-rows.js';

type ByCommand = ReadonlyMap<string, StatusTable>;
const commands = (tables: Readonly<Record<string, StatusTable>>): ByCommand => new Map(Object.entries(tables));

/** K.4-1: worklist C-FIND, and the services that reuse it ("substitute ... for Worklist") or repeat it (V.4-1) */
const WORKLIST_STYLE_FIND = commands({ 'C-FIND-RSP': 'worklist-find' });
// one table for the three commands: H.4's tables never give a code two meanings
const PRINT = commands({ 'N-CREATE-RSP': 'print', 'N-SET-RSP': 'print', 'N-ACTION-RSP': 'print' });
const UPS = commands({
  'N-ACTION-RSP': 'ups-n-action',
  'N-CREATE-RSP': 'ups-n-create',
  'N-SET-RSP': 'ups-n-set',
  'N-GET-RSP': 'ups-n-get',
  'C-FIND-RSP': 'worklist-find', // CC.2.8-2 repeats K.4-1
});

const P = '1.2.840.10008.5.1.1.';
const Q = '1.2.840.10008.5.1.4.';

export type ServiceTables = readonly (readonly [ByCommand, readonly string[]])[];

const SERVICES: ServiceTables = [
  [
    WORKLIST_STYLE_FIND,
    [
      Q + '31', // Modality Worklist
      Q + '38.2', // Hanging Protocol Information Model - FIND (U.4.1)
      Q + '39.2', // Color Palette Information Model - FIND (X.4.1)
      Q + '43.2', // Generic Implant Template Information Model - FIND (BB.4.1)
      Q + '44.2', // Implant Assembly Template Information Model - FIND
      Q + '45.2', // Implant Template Group Information Model - FIND
      Q + '20.1', // Defined Procedure Protocol Information Model - FIND (HH.4.1)
      Q + '1.1.200.4', // Protocol Approval Information Model - FIND (II.4.1)
      Q + '41', // Product Characteristics Query (V.4-1)
      Q + '42', // Substance Approval Query (V.4-1)
    ],
  ],
  [
    PRINT,
    [
      P + '1', // Basic Film Session
      P + '2', // Basic Film Box
      P + '4', // Basic Grayscale Image Box
      P + '4.1', // Basic Color Image Box
      P + '9', // Basic Grayscale Print Management Meta
      P + '14', // Print Job
      P + '15', // Basic Annotation Box
      P + '16', // Printer
      P + '16.376', // Printer Configuration Retrieval
      P + '18', // Basic Color Print Management Meta
      P + '23', // Presentation LUT
    ],
  ],
  [UPS, [Q + '34.6.1', Q + '34.6.2', Q + '34.6.3', Q + '34.6.4', Q + '34.6.5']], // Push, Watch, Pull, Event, Query
  [commands({ 'C-FIND-RSP': 'relevant-patient-find' }), [Q + '37.1', Q + '37.2', Q + '37.3']], // General, Breast Imaging, Cardiac
  [
    commands({ 'C-STORE-RSP': 'non-patient-storage' }),
    [
      Q + '38.1', // Hanging Protocol Storage
      Q + '39.1', // Color Palette Storage
      Q + '43.1', // Generic Implant Template Storage
      Q + '44.1', // Implant Assembly Template Storage
      Q + '45.1', // Implant Template Group Storage
      Q + '1.1.200.1', // CT Defined Procedure Protocol Storage
      Q + '1.1.200.3', // Protocol Approval Storage
      Q + '1.1.200.7', // XA Defined Procedure Protocol Storage
      Q + '1.1.201.1', // Inventory Storage
    ],
  ],
  [commands({ 'N-CREATE-RSP': 'media-creation', 'N-ACTION-RSP': 'media-creation' }), [P + '33']], // Media Creation Management
  [commands({ 'N-SET-RSP': 'mpps-n-set' }), ['1.2.840.10008.3.1.2.3.3']], // Modality Performed Procedure Step
  [commands({ 'C-MOVE-RSP': 'composite-root-move' }), [Q + '1.2.4.2']], // Composite Instance Root Retrieve - MOVE
  [commands({ 'C-GET-RSP': 'composite-root-get' }), [Q + '1.2.4.3']], // Composite Instance Root Retrieve - GET
];

/** Index the services by SOP class; a class listed twice would silently take the later service's tables. */
export function indexBySopClass(services: ServiceTables): ReadonlyMap<string, ByCommand> {
  const index = new Map<string, ByCommand>();
  for (const [byCommand, uids] of services) {
    for (const uid of uids) {
      if (index.has(uid)) throw new Error(`status-services: SOP class ${uid} is listed for two services`);
      index.set(uid, byCommand);
    }
  }
  return index;
}

const BY_SOP_CLASS = indexBySopClass(SERVICES);

/** The service's own table for this response, or undefined when the plain per-command table applies. */
export function serviceStatusTable(command: string, sopClassUid: string | undefined): StatusTable | undefined {
  return sopClassUid === undefined ? undefined : BY_SOP_CLASS.get(sopClassUid)?.get(command);
}
