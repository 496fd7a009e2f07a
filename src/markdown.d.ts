// Vite's `?raw` imports (used by tests to read README.md).
declare module "*?raw" {
  const text: string;
  export default text;
}
