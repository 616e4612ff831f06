// Finds where a JSON text stops being JSON (RFC 8259), so a parse error can name a line and column without quoting the text.

/** A 1-based line and column in a text. */
export interface TextPosition {
  readonly line: number;
  readonly column: number;
}

type Expecting = 'value' | 'value-or-close' | 'key' | 'key-or-close' | 'after-value';

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const LITERALS = ['true', 'false', 'null'] as const;
const ESCAPE = /^(?:["\\/bfnrt]|u[0-9a-fA-F]{4})/;

/**
 * The offset of the first character that breaks the JSON grammar (the text's length when it ends too
 * early), or undefined when the text is valid JSON. Iterative, so deep nesting cannot overflow the stack.
 * V8's JSON.parse stays the parser; this only runs after it has failed, because its messages quote the
 * text around the fault (which may be a credential) and often give no position at all.
 */
export function jsonSyntaxErrorOffset(text: string): number | undefined {
  const open: ('}' | ']')[] = [];
  let expecting: Expecting = 'value';
  let index = 0;
  for (;;) {
    while (index < text.length && ' \t\n\r'.includes(text[index] as string)) index += 1;
    if (expecting === 'after-value' && open.length === 0) return index < text.length ? index : undefined;
    if (index >= text.length) return text.length;
    const char = text[index] as string;
    if ((expecting === 'value-or-close' || expecting === 'key-or-close') && char === open.at(-1)) {
      open.pop();
      index += 1;
      expecting = 'after-value';
    } else if (expecting === 'after-value') {
      if (char === ',') expecting = open.at(-1) === '}' ? 'key' : 'value';
      else if (char === open.at(-1)) open.pop();
      else return index;
      index += 1;
    } else if (expecting === 'key' || expecting === 'key-or-close') {
      const end = char === '"' ? stringEnd(text, index) : { error: index };
      if ('error' in end) return end.error;
      index = end.next;
      while (index < text.length && ' \t\n\r'.includes(text[index] as string)) index += 1;
      if (text[index] !== ':') return index;
      index += 1;
      expecting = 'value';
    } else {
      const next = valueEnd(text, index, open);
      if ('error' in next) return next.error;
      index = next.next;
      expecting = next.opened ? (open.at(-1) === '}' ? 'key-or-close' : 'value-or-close') : 'after-value';
    }
  }
}

/** The 1-based line and column of `offset` in `text`. */
export function positionAt(text: string, offset: number): TextPosition {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length, column: offset - lineStart + 1 };
}

type Step = { next: number; opened?: boolean } | { error: number };

/** Private: one scalar, or the opening bracket of a container (pushed onto `open`). */
function valueEnd(text: string, index: number, open: ('}' | ']')[]): Step {
  const char = text[index];
  if (char === '{' || char === '[') {
    open.push(char === '{' ? '}' : ']');
    return { next: index + 1, opened: true };
  }
  if (char === '"') return stringEnd(text, index);
  NUMBER.lastIndex = index;
  if (NUMBER.test(text)) return { next: NUMBER.lastIndex };
  const literal = LITERALS.find((word) => text.startsWith(word, index));
  return literal ? { next: index + literal.length } : { error: index };
}

/** Private: the offset after a string's closing quote, or of its first bad character. */
function stringEnd(text: string, start: number): Step {
  let index = start + 1;
  while (index < text.length) {
    const char = text[index] as string;
    if (char === '"') return { next: index + 1 };
    if (char < ' ') return { error: index };
    if (char === '\\') {
      const escapeSequence = ESCAPE.exec(text.slice(index + 1, index + 6));
      if (!escapeSequence) return { error: index };
      index += escapeSequence[0].length;
    }
    index += 1;
  }
  return { error: text.length };
}
