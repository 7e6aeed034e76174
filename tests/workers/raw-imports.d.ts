/** Vite's `?raw` imports (a file's text), which the workers project's tests use to read wrangler.jsonc. */
declare module "*?raw" {
  const text: string;
  export default text;
}
