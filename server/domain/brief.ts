import * as Y from 'yjs';
import { BRIEF_FRAGMENT } from '../../shared/brief.js';

/**
 * The brief's starting template, built on what makes advocacy succeed (see DESIGN.md,
 * journey 2). Each section is a heading followed by prompt paragraphs.
 */
export const BRIEF_TEMPLATE: { heading: string; prompts: string[] }[] = [
  {
    heading: "Patient's specific needs",
    prompts: [
      'Symptoms, risks and prognosis: ',
      "Goals, in the patient's own words: ",
      'Impact in human terms (work, hospitalizations, quality of life): ',
    ],
  },
  { heading: 'Evidence', prompts: ['Guidelines, trials, outcome data and clinical notes that support the plan: '] },
  { heading: 'Proposed plan and rationale', prompts: ['Plan: ', 'Rationale: '] },
  { heading: 'Tailored alternatives', prompts: ['Alternatives considered, with benefit, risks and burden for this patient: '] },
  {
    heading: 'Stakeholder plan',
    prompts: ['Who must be convinced (insurer medical director, family, another clinician), their concerns, and the next contact: '],
  },
  { heading: 'Patient-education plan', prompts: ['The rationale in plain language, as it will be explained to the patient and family: '] },
];

// A fixed client id makes the template update byte-for-byte identical wherever it is built,
// so applying it twice (two processes seeding at once) is a no-op in Yjs rather than a copy.
const TEMPLATE_CLIENT_ID = 1;

let cachedTemplate: Uint8Array | null = null;

/** The encoded Yjs update that writes the template into an empty brief; always the same bytes. */
export function briefTemplateUpdate(): Uint8Array {
  if (cachedTemplate) return cachedTemplate;
  const doc = new Y.Doc();
  doc.clientID = TEMPLATE_CLIENT_ID;
  const fragment = doc.getXmlFragment(BRIEF_FRAGMENT);
  doc.transact(() => {
    const nodes: Y.XmlElement[] = [];
    for (const section of BRIEF_TEMPLATE) {
      const heading = new Y.XmlElement('heading');
      heading.setAttribute('level', 2 as unknown as string);
      heading.insert(0, [new Y.XmlText(section.heading)]);
      nodes.push(heading);
      for (const prompt of section.prompts) {
        const paragraph = new Y.XmlElement('paragraph');
        paragraph.insert(0, [new Y.XmlText(prompt)]);
        nodes.push(paragraph);
      }
    }
    fragment.insert(0, nodes);
  });
  cachedTemplate = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return cachedTemplate;
}

/** Plain text of a Yjs XML text node, without formatting. */
function plain(text: Y.XmlText): string {
  return (text.toDelta() as { insert: unknown }[]).map((d) => (typeof d.insert === 'string' ? d.insert : '')).join('');
}

/** The brief as plain text, one line per block; for tests and exports (never for logs). */
export function briefPlainText(doc: Y.Doc): string {
  const lines: string[] = [];
  const walk = (node: Y.XmlElement | Y.XmlFragment): void => {
    let line = '';
    for (const child of node.toArray()) {
      if (child instanceof Y.XmlText) line += plain(child);
      else if (child instanceof Y.XmlElement) walk(child);
    }
    if (line) lines.push(line);
  };
  walk(doc.getXmlFragment(BRIEF_FRAGMENT));
  return lines.join('\n');
}
