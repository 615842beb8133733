/**
 * The one clean-up every renderer applies to user text before laying it out: control characters
 * and bidirectional overrides removed (an override can make text read differently from what it
 * says), lone surrogates replaced, and Unicode normalized (NFC).
 */
const UNSAFE_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function cleanText(text: string): string {
  return text.replace(UNSAFE_CHARS, '').replace(LONE_SURROGATE, '\uFFFD').normalize('NFC');
}
