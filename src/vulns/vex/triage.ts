/**
 * @module An imported VEX statement as a triage decision: the state and justification as given,
 * the impact statement (or detail) as the customer-facing detail, the action statement (or the
 * CycloneDX responses) as the action, and an origin naming the format, file and JSON pointer so
 * the audit log says where a decision came from.
 */
import type { TriageDecision } from '../findings/model.js';
import type { VexStatement } from './model.js';

export function triageFromStatement(statement: VexStatement, by: TriageDecision['by'], importedAt: string): TriageDecision {
  const decision: TriageDecision = {
    state: statement.state,
    by,
    at: statement.timestamp ?? importedAt,
    origin: `vex:${statement.source.format} ${statement.source.location}#${statement.source.pointer}`,
  };
  if (statement.justification !== undefined) decision.justification = statement.justification;
  const detail = statement.impactStatement ?? statement.detail;
  if (detail !== undefined && detail.trim() !== '') decision.detail = detail;
  const action = statement.actionStatement ?? (statement.responses && statement.responses.length > 0 ? statement.responses.join(', ') : undefined);
  if (action !== undefined && action.trim() !== '') decision.action = action;
  return decision;
}
