// Vite's `?raw` imports (used by tests to read README.md and docs/).
declare module "*?raw" {
  const text: string;
  export default text;
}
