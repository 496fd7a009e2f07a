// Types for dialects.mjs, so TypeScript tests can import the catalog.
export interface DialectExample {
  /** Path the demo and e2e origins serve the example under. */
  path: string;
  name: string;
  /** The dialect name normalizeOriginError reports in its log. */
  dialect: string;
  status: number;
  headers: Record<string, string>;
  /** The body, byte for byte as the origin sends it. */
  body: string;
}

export declare const DIALECTS: readonly DialectExample[];
