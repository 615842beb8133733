/** Thrown by every engine when a write breaks a unique rule; `constraint` names the rule. */
export class UniqueViolation extends Error {
  constructor(readonly constraint: 'email' | 'membership' | 'id' | 'request') {
    super(`unique rule broken: ${constraint}`);
    this.name = 'UniqueViolation';
  }
}
