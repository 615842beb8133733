import type * as Y from 'yjs';

/**
 * Read access to a case's live brief, for rules that depend on its content (anchors must point
 * into it, cited evidence must not vanish silently). Implemented by the document hub; the domain
 * only sees this interface.
 */
export interface BriefDocuments {
  /**
   * Runs `read` on the brief as it is now. When it answers null and people are editing, runs it
   * again after each change for up to `waitMs` (an edit may reach the server just after the
   * request that refers to it). Never changes the document.
   */
  inspect<T>(caseId: string, read: (doc: Y.Doc) => T | null, waitMs?: number): Promise<T | null>;
}
