// An Express origin in production mode: its own 404 page, the JSON body
// parser's 400, an error with a status passed to next(), and a handler's JSON.
import express from "express";
import { listen } from "./listen.mjs";

export function startExpressOrigin() {
  const app = express();
  app.set("env", "production");
  app.use(express.json());
  app.post("/orders", (req, res) => {
    if (typeof req.body?.sku !== "string") {
      res.status(422).json({ errors: [{ type: "field", msg: "SKU is required", path: "sku", location: "body" }, { type: "field", msg: "Must be a number", path: "qty", location: "query" }] });
      return;
    }
    res.status(201).json({ id: 1 });
  });
  app.get("/orders/:id", (req, _res, next) => {
    next(Object.assign(new Error(`Order ${req.params.id} is archived`), { status: 410, expose: true }));
  });
  return listen(app);
}
