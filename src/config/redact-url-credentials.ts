// Masks the user:password part of URLs in text, so a configured URL can be echoed or logged safely.

/** Replaces every `scheme://user:password@` userinfo in the text with `scheme://[redacted]@`. */
export function redactUrlCredentials(text: string): string {
  return text.replace(/(\b[a-z][a-z0-9+.-]*:\/\/)[^/?#@\s"]*@/gi, '$1[redacted]@');
}
