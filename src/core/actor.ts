/** @module Who is acting: every service call that changes state carries an Actor for the audit log. */
export type ActorKind = 'user' | 'token' | 'system';

export interface Actor {
  kind: ActorKind;
  /** user id, token id, or a system component name */
  id: string;
  /** display name (username, token name, component) */
  name: string;
  role?: string;
  /** client address the request came from, when there is one */
  ip?: string;
  requestId?: string;
}

export const systemActor = (component: string): Actor => ({ kind: 'system', id: component, name: component });
