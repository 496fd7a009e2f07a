// A Hapi origin: Boom errors (with data), and Hapi's own 404 and payload parsing errors.
import Boom from "@hapi/boom";
import Hapi from "@hapi/hapi";

export async function startHapiOrigin() {
  const server = Hapi.server({ port: 0, host: "127.0.0.1" });
  server.route({ method: "GET", path: "/carts/{id}", handler: (request) => Boom.notFound(`Cart ${request.params.id} does not exist`) });
  server.route({ method: "POST", path: "/carts", handler: () => Boom.conflict("A cart is already open for this customer", { cartId: "c-42" }) });
  server.route({ method: "POST", path: "/payments", handler: () => Boom.paymentRequired("Your card was declined") });
  await server.start();
  return { url: server.info.uri, close: () => server.stop({ timeout: 100 }) };
}
