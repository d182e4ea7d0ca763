/**
 * @module Turns parsed association PDUs and DIMSE command sets into observation fields and wire findings:
 * presentation contexts with SOP class names, modality and device hints, transfer syntax names, software
 * fingerprint, the user-identity findings (cleartext username/passcode or bearer tokens), and DIMSE
 * commands with status (category, and the service's name and meaning for it), named event/action types and
 * sub-operation counts.
 */
import type { WireFinding } from '../../model.js';
import type { AssociateBody, RqPresentationContext, UserInformation } from './associate.js';
import { priorityName, statusCategory, type DimseCommand } from './dimse.js';
import { actionTypeName, eventTypeName } from './event-action-types.js';
import { contextResultName, userIdentityTypeName } from './names.js';
import { sopClassInfo } from './sop-classes.js';
import { describeStatus } from './status-names.js';
import { DICOM_APPLICATION_CONTEXT, softwareFingerprint, transferSyntaxName } from './uids.js';

const MAX_HINTED_MODALITIES = 3;
const MULTI_MODALITY_HINT = 'multi-modality sender (workstation, PACS or router)';

function userInfoFields(u: UserInformation): Record<string, unknown> {
  const software = softwareFingerprint(u.implementationVersionName, u.implementationClassUid);
  return {
    maxPduLength: u.maxPduLength ?? null,
    implementationClassUid: u.implementationClassUid ?? null,
    implementationVersionName: u.implementationVersionName ?? null,
    software: software ?? null,
    asyncOps: u.asyncOps ?? null,
    roleSelections: u.roles,
    extendedNegotiations: u.extendedNegotiations,
  };
}

export function associateRqFields(a: AssociateBody): { fields: Record<string, unknown>; findings: WireFinding[] } {
  const modalities = new Set<string>();
  const deviceHints = new Set<string>();
  const contexts = a.rqContexts.map((c) => {
    const info = c.abstractSyntax === undefined ? undefined : sopClassInfo(c.abstractSyntax);
    if (info?.modality) modalities.add(info.modality);
    if (info?.deviceHint) deviceHints.add(info.deviceHint);
    return {
      id: c.id,
      abstractSyntax: c.abstractSyntax ?? null,
      abstractSyntaxName: info?.name ?? null,
      category: info?.category ?? null,
      modality: info?.modality ?? null,
      transferSyntaxes: c.transferSyntaxes.map((uid) => ({ uid, name: transferSyntaxName(uid) ?? null })),
    };
  });
  const id = a.userInfo.userIdentity;
  const findings: WireFinding[] = [];
  if (id) {
    if (id.type === 2) {
      findings.push({
        code: 'dicom.cleartext-credentials',
        severity: 'high',
        message: `DICOM association sends username "${id.username ?? ''}" and a passcode (${id.secondaryLength} bytes) without TLS`,
      });
    } else if (id.type >= 3 && id.type <= 5) {
      findings.push({
        code: 'dicom.cleartext-token',
        severity: 'high',
        message: `DICOM association sends a ${userIdentityTypeName(id.type)} identity token (${id.primaryLength} bytes) without TLS; it can be replayed`,
      });
    } else if (id.type === 1) {
      findings.push({ code: 'dicom.cleartext-username', severity: 'low', message: `DICOM association sends username "${id.username ?? ''}" without TLS` });
    }
  }
  return {
    fields: {
      callingAe: a.callingAe,
      calledAe: a.calledAe,
      protocolVersion: a.protocolVersion,
      applicationContext: a.applicationContext ?? null,
      applicationContextIsDicom: a.applicationContext === DICOM_APPLICATION_CONTEXT,
      presentationContexts: contexts,
      presentationContextCount: contexts.length + a.droppedContexts,
      modalities: [...modalities].sort(),
      // a sender proposing many modalities (storescu, a PACS router) says nothing about its own device type
      deviceHints: modalities.size > MAX_HINTED_MODALITIES ? [MULTI_MODALITY_HINT] : [...deviceHints].sort(),
      ...userInfoFields(a.userInfo),
      userIdentity: id
        ? {
            type: id.type,
            typeName: userIdentityTypeName(id.type),
            username: id.username ?? null,
            passcodePresent: id.type === 2 && id.secondaryLength > 0,
            passcodeLength: id.type === 2 ? id.secondaryLength : 0,
            tokenLength: id.type >= 3 ? id.primaryLength : 0,
            positiveResponseRequested: id.positiveResponseRequested,
          }
        : null,
    },
    findings,
  };
}

export function associateAcFields(a: AssociateBody, proposed: ReadonlyMap<number, RqPresentationContext>): Record<string, unknown> {
  let accepted = 0;
  const contexts = a.acContexts.map((c) => {
    const abstractSyntax = proposed.get(c.id)?.abstractSyntax;
    const info = abstractSyntax === undefined ? undefined : sopClassInfo(abstractSyntax);
    if (c.result === 0) accepted++;
    return {
      id: c.id,
      result: c.result,
      resultName: contextResultName(c.result),
      abstractSyntax: abstractSyntax ?? null,
      abstractSyntaxName: info?.name ?? null,
      transferSyntax: c.result === 0 ? (c.transferSyntax ?? null) : null,
      transferSyntaxName: c.result === 0 && c.transferSyntax ? (transferSyntaxName(c.transferSyntax) ?? null) : null,
    };
  });
  return {
    callingAe: a.callingAe,
    calledAe: a.calledAe,
    protocolVersion: a.protocolVersion,
    applicationContext: a.applicationContext ?? null,
    presentationContexts: contexts,
    acceptedContextCount: accepted,
    rejectedContextCount: contexts.length - accepted,
    ...userInfoFields(a.userInfo),
    userIdentityAccepted: a.userInfo.userIdentityResponseLength !== undefined,
    userIdentityResponseLength: a.userInfo.userIdentityResponseLength ?? 0,
  };
}

/** `sopClassUid` is the command's own or, failing that, the presentation context's abstract syntax */
export function dimseFields(c: DimseCommand, ctx: number, sopClassUid: string | undefined): Record<string, unknown> {
  const info = sopClassUid === undefined ? undefined : sopClassInfo(sopClassUid);
  const sub = c.subOperations;
  const described = c.status === undefined ? undefined : describeStatus(c.command, sopClassUid, c.status, c.errorId);
  return {
    command: c.command,
    commandField: c.commandField,
    presentationContextId: ctx,
    messageId: c.messageId ?? null,
    respondingTo: c.respondingTo ?? null,
    sopClassUid: sopClassUid ?? null,
    sopClassName: info?.name ?? null,
    modality: info?.modality ?? null,
    status: c.status ?? null,
    statusHex: c.status === undefined ? null : `0x${c.status.toString(16).padStart(4, '0')}`,
    statusCategory: c.status === undefined ? null : statusCategory(c.status),
    dataSetPresent: c.dataSetPresent ?? null,
    priority: c.priority ?? null,
    moveDestination: c.moveDestination ?? null,
    // added in 1.1.0
    priorityName: c.priority === undefined ? null : priorityName(c.priority),
    affectedSopInstanceUid: c.affectedSopInstanceUid ?? null,
    requestedSopInstanceUid: c.requestedSopInstanceUid ?? null,
    eventTypeId: c.eventTypeId ?? null,
    eventTypeName: c.eventTypeId === undefined ? null : (eventTypeName(sopClassUid, c.eventTypeId) ?? null),
    actionTypeId: c.actionTypeId ?? null,
    actionTypeName: c.actionTypeId === undefined ? null : (actionTypeName(sopClassUid, c.actionTypeId) ?? null),
    subOperations: sub
      ? { remaining: sub.remaining ?? null, completed: sub.completed ?? null, failed: sub.failed ?? null, warning: sub.warning ?? null }
      : null,
    moveOriginatorAe: c.moveOriginatorAe ?? null,
    moveOriginatorMessageId: c.moveOriginatorMessageId ?? null,
    errorComment: c.errorComment ?? null,
    errorId: c.errorId ?? null,
    // added in 1.2.0
    statusName: described?.name ?? null,
    statusMeaning: described?.meaning ?? null,
  };
}
