/** Worker entry point. */
import { gateway } from "./gateway";

// Durable Object classes must be exported by the entry module (wrangler.toml binds them by class name).
export { RateLimiter } from "./rate-limit/rate-limiter-object";

export default {
  fetch(request, env, ctx) {
    return gateway.fetch(request, env, ctx);
  },
} satisfies ExportedHandler<Env>;
