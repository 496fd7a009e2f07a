// A Koa origin: ctx.throw (plain text), its 404, and a JSON error envelope.
import Koa from "koa";
import { listen } from "./listen.mjs";

export function startKoaOrigin() {
  const app = new Koa();
  app.silent = true;
  app.use(async (ctx) => {
    if (ctx.path === "/invoices" && ctx.method === "POST") ctx.throw(400, "The invoice total must be positive");
    if (ctx.path === "/invoices/9") {
      ctx.status = 409;
      ctx.body = { error: { code: "INVOICE_LOCKED", message: "Invoice 9 is locked for editing", lockedBy: "billing" } };
    }
  });
  return listen(app.callback());
}
