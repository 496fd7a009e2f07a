/** Worker entry point. */
import { gateway } from "./gateway";

export default {
  fetch(request, env, ctx) {
    return gateway.fetch(request, env, ctx);
  },
} satisfies ExportedHandler<Env>;
