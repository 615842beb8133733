import * as Y from 'yjs';
import { BRIEF_FRAGMENT } from '../../../shared/brief.js';
import type { EvidenceView } from '../../../shared/schemas/evidence.js';

/** The brief's inline citation node, as stored in Yjs (the server counts these by the same names). */
export const CITATION_NODE = 'citation';
/** The citation node's attribute holding the cited evidence item's id. */
export const CITATION_ATTR = 'evidenceId';

/** Where one evidence item is cited: how often, and under which section headings. */
export interface CitationUse {
  count: number;
  sections: string[];
}

const NO_USE: CitationUse = { count: 0, sections: [] };
/** The section of a citation that comes before any heading. */
export const BEFORE_FIRST_HEADING = 'Opening';

/**
 * Walks the brief's XML fragment in document order: each citation, with the text of the
 * nearest heading before it. The order of first appearance is the reference numbering.
 */
export function scanCitations(fragment: Y.XmlFragment): { order: string[]; uses: Map<string, CitationUse> } {
  const order: string[] = [];
  const uses = new Map<string, CitationUse>();
  let section = BEFORE_FIRST_HEADING;
  const walk = (node: Y.XmlFragment | Y.XmlElement) => {
    for (const child of node.toArray()) {
      if (!(child instanceof Y.XmlElement)) continue;
      if (child.nodeName === 'heading') section = textOf(child).trim() || 'Untitled section';
      if (child.nodeName === CITATION_NODE) {
        const id = child.getAttribute(CITATION_ATTR);
        if (typeof id === 'string' && id) {
          const use = uses.get(id) ?? { count: 0, sections: [] };
          if (use.count === 0) order.push(id);
          use.count++;
          if (!use.sections.includes(section)) use.sections.push(section);
          uses.set(id, use);
        }
      }
      walk(child);
    }
  };
  walk(fragment);
  return { order, uses };
}

/** Plain text of an element: its text runs only (XmlText.toString would add formatting tags). */
function textOf(el: Y.XmlElement): string {
  let out = '';
  for (const child of el.toArray()) {
    if (child instanceof Y.XmlText) {
      for (const op of child.toDelta() as { insert: unknown }[]) if (typeof op.insert === 'string') out += op.insert;
    } else if (child instanceof Y.XmlElement) out += textOf(child);
  }
  return out;
}

/**
 * The live link between the brief and the evidence library: which items the brief cites, in
 * which order and sections, and what each citation shows. The editor's citation nodes and the
 * library both subscribe; it follows the Y.Doc directly, so it stays right for remote edits.
 */
export class CitationIndex {
  private order: string[] = [];
  private uses = new Map<string, CitationUse>();
  private evidence: Map<string, EvidenceView> | null = null;
  private numbers = new Map<string, number>();
  private listeners = new Set<() => void>();
  private version = 0;
  /** Called when someone activates a citation in the brief (to show the item in the library). */
  onOpen: ((evidenceId: string) => void) | null = null;
  /** The evidence item last opened from the brief, for the library to select. */
  selected: string | null = null;
  /** Counts openings, so that opening the same item again scrolls to it again. */
  openSeq = 0;

  /** Follows this document's brief until the returned function is called. */
  attach(doc: Y.Doc): () => void {
    const fragment = doc.getXmlFragment(BRIEF_FRAGMENT);
    const rescan = () => {
      const next = scanCitations(fragment);
      if (sameScan(next, { order: this.order, uses: this.uses })) return;
      this.order = next.order;
      this.uses = next.uses;
      this.renumber();
    };
    rescan();
    fragment.observeDeep(rescan);
    return () => {
      fragment.unobserveDeep(rescan);
      this.order = [];
      this.uses = new Map();
      this.renumber();
    };
  }

  /** The case's evidence library (null while it loads: citations keep their numbers meanwhile). */
  setEvidence(list: EvidenceView[] | null): void {
    this.evidence = list && new Map(list.map((e) => [e.id, e]));
    this.renumber();
  }

  /** A citation's text: "[2]", or "[removed]" when its item was deleted from the library. */
  label(evidenceId: string): string {
    const n = this.numbers.get(evidenceId);
    if (n !== undefined) return `[${n}]`;
    return this.evidence ? '[removed]' : '[…]';
  }

  /** The reference number of a cited item, or null when the brief does not cite it. */
  number(evidenceId: string): number | null {
    return this.numbers.get(evidenceId) ?? null;
  }

  /** The evidence item a citation points at, if it still exists. */
  item(evidenceId: string): EvidenceView | undefined {
    return this.evidence?.get(evidenceId);
  }

  /** The library's items, in their own order (empty while loading). */
  items(): EvidenceView[] {
    return this.evidence ? [...this.evidence.values()] : [];
  }

  /** How many distinct items the brief cites that are no longer in the library. */
  removedCount(): number {
    const ev = this.evidence;
    return ev ? this.order.filter((id) => !ev.has(id)).length : 0;
  }

  /** How often and in which sections the brief cites an item. */
  usesOf(evidenceId: string): CitationUse {
    return this.uses.get(evidenceId) ?? NO_USE;
  }

  /** Whether the last opening came from the keyboard, so the library should take focus. */
  moveFocus = false;

  /** A citation in the brief was activated (clicked, or Enter with `moveFocus`). */
  open(evidenceId: string, moveFocus = false): void {
    this.selected = evidenceId;
    this.moveFocus = moveFocus;
    this.openSeq++;
    this.onOpen?.(evidenceId);
    this.notify();
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Changes whenever anything shown changes (for useSyncExternalStore). */
  getVersion = (): number => this.version;

  private renumber(): void {
    const ev = this.evidence;
    this.numbers = new Map();
    for (const id of this.order) if (!ev || ev.has(id)) this.numbers.set(id, this.numbers.size + 1);
    this.notify();
  }

  private notify(): void {
    this.version++;
    for (const l of [...this.listeners]) l();
  }
}

function sameScan(a: { order: string[]; uses: Map<string, CitationUse> }, b: { order: string[]; uses: Map<string, CitationUse> }): boolean {
  if (a.order.join() !== b.order.join() || a.uses.size !== b.uses.size) return false;
  for (const [id, use] of a.uses) {
    const other = b.uses.get(id);
    if (!other || other.count !== use.count || other.sections.join('\u0000') !== use.sections.join('\u0000')) return false;
  }
  return true;
}
