// A Fastify origin: JSON-schema validation (FST_ERR_VALIDATION), its 404, and
// an error carrying a statusCode and a code.
import Fastify from "fastify";

export async function startFastifyOrigin() {
  const app = Fastify({ logger: false });
  app.post("/users", {
    schema: { body: { type: "object", required: ["email"], properties: { email: { type: "string", format: "email" } } } },
    handler: async () => ({ id: 1 }),
  });
  app.put("/users/:id", async () => {
    throw Object.assign(new Error("This email is already in use"), { statusCode: 409, code: "EMAIL_TAKEN" });
  });
  const address = await app.listen({ port: 0, host: "127.0.0.1" });
  return { url: address, close: () => app.close() };
}
