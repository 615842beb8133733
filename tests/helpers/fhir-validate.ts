/**
 * Checks a FHIR R4 document Bundle against the rules the export must keep. FHIR.js validates
 * each resource against the R4 StructureDefinitions it ships (required elements, lists vs single
 * values, unknown elements, codes in its value-set expansions); the rest is checked here, because
 * FHIR.js does not: primitive formats (its regular expressions are unanchored, and instants are
 * never checked), references resolving inside the Bundle and pointing at an allowed resource
 * type, the Bundle and document invariants (bdl-*), the required status codes (hard-coded from
 * R4, since FHIR.js's care-plan-intent expansion accepts every request-intent code), a few
 * invariants of the emitted resources, empty values and the XHTML narrative.
 */
import { Fhir, type ValidatorMessage } from 'fhir';

export interface BundleValidation {
  valid: boolean;
  errors: string[];
  /** What FHIR.js reports below error (codes outside preferred or extensible bindings). */
  warnings: string[];
}

/** The part of FHIR.js's parsed element definition the checks here read. */
interface ParsedProperty { _name: string; _type: string; _multiple?: boolean; _targetProfiles?: string[] | string }
type Json = Record<string, unknown>;

const FM_STATUS = ['active', 'cancelled', 'draft', 'entered-in-error'];
const CLAIM_USE = ['claim', 'preauthorization', 'predetermination'];
/** R4 required bindings of the coded elements the export emits, per resource and element path. */
const R4_REQUIRED_CODES: Record<string, Record<string, readonly string[]>> = {
  Composition: { status: ['preliminary', 'final', 'amended', 'entered-in-error'] },
  CarePlan: {
    status: ['draft', 'active', 'on-hold', 'revoked', 'completed', 'entered-in-error', 'unknown'],
    intent: ['proposal', 'plan', 'order', 'option'],
  },
  CareTeam: { status: ['proposed', 'active', 'suspended', 'inactive', 'entered-in-error'] },
  Appointment: {
    status: ['proposed', 'pending', 'booked', 'arrived', 'fulfilled', 'cancelled', 'noshow', 'entered-in-error', 'checked-in', 'waitlist'],
    'participant.status': ['accepted', 'declined', 'tentative', 'needs-action'],
    'participant.required': ['required', 'optional', 'information-only'],
  },
  Claim: { status: FM_STATUS, use: CLAIM_USE },
  ClaimResponse: { status: FM_STATUS, use: CLAIM_USE, outcome: ['queued', 'complete', 'error', 'partial'], 'processNote.type': ['display', 'print', 'printoper'] },
  Coverage: { status: FM_STATUS },
};
const NARRATIVE_STATUS = ['generated', 'extensions', 'additional', 'empty'];

// The R4 primitive formats, anchored (FHIR.js's are not, so "2024-99-99x" passes as a date there).
const YEAR = '([0-9]([0-9]([0-9][1-9]|[1-9]0)|[1-9]00)|[1-9]000)';
const TIME = '([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\\.[0-9]+)?';
const ZONE = '(Z|(\\+|-)((0[0-9]|1[0-3]):[0-5][0-9]|14:00))';
const DAY = '(0[1-9]|[1-2][0-9]|3[0-1])';
const FORMATS: Record<string, RegExp> = {
  id: /^[A-Za-z0-9\-.]{1,64}$/,
  instant: new RegExp(`^${YEAR}-(0[1-9]|1[0-2])-${DAY}T${TIME}${ZONE}$`),
  dateTime: new RegExp(`^${YEAR}(-(0[1-9]|1[0-2])(-${DAY}(T${TIME}${ZONE})?)?)?$`),
  date: new RegExp(`^${YEAR}(-(0[1-9]|1[0-2])(-${DAY})?)?$`),
  code: /^[^\s]+(\s[^\s]+)*$/,
  uri: /^\S+$/,
  url: /^\S+$/,
  canonical: /^\S+$/,
  string: /^[\s\S]+$/,
  markdown: /^[\s\S]+$/,
};
const UUID_URN = /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const RESTFUL = /^(https?:\/\/\S+)\/([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})$/;
const RELATIVE = /^([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})$/;

let fhir: Fhir | null = null;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every value at a dotted path, through lists. */
function valuesAt(obj: unknown, path: string): unknown[] {
  let current: unknown[] = [obj];
  for (const key of path.split('.')) {
    current = current.flatMap((v) => (isObject(v) ? [v[key]] : [])).flatMap((v) => (Array.isArray(v) ? v : [v])).filter((v) => v !== undefined);
  }
  return current;
}

/** Calls visit on every object inside value, with its JSON path. */
function walk(value: unknown, path: string, visit: (obj: Json, path: string) => void): void {
  if (Array.isArray(value)) value.forEach((v, i) => walk(v, `${path}[${i}]`, visit));
  else if (isObject(value)) {
    visit(value, path);
    for (const [k, v] of Object.entries(value)) walk(v, `${path}.${k}`, visit);
  }
}

/** ele-1 and the JSON format: no nulls, empty strings, empty lists or empty objects. */
function emptyValues(value: unknown, path: string, errors: string[]): void {
  if (value === null || value === '' || (Array.isArray(value) && value.length === 0) || (isObject(value) && Object.keys(value).length === 0)) {
    errors.push(`${path}: empty value (ele-1)`);
  } else if (Array.isArray(value)) value.forEach((v, i) => emptyValues(v, `${path}[${i}]`, errors));
  else if (isObject(value)) for (const [k, v] of Object.entries(value)) emptyValues(v, `${path}.${k}`, errors);
}

// txt-1: basic HTML elements only, no scripts, no event handlers.
const HTML_ELEMENTS = new Set(('a abbr acronym b big blockquote br caption cite code col colgroup dd dfn div dl dt em h1 h2 h3 h4 h5 h6 hr i img li ol p pre q '
  + 'samp small span strong sub sup table tbody td tfoot th thead tr tt ul var').split(' '));
const TAG = /<(\/?)([A-Za-z][A-Za-z0-9]*)((?:\s+[A-Za-z:-]+\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>/y;
const ATTRIBUTE = /([A-Za-z:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;
const ENTITY = /&(?:amp|lt|gt|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);/y;

/** Whether a Narrative.div is well-formed XHTML in the XHTML namespace that R4 allows (txt-1, txt-2). */
function narrativeErrors(div: unknown): string[] {
  if (typeof div !== 'string') return ['div is not a string'];
  if (!div.startsWith('<div xmlns="http://www.w3.org/1999/xhtml"')) return ['div is not an xhtml-namespaced <div>'];
  const errors: string[] = [];
  const stack: string[] = [];
  let text = '';
  let i = 0;
  while (i < div.length) {
    const c = div[i]!;
    if (c === '<') {
      TAG.lastIndex = i;
      const m = TAG.exec(div);
      if (!m) return [...errors, `malformed markup at ${i}: ${div.slice(i, i + 30)}`];
      const [, closing, name, attrs, selfClosing] = m as unknown as [string, string, string, string, string];
      if (!HTML_ELEMENTS.has(name)) errors.push(`element <${name}> is not allowed (txt-1)`);
      for (const a of attrs.matchAll(ATTRIBUTE)) {
        const value = a[2] ?? a[3] ?? '';
        if (/^on/i.test(a[1]!)) errors.push(`event attribute ${a[1]} is not allowed (txt-1)`);
        if (/^\s*(javascript|data|vbscript):/i.test(value)) errors.push(`attribute ${a[1]} holds a script URL (txt-1)`);
      }
      if (closing) {
        if (stack.pop() !== name) return [...errors, `</${name}> does not close the open element`];
        if (stack.length === 0 && m.index + m[0].length !== div.length) return [...errors, 'content after the root </div>'];
      } else if (!selfClosing) stack.push(name);
      i = m.index + m[0].length;
    } else if (c === '&') {
      ENTITY.lastIndex = i;
      const m = ENTITY.exec(div);
      if (!m) return [...errors, `unescaped & or an entity XML does not define at ${i}`];
      text += 'x';
      i += m[0].length;
    } else {
      if (stack.length === 0) return [...errors, 'content outside the root <div>'];
      text += c;
      i++;
    }
  }
  if (stack.length > 0) errors.push(`unclosed <${stack[stack.length - 1]}>`);
  if (!/\S/.test(text)) errors.push('narrative has no text (txt-2)');
  return errors;
}

/**
 * Validates a FHIR R4 document Bundle: FHIR.js's structural validation of every resource plus the
 * checks it cannot make (see the module comment). Errors name the resource and the element.
 */
export function validateBundle(bundle: unknown): BundleValidation {
  const errors: string[] = [];
  const warnings: string[] = [];
  if (!isObject(bundle) || bundle.resourceType !== 'Bundle') return { valid: false, errors: ['not a Bundle'], warnings };
  emptyValues(bundle, 'Bundle', errors);

  // The Bundle and document rules.
  const entries = (Array.isArray(bundle.entry) ? bundle.entry : []).filter(isObject);
  if (bundle.type !== 'document') errors.push('Bundle.type: must be document');
  const identifier = isObject(bundle.identifier) ? bundle.identifier : {};
  if (!identifier.system || !identifier.value) errors.push('Bundle.identifier: a document needs an identifier with a system and a value (bdl-9)');
  else if (identifier.system === 'urn:ietf:rfc:3986' && !UUID_URN.test(String(identifier.value)) && !/^(urn:oid:|https?:)/.test(String(identifier.value))) {
    errors.push('Bundle.identifier.value: not a URI (urn:uuid:…)');
  }
  if (!bundle.timestamp) errors.push('Bundle.timestamp: a document needs a timestamp (bdl-10)');
  if (!isObject(entries[0]?.resource) || entries[0].resource.resourceType !== 'Composition') errors.push('Bundle.entry[0]: a document starts with a Composition (bdl-11)');
  if (bundle.total !== undefined) errors.push('Bundle.total: only for search and history (bdl-1)');

  const byUrl = new Map<string, Json>();
  const urlOf = new Map<Json, string>();
  entries.forEach((e, i) => {
    const at = `Bundle.entry[${i}]`;
    const resource = isObject(e.resource) ? e.resource : null;
    if (e.search !== undefined) errors.push(`${at}.search: only for search results (bdl-2)`);
    if (e.request !== undefined) errors.push(`${at}.request: only for batches, transactions and history (bdl-3)`);
    if (e.response !== undefined) errors.push(`${at}.response: only for responses and history (bdl-4)`);
    if (!resource) return void errors.push(`${at}.resource: a document entry needs a resource (bdl-5)`);
    if (typeof e.fullUrl !== 'string') return void errors.push(`${at}.fullUrl: a document entry needs a fullUrl`);
    if (e.fullUrl.includes('/_history/')) errors.push(`${at}.fullUrl: must not be version-specific (bdl-8)`);
    const restful = RESTFUL.exec(e.fullUrl);
    if (restful) {
      if (restful[2] !== resource.resourceType || restful[3] !== resource.id) errors.push(`${at}.fullUrl: ${e.fullUrl} disagrees with the resource's type and id`);
    } else if (!UUID_URN.test(e.fullUrl)) errors.push(`${at}.fullUrl: ${e.fullUrl} is neither urn:uuid:<uuid> nor a RESTful URL`);
    if (byUrl.has(e.fullUrl)) errors.push(`${at}.fullUrl: ${e.fullUrl} is used by another entry (bdl-7)`);
    else byUrl.set(e.fullUrl, resource);
    urlOf.set(resource, e.fullUrl);
  });

  // Every reference resolves inside the Bundle (remembered for FHIR.js's pass, which checks the target's type).
  const targets = new Map<Json, string>();
  for (const [resource, fullUrl] of urlOf) {
    const label = `${String(resource.resourceType)}/${String(resource.id)}`;
    const base = RESTFUL.exec(fullUrl)?.[1];
    const contained = new Set(valuesAt(resource, 'contained.id'));
    walk(resource, String(resource.resourceType), (obj, path) => {
      if (typeof obj.reference !== 'string') return;
      const r = obj.reference;
      if (r.startsWith('#')) {
        if (!contained.has(r.slice(1))) errors.push(`${path} (${label}): ${r} names no contained resource (ref-1)`);
        return;
      }
      const relative = RELATIVE.exec(r);
      const target = byUrl.get(r) ?? (relative && base ? byUrl.get(`${base}/${r}`) : undefined);
      if (!target) errors.push(`${path} (${label}): ${r} does not resolve to an entry of the Bundle`);
      else {
        targets.set(obj, String(target.resourceType));
        if (typeof obj.type === 'string' && obj.type !== target.resourceType) errors.push(`${path} (${label}): type ${obj.type} but ${r} is a ${String(target.resourceType)}`);
      }
    });
  }

  // Everything in a document is reached by following references forward from its Composition.
  const edges = new Map<Json, Set<Json>>();
  for (const [resource, fullUrl] of urlOf) {
    const base = RESTFUL.exec(fullUrl)?.[1];
    const out = new Set<Json>();
    walk(resource, '', (obj) => {
      const r = typeof obj.reference === 'string' ? obj.reference : '';
      const target = byUrl.get(r) ?? (RELATIVE.test(r) && base ? byUrl.get(`${base}/${r}`) : undefined);
      if (target) out.add(target);
    });
    edges.set(resource, out);
  }
  const first = isObject(entries[0]?.resource) ? entries[0].resource : null;
  const reached = new Set<Json>(first ? [first] : []);
  for (const r of reached) for (const next of edges.get(r) ?? []) reached.add(next);
  for (const [resource] of urlOf) {
    if (first && !reached.has(resource)) errors.push(`${String(resource.resourceType)}/${String(resource.id)}: not reachable from the Composition`);
  }

  // FHIR.js: structure, cardinality, unknown elements, its value sets; plus formats and target types per element.
  fhir ??= new Fhir();
  const extra: string[] = [];
  const result = fhir.validate(bundle, {
    errorOnUnexpected: true,
    onBeforeValidateProperty: (resource: Json, property: ParsedProperty, where: string, value: unknown): ValidatorMessage[] => {
      const at = `${where} (${String(resource.id ?? '')})`;
      if (!property._multiple && Array.isArray(value)) extra.push(`${at}: a list where R4 allows one value`);
      const values: unknown[] = Array.isArray(value) ? value : [value];
      const format = FORMATS[property._type];
      for (const v of values) {
        if (format && (typeof v !== 'string' || !format.test(v))) extra.push(`${at}: ${JSON.stringify(v)} is not a valid ${property._type}`);
        if (property._type === 'boolean' && typeof v !== 'boolean') extra.push(`${at}: not a boolean`);
        if (property._type === 'positiveInt' && !(Number.isInteger(v) && (v as number) >= 1)) extra.push(`${at}: not a positive integer`);
        if (/^[A-Z]/.test(property._type) && !isObject(v)) extra.push(`${at}: a ${property._type} must be an object`);
        if (property._type === 'Reference' && isObject(v)) {
          const allowed = [property._targetProfiles ?? []].flat().map((p) => p.split('/').pop());
          const type = targets.get(v);
          if (type && allowed.length > 0 && !allowed.includes('Resource') && !allowed.includes(type)) extra.push(`${at}: may not refer to a ${type} (only ${allowed.join(', ')})`);
        }
      }
      return [];
    },
  });
  for (const m of result.messages) {
    const line = `${m.location ?? ''} (${m.resourceId ?? ''}): ${m.message ?? ''}`;
    if (m.severity === 'error' || m.severity === 'fatal') errors.push(line);
    else if (m.severity === 'warning') warnings.push(line);
  }
  errors.push(...extra);

  // Required codes, narratives and the invariants of the resources emitted.
  for (const [resource] of urlOf) {
    const type = String(resource.resourceType);
    const label = `${type}/${String(resource.id)}`;
    for (const [path, codes] of Object.entries(R4_REQUIRED_CODES[type] ?? {})) {
      for (const v of valuesAt(resource, path)) if (!codes.includes(v as string)) errors.push(`${type}.${path} (${label}): ${JSON.stringify(v)} is not in the R4 value set (${codes.join(', ')})`);
    }
    walk(resource, type, (obj, path) => {
      if (!('div' in obj) || !path.endsWith('.text')) return;
      if (!NARRATIVE_STATUS.includes(obj.status as string)) errors.push(`${path}.status (${label}): ${JSON.stringify(obj.status)} is not a narrative status`);
      for (const e of narrativeErrors(obj.div)) errors.push(`${path}.div (${label}): ${e}`);
    });
    for (const e of invariants(type, resource)) errors.push(`${label}: ${e}`);
  }

  const unique = [...new Set(errors)];
  return { valid: unique.length === 0, errors: unique, warnings };
}

/** The R4 invariants (FHIRPath constraints, which FHIR.js does not evaluate) of the resources emitted. */
function invariants(type: string, r: Json): string[] {
  const out: string[] = [];
  if (type === 'Composition') {
    const sections = (list: unknown, path: string): void => (Array.isArray(list) ? list : []).filter(isObject).forEach((s, i) => {
      if (!s.text && !s.entry && !s.section) out.push(`${path}[${i}]: a section needs text, entries or sections (cmp-1)`);
      if (s.emptyReason && s.entry) out.push(`${path}[${i}]: emptyReason only on an empty section (cmp-2)`);
      sections(s.section, `${path}[${i}].section`);
    });
    sections(r.section, 'section');
  }
  if (type === 'Appointment') {
    if ((r.start === undefined) !== (r.end === undefined)) out.push('start and end go together (app-2)');
    if (r.start === undefined && !['proposed', 'cancelled', 'waitlist'].includes(r.status as string)) out.push('only proposed, cancelled or waitlisted appointments may lack a start and end (app-3)');
    if (r.cancelationReason && !['noshow', 'cancelled'].includes(r.status as string)) out.push('a cancellation reason only on a cancelled appointment (app-4)');
    if (typeof r.start === 'string' && typeof r.end === 'string' && Date.parse(r.end) < Date.parse(r.start)) out.push('ends before it starts');
    for (const p of valuesAt(r, 'participant')) if (isObject(p) && !p.type && !p.actor) out.push('a participant needs a type or an actor (app-1)');
  }
  if (type === 'Organization' && !r.identifier && !r.name) out.push('an organization needs a name or an identifier (org-1)');
  return out;
}
