/** Rule codes as the design documents number them: R6, M7, I2, A4, C4. */
const CODE = /^[RMIAC]\d{1,2}$/;

/**
 * A sentence's words and the rule codes of its parenthesised trailers: "… group (C4)" gives the
 * words "… group" and the rules ["C4"]; "(R15, I4)" gives both. Other parentheses stay.
 */
export function splitRules(text: string): { words: string; rules: string[] } {
  const rules: string[] = [];
  const words = text
    .replace(/\s*\(([^()]*)\)/g, (whole, inner: string) => {
      const codes = inner.split(/\s*,\s*/);
      if (codes.length > 0 && codes.every((c) => CODE.test(c))) {
        rules.push(...codes);
        return '';
      }
      return whole;
    })
    .trim();
  return { words, rules };
}
