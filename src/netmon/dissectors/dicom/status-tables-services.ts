/**
 * @module Status tables of the PS3.4 services beyond storage and Query/Retrieve: Print Management (Annex H),
 * Unified Procedure Step (Annex CC), Relevant Patient Information Query (Annex Q), Non-Patient Object Storage
 * (Annex GG) and Media Creation Management (Annex S). Names are the standard's "Further Meaning" wording
 * (2024 editions, "Failed:" prefixes kept); codes the current standard has retired or never defined stay out.
 * Storage Commitment (J), Instance Availability Notification (R) and Display System (EE) define no service
 * specific statuses, and Substance Administration Query (V.4-1) and the composite object Q/R services (U, X,
 * BB, HH, II) repeat the worklist C-FIND table K.4-1, so none of them needs a table here.
 */

import { one, type Row } from './status-rows.js';

/**
 * PS3.4 H.4-4 (Film Session N-ACTION), H.4.1.2.1.2 (Film Session N-CREATE/N-SET), H.4.2.2.1.2-1 (Film Box
 * N-CREATE/N-SET), H.4-9 (Film Box N-ACTION), H.4.3.1.2.1.2-1 and H.4.3.2.2.1.2-1 (Image Box N-SET),
 * H.4.9.2.1.2-1 (Presentation LUT N-CREATE). No code means two things across these tables, so one table
 * serves them all. C604 (image position collision) is retired, the VOI LUT Box codes went with that class.
 */
export const PRINT: readonly Row[] = [
  one(0xb600, 'Memory allocation not supported', 'The film session was created, but the printer does not reserve the memory the SCU asked for (Memory Allocation (2000,0060)).'),
  one(0xb601, 'Film session printing (collation) is not supported', 'The films will print, but the printer does not collate the copies of the film session.'),
  one(0xb602, 'Film Session SOP Instance hierarchy does not contain Image Box SOP Instances (empty page)', 'The print was accepted, but the film session holds no images: it prints as an empty page.'),
  one(0xb603, 'Film Box SOP Instance hierarchy does not contain Image Box SOP Instances (empty page)', 'The film was accepted for printing, but it holds no images: it prints as an empty page.'),
  one(0xb604, 'Image size is larger than image box size, the image has been demagnified.', 'An image was larger than its image box; the printer shrank it to fit.'),
  one(0xb605, 'Requested Min Density or Max Density outside of printer\'s operating range. The printer will use its respective minimum or maximum density value instead.', 'The requested minimum or maximum film density is beyond what the printer can produce; it uses its own limit instead.'),
  one(0xb609, 'Image size is larger than the Image Box size. The Image has been cropped to fit.', 'An image was larger than its image box; the printer cut off its edges to fit.'),
  one(0xb60a, 'Image size or Combined Print Image size is larger than the Image Box size. Image or Combined Print Image has been decimated to fit.', 'An image (or the combined print image) was larger than its image box; the printer dropped pixels to fit.'),
  one(0xc600, 'Failed: Film Session SOP Instance hierarchy does not contain Film Box SOP Instances', 'The film session was not printed: it holds no films (no film box was created).'),
  one(0xc601, 'Failed: Unable to create Print Job SOP Instance; print queue is full', 'The film session was not printed: the printer\'s print queue is full.'),
  one(0xc602, 'Failed: Unable to create Print Job SOP Instance; print queue is full', 'The film was not printed: the printer\'s print queue is full.'),
  one(0xc603, 'Failed: Image size is larger than image box size', 'Refused: an image is larger than its image box and the printer will not shrink or crop it.'),
  one(0xc605, 'Failed: Insufficient memory in printer to store the image', 'The image was not stored: the printer has not enough memory for it.'),
  one(0xc613, 'Failed: Combined Print Image size is larger than the Image Box size', 'Refused: the combined print image is larger than its image box.'),
  one(0xc616, 'Failed: There is an existing Film Box that has not been printed and N-ACTION at the Film Session level is not supported. A new Film Box will not be created when a previous Film Box has not been printed.', 'No new film box was created: an earlier one is not printed yet, and the printer cannot print a whole film session.'),
];

const NOT_A_UPS = one(0xc307, 'Failed: Specified SOP Instance UID does not exist or is not a UPS Instance managed by this SCP', 'The SOP instance named is not a UPS (worklist item) this SCP manages, or does not exist.');
const MAY_NO_LONGER_BE_UPDATED = one(0xc300, 'Failed: The UPS may no longer be updated', 'Refused: the UPS is already COMPLETED or CANCELED and can no longer change.');
const WRONG_TRANSACTION_UID = one(0xc301, 'Failed: The correct Transaction UID was not provided', 'Refused: the request lacks the Transaction UID of the performer that claimed this UPS, or carries another one (usually a second system tried to take it over).');

/** PS3.4 CC.2.1-2 (Change UPS State), CC.2.2-2 (Request UPS Cancel), CC.2.3-3 (Subscribe/Unsubscribe) */
export const UPS_N_ACTION: readonly Row[] = [
  one(0xb301, 'Deletion Lock not granted.', 'The subscription was made, but without the deletion lock asked for: the SCP may delete the UPS once it is COMPLETED or CANCELED.'),
  one(0xb304, 'The UPS is already in the requested state of CANCELED', 'Nothing changed: the UPS was already CANCELED.'),
  one(0xb306, 'The UPS is already in the requested state of COMPLETED', 'Nothing changed: the UPS was already COMPLETED.'),
  MAY_NO_LONGER_BE_UPDATED,
  WRONG_TRANSACTION_UID,
  one(0xc302, 'Failed: The UPS is already IN PROGRESS', 'Refused: another performer has already started (claimed) this UPS.'),
  one(0xc303, 'Failed: The UPS may only become SCHEDULED via N-CREATE, not N-SET or N-ACTION', 'Refused: a UPS is SCHEDULED only when it is created; it cannot be moved back to that state.'),
  one(0xc304, 'Failed: The UPS has not met final state requirements for the requested state change', 'Refused: the UPS lacks attributes it must have before it may be COMPLETED or CANCELED.'),
  NOT_A_UPS,
  one(0xc308, 'Failed: Receiving AE-TITLE is Unknown to this SCP', 'Refused: the SCP does not know the AE title that is to receive the event reports (Receiving AE (0074,1234)).'),
  one(0xc310, 'Failed: The UPS is not yet in the "IN PROGRESS" state', 'Refused: nobody has started the UPS (it is not IN PROGRESS), so it cannot be completed or canceled this way.'),
  one(0xc311, 'Failed: The UPS is already COMPLETED', 'The cancel request was refused: the UPS is already COMPLETED.'),
  one(0xc312, 'Failed: The performer cannot be contacted', 'The cancel request was refused: the SCP cannot pass it on to the performer of the UPS.'),
  one(0xc313, 'Failed: Performer chooses not to cancel', 'The cancel request was refused: the performer chose to carry on with the UPS.'),
  one(0xc314, 'Failed: Specified action not appropriate for specified instance', 'Refused: the subscription action does not apply to the instance named.'),
  one(0xc315, 'Failed: SCP does not support Event Reports', 'Refused: the SCP sends no event reports, so it takes no subscriptions.'),
];

/** PS3.4 CC.2.5-4 */
export const UPS_N_CREATE: readonly Row[] = [
  one(0xb300, 'The UPS was created with modifications', 'The UPS (worklist item) was created, but the SCP changed some of its attributes.'),
  one(0xc309, 'Failed: The provided value of UPS State was not "SCHEDULED".', 'Refused: a new UPS must be created in the SCHEDULED state.'),
];

/** PS3.4 CC.2.6-1: C310 is worded differently from the N-ACTION table */
export const UPS_N_SET: readonly Row[] = [
  one(0x0001, 'Requested optional Attributes are not supported.', 'The update was made, but the SCP does not support some optional attributes of the request.'),
  one(0xb305, 'Coerced invalid values to valid values', 'The update was made, but the SCP replaced some invalid values with valid ones.'),
  MAY_NO_LONGER_BE_UPDATED,
  WRONG_TRANSACTION_UID,
  NOT_A_UPS,
  one(0xc310, 'Failed: The UPS is not in the "IN PROGRESS" state', 'Refused: the update was made as the performer of the UPS, but nobody has started it (it is not IN PROGRESS).'),
];

/** PS3.4 CC.2.7-1 (its 0001 warning is the N-GET row every N-GET shares) */
export const UPS_N_GET: readonly Row[] = [NOT_A_UPS];

/** PS3.4 Q.2-1: C000 is a single code here, not a range, and there is no FF01 */
export const RELEVANT_PATIENT_FIND: readonly Row[] = [
  one(0x0000, 'Matching is complete - No final Identifier is supplied.', 'The query finished; the match, if there was one, came in the pending response before this one.'),
  one(0xa700, 'Refused: Out of resources', 'The SCP refused the query for lack of resources.'),
  one(0xa900, 'Error: Data Set does not match SOP Class', 'The query identifier does not match the information model of the SOP class.'),
  one(0xc000, 'Failed: Unable to process', 'The SCP could not process the query.'),
  one(0xc100, 'Failed: More than one match found', 'The query matched more than one patient; the SCP answers for at most one, so it returned none.'),
  one(0xc200, 'Failed: Unable to support requested template', 'The SCP does not support the template the query asked for (Content Template Sequence (0040,A504)).'),
  one(0xfe00, 'Matching terminated due to Cancel request', 'The query was stopped after the SCU sent C-CANCEL.'),
  one(0xff00, 'Current Match is supplied.', 'This response carries the relevant information of the matching patient.'),
];

/** PS3.4 GG.4-1: single codes, not the A7xx/A9xx/Cxxx ranges of C-STORE, and no warnings */
export const NON_PATIENT_STORAGE: readonly Row[] = [
  one(0x0000, 'Success', 'The SCP has stored the non-patient object (hanging protocol, color palette, implant template, protocol, approval or inventory).'),
  one(0xa700, 'Refused: Out of resources', 'The SCP did not store the object because it is out of resources.'),
  one(0xa900, 'Error: Data Set does not match SOP Class', 'The SCP did not store the object because the data set does not conform to the SOP class of the request.'),
  one(0xc000, 'Error: Cannot understand', 'The SCP did not store the object because it could not understand it.'),
];

/** PS3.4 S.3.2.1.4 (N-CREATE) and S.3.2.3.4-1 (N-ACTION Cancel Media Creation); its N-GET 0001 is the shared one */
export const MEDIA_CREATION: readonly Row[] = [
  one(0xa510, 'Failed: An Initiate Media Creation action has already been received for this SOP Instance.', 'Refused: media creation has already been started for this request.'),
  one(0xc201, 'Failed: Media creation request already completed.', 'The cancel was refused: the media has already been made.'),
  one(0xc202, 'Failed: Media creation request already in progress and cannot be interrupted.', 'The cancel was refused: the media is being made and cannot be stopped.'),
  one(0xc203, 'Failed: Cancellation denied for unspecified reason.', 'The SCP refused to cancel the media creation request and gave no reason.'),
];
