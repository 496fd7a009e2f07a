// A small Express API to try the gateway with, standing in for your own:
//   node examples/own-api/api.mjs          # http://127.0.0.1:3000 (PORT=… for another)
// Its errors are Express-style JSON ({"error": …}); the gateway turns them into
// problem details with the status and message kept.
import express from "express";

export function api() {
  const app = express();
  app.use(express.json());
  const orders = new Map([["1", { id: "1", item: "anvil", quantity: 1 }]]);

  app.get("/health", (_req, res) => res.json({ status: "ok" }));
  app.get("/orders/:id", (req, res) => {
    const order = orders.get(req.params.id);
    if (order === undefined) return res.status(404).json({ error: `order ${req.params.id} not found` });
    // What the gateway told us about the caller (its key's consumer and scopes).
    res.json({ ...order, seen_by: req.get("x-consumer-id"), scopes: req.get("x-consumer-scopes") });
  });
  app.post("/orders", (req, res) => {
    const { item, quantity } = req.body ?? {};
    const errors = [];
    if (typeof item !== "string") errors.push({ field: "item", message: "is required" });
    if (!Number.isInteger(quantity) || quantity < 1) errors.push({ field: "quantity", message: "must be a positive integer" });
    if (errors.length > 0) return res.status(422).json({ error: "validation failed", errors });
    const id = String(orders.size + 1);
    orders.set(id, { id, item, quantity });
    res.status(201).json(orders.get(id));
  });
  app.get("/admin/stats", (_req, res) => res.json({ orders: orders.size }));
  return app;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const port = Number(process.env.PORT ?? 3000);
  api().listen(port, "127.0.0.1", () => console.log(`example API on http://127.0.0.1:${port}`));
}
