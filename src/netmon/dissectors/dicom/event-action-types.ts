/**
 * @module Names for N-EVENT-REPORT Event Type IDs and N-ACTION Action Type IDs. Their meaning depends on
 * the SOP class, so the tables are keyed by it; unknown pairs stay unnamed rather than being guessed.
 */

const STORAGE_COMMITMENT_PUSH = '1.2.840.10008.1.20.1';

/** PS3.4 J.3.2 (N-ACTION) */
const ACTIONS: ReadonlyMap<string, ReadonlyMap<number, string>> = new Map([
  [STORAGE_COMMITMENT_PUSH, new Map([[1, 'Request Storage Commitment']])],
]);

/** PS3.4 J.3.3 (N-EVENT-REPORT) */
const EVENTS: ReadonlyMap<string, ReadonlyMap<number, string>> = new Map([
  [
    STORAGE_COMMITMENT_PUSH,
    new Map([
      [1, 'Storage Commitment Request Successful'],
      [2, 'Storage Commitment Request Complete - Failures Exist'],
    ]),
  ],
]);

export function actionTypeName(sopClassUid: string | undefined, actionTypeId: number): string | undefined {
  return sopClassUid === undefined ? undefined : ACTIONS.get(sopClassUid)?.get(actionTypeId);
}

export function eventTypeName(sopClassUid: string | undefined, eventTypeId: number): string | undefined {
  return sopClassUid === undefined ? undefined : EVENTS.get(sopClassUid)?.get(eventTypeId);
}
