import type { Express } from "express";
/** The example API (examples/own-api/api.mjs). */
export function api(): Express;
