// Real frameworks as origins for test/e2e/origin-frameworks.test.ts.
export { startApolloOrigin } from "./apollo.mjs";
export { startExpressOrigin } from "./express.mjs";
export { startFastifyOrigin } from "./fastify.mjs";
export { startHapiOrigin } from "./hapi.mjs";
export { startKoaOrigin } from "./koa.mjs";
export { startNestOrigin } from "./nest.mjs";
