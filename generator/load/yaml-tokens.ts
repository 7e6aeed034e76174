import { CST, Lexer } from "yaml";

/** A lexer token with its offset in the text; `type` is CST.tokenType's, markers as `<type>`. */
export interface Token {
  readonly source: string;
  readonly type: string | null;
  readonly offset: number;
}

/**
 * The yaml lexer's tokens with offsets. Its one-character markers (document,
 * scalar, flow-error-end) take no room in the text, so they do not advance it.
 * `lexemes` are the text's lexemes when the caller has them already.
 */
export function lexTokens(text: string, lexemes: Iterable<string> = new Lexer().lex(text)): Token[] {
  const out: Token[] = [];
  let offset = 0;
  for (const source of lexemes) {
    const type = CST.tokenType(source);
    const marker = type === "doc-mode" || type === "flow-error-end" || type === "scalar";
    out.push({ source, type: marker ? `<${type}>` : type, offset });
    if (!marker) offset += source.length;
  }
  return out;
}
