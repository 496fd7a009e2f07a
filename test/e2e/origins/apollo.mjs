// An Apollo Server origin: GraphQL's own errors (parse, validation, variable
// coercion) and a resolver's GraphQLError with an HTTP status and a code.
import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";
import { GraphQLError } from "graphql";

const typeDefs = `#graphql
  type Book { id: ID!, title: String! }
  type Query { book(id: ID!): Book, secret: String }
`;

const resolvers = {
  Query: {
    book: (_, { id }) => ({ id, title: "Dune" }),
    secret: () => {
      throw new GraphQLError("You are not allowed to read the secret", { extensions: { code: "FORBIDDEN", http: { status: 403 } } });
    },
  },
};

export async function startApolloOrigin() {
  const server = new ApolloServer({ typeDefs, resolvers, includeStacktraceInErrorResponses: false });
  const { url } = await startStandaloneServer(server, { listen: { port: 0, host: "127.0.0.1" } });
  return { url: url.replace(/\/$/, ""), close: () => server.stop() };
}
