/**
 * Path matching for HTTP triggers: `/flights/{id}/approve` against a request's
 * pathname. Methods are compared by the caller.
 *
 * A parameter is a whole segment. Its decoded value must be a plain name, not
 * a path: values containing `/`, `\`, `..` or control characters do not match,
 * so a parameter can never be used to reach somewhere else when the flow puts
 * it into a URL or an instance id.
 */

type Segment = { readonly kind: "literal"; readonly text: string } | { readonly kind: "param"; readonly name: string };

export interface CompiledRoute {
  readonly pattern: string;
  readonly params: readonly string[];
  /** Decoded params (null-prototype record) when the pathname matches, else undefined. */
  match(pathname: string): Record<string, string> | undefined;
}

const PARAM = /^\{([A-Za-z_][A-Za-z0-9_]*)\}$/;
// C0 controls, DEL and C1 controls.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** Compiles a trigger path once; throws on a malformed pattern (the generator validates them first). */
export function compileRoute(pattern: string): CompiledRoute {
  if (!pattern.startsWith("/")) throw new Error(`Route pattern must start with "/": ${pattern}`);
  const segments = splitPath(pattern).map((part): Segment => {
    const param = PARAM.exec(part)?.[1];
    if (param !== undefined) return { kind: "param", name: param };
    if (part.includes("{") || part.includes("}")) throw new Error(`A route parameter must be a whole segment: ${pattern}`);
    return { kind: "literal", text: part };
  });
  const params = segments.flatMap((s) => (s.kind === "param" ? [s.name] : []));
  if (new Set(params).size !== params.length) throw new Error(`Route parameter names must be unique: ${pattern}`);
  return { pattern, params, match: (pathname) => matchSegments(segments, pathname) };
}

/** One-off form of {@link compileRoute}; prefer compiling once at module load. */
export function matchPath(pattern: string, pathname: string): Record<string, string> | undefined {
  return compileRoute(pattern).match(pathname);
}

function matchSegments(segments: readonly Segment[], pathname: string): Record<string, string> | undefined {
  if (!pathname.startsWith("/")) return undefined;
  const parts = splitPath(pathname);
  if (parts.length !== segments.length) return undefined;
  const params = Object.create(null) as Record<string, string>;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    const value = decodeSegment(parts[i]!);
    if (value === undefined) return undefined;
    if (segment.kind === "literal") {
      if (value !== segment.text) return undefined;
    } else {
      if (!isSafeParam(value)) return undefined;
      params[segment.name] = value;
    }
  }
  return params;
}

/** Segments between slashes; one trailing slash is ignored so `/a/` matches `/a`. */
function splitPath(path: string): string[] {
  const trimmed = path.length > 1 && path.endsWith("/") ? path.slice(0, -1) : path;
  return trimmed === "/" ? [] : trimmed.slice(1).split("/");
}

function decodeSegment(raw: string): string | undefined {
  try {
    return decodeURIComponent(raw);
  } catch {
    return undefined;
  }
}

function isSafeParam(value: string): boolean {
  return (
    value !== "" && value !== "." && !value.includes("/") && !value.includes("\\") && !value.includes("..") && !CONTROL.test(value)
  );
}
