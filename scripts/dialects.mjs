// One origin error per dialect Portcullis normalizes, exactly as the origin
// sends it. Used by the bundled demo origin, the e2e origin and the
// before/after examples of docs/origin-errors.md; test/unit/normalize/dialects-catalog.test.ts checks
// that each entry is recognized as the dialect it is named for.
//
// Seeds 000, 001 and 004 use the seed documents' own example bodies; seeds 002
// and 003 document their dialect without a full example, so those are
// realistic bodies in the documented shape. The framework and API entries
// after them are the shapes those frameworks' and APIs' documentation shows;
// docs/origin-errors.md shows each one's before/after.

export const DIALECTS = [
  {
    path: "/errors/scim",
    name: "SCIM (RFC 7644 §3.12), seed 000",
    dialect: "scim",
    status: 400,
    headers: { "content-type": "application/scim+json" },
    body: `{
    "schemas": [
        "urn:ietf:params:scim:api:messages:2.0:Error"
    ],
    "status": "400",
    "scimType": "invalidValue",
    "detail": "User name 'email@example.com' is invalid: 'not unique'"
}`,
  },
  {
    path: "/errors/aspnet",
    name: "ASP.NET Core problem details, seed 001",
    dialect: "problem-details/aspnet",
    status: 400,
    headers: { "content-type": "application/problem+json; charset=utf-8" },
    body: `{
  "type": "https://tools.ietf.org/html/rfc9110#section-15.5.1",
  "title": "Bad Request",
  "status": 400,
  "detail": "One or more validation errors occurred.",
  "traceId": "00-9e02a91b64ac56904703a3a69ea9101d-56be90a29d0b0b25-00",
  "errors": {
    "mistake": [
      "Unknown expression group."
    ]
  }
}`,
  },
  {
    path: "/errors/typed",
    name: "Typed errors, seed 002",
    dialect: "typed",
    status: 400,
    headers: { "content-type": "application/json" },
    body: `{"id":"err_1713198273_4d1f","code":400,"type":"InvalidPayload","message":"The request payload is invalid: \\"name\\" is required"}`,
  },
  {
    path: "/errors/envelope",
    name: "Error envelope, seed 004",
    dialect: "error-envelope",
    status: 409,
    headers: { "content-type": "application/json" },
    body: `{
  "error": {
      "status": 409,
      "message": "This email is already in use, please try another one.",
      "code": "EmailAlreadyExists"
  }
}`,
  },
  {
    path: "/errors/x-message-code",
    name: "X-message-code header with a plain-text body, seed 003",
    dialect: "text+x-message-code",
    status: 403,
    headers: { "content-type": "text/plain; charset=utf-8", "x-message-code": "PASSWORD_LOCKED" },
    body: "The password is locked for 60 minutes after 5 failed logon attempts with wrong value.",
  },
  {
    path: "/errors/google",
    name: "Google APIs / gRPC JSON (AIP-193)",
    dialect: "google",
    status: 400,
    headers: { "content-type": "application/json; charset=UTF-8" },
    body: `{
  "error": {
    "code": 400,
    "message": "Invalid value at 'book.title' (TYPE_STRING), too long",
    "status": "INVALID_ARGUMENT",
    "details": [
      {
        "@type": "type.googleapis.com/google.rpc.BadRequest",
        "fieldViolations": [
          { "field": "book.title", "description": "Title must be at most 200 characters" }
        ]
      }
    ]
  }
}`,
  },
  {
    path: "/errors/stripe",
    name: "Stripe",
    dialect: "stripe",
    status: 402,
    headers: { "content-type": "application/json" },
    body: `{
  "error": {
    "code": "card_declined",
    "decline_code": "insufficient_funds",
    "doc_url": "https://stripe.com/docs/error-codes/card-declined",
    "message": "Your card has insufficient funds.",
    "param": "card[number]",
    "type": "card_error"
  }
}`,
  },
  {
    path: "/errors/oauth",
    name: "OAuth 2.0 (RFC 6749 §5.2)",
    dialect: "oauth",
    status: 400,
    headers: { "content-type": "application/json;charset=UTF-8", "cache-control": "no-store" },
    body: `{"error":"invalid_grant","error_description":"The authorization code has expired.","error_uri":"https://auth.example.com/docs/errors#invalid_grant"}`,
  },
  {
    path: "/errors/jsonapi",
    name: "JSON:API",
    dialect: "jsonapi",
    status: 422,
    headers: { "content-type": "application/vnd.api+json" },
    body: `{
  "errors": [
    {
      "status": "422",
      "code": "too_short",
      "source": { "pointer": "/data/attributes/firstName" },
      "title": "Invalid Attribute",
      "detail": "First name must contain at least two characters."
    }
  ]
}`,
  },
  {
    path: "/errors/graphql",
    name: "GraphQL",
    dialect: "graphql",
    status: 400,
    headers: { "content-type": "application/graphql-response+json" },
    body: `{
  "errors": [
    {
      "message": "Variable \\"$id\\" of required type \\"ID!\\" was not provided.",
      "locations": [{ "line": 1, "column": 12 }],
      "extensions": { "code": "BAD_USER_INPUT" }
    }
  ],
  "data": null
}`,
  },
  {
    path: "/errors/aws",
    name: "AWS JSON protocol",
    dialect: "aws",
    status: 400,
    headers: { "content-type": "application/x-amz-json-1.1" },
    body: `{"__type":"com.amazon.coral.validate#ValidationException","message":"1 validation error detected: Value 'abc' at 'limit' failed to satisfy constraint: Member must be a number"}`,
  },
  {
    path: "/errors/nestjs",
    name: "NestJS ValidationPipe (message array)",
    dialect: "nestjs",
    status: 400,
    headers: { "content-type": "application/json; charset=utf-8" },
    body: `{"message":["email must be an email","password must be longer than or equal to 8 characters"],"error":"Bad Request","statusCode":400}`,
  },
  {
    path: "/errors/fastify",
    name: "Fastify / Hapi Boom",
    dialect: "boom",
    status: 400,
    headers: { "content-type": "application/json; charset=utf-8" },
    body: `{"statusCode":400,"code":"FST_ERR_VALIDATION","error":"Bad Request","message":"body must have required property 'name'"}`,
  },
  {
    path: "/errors/fastapi",
    name: "FastAPI / Pydantic validation",
    dialect: "json",
    status: 422,
    headers: { "content-type": "application/json" },
    body: `{"detail":[{"type":"missing","loc":["body","user","email"],"msg":"Field required","input":{"name":"Ada"}},{"type":"int_parsing","loc":["query","limit"],"msg":"Input should be a valid integer, unable to parse string as an integer","input":"ten"}]}`,
  },
  {
    path: "/errors/drf",
    name: "Django REST Framework field map",
    dialect: "field-map",
    status: 400,
    headers: { "content-type": "application/json" },
    body: `{"email":["Enter a valid email address."],"password":["This field is required."],"non_field_errors":["Unable to log in with provided credentials."]}`,
  },
  {
    path: "/errors/laravel",
    name: "Laravel validation",
    dialect: "errors-map",
    status: 422,
    headers: { "content-type": "application/json" },
    body: `{"message":"The email field is required. (and 1 more error)","errors":{"email":["The email field is required."],"password":["The password field must be at least 8 characters."]}}`,
  },
  {
    path: "/errors/rails",
    name: "Rails errors map",
    dialect: "errors-map",
    status: 422,
    headers: { "content-type": "application/json; charset=utf-8" },
    body: `{"errors":{"title":["can't be blank"],"base":["Post is locked"]}}`,
  },
  {
    path: "/errors/spring",
    name: "Spring Boot default error",
    dialect: "errors-array",
    status: 400,
    headers: { "content-type": "application/json" },
    body: `{"timestamp":"2024-05-01T10:00:00.000+00:00","status":400,"error":"Bad Request","message":"Validation failed for object='userDto'. Error count: 2","errors":[{"defaultMessage":"must not be blank","objectName":"userDto","field":"name","code":"NotBlank"},{"defaultMessage":"must be a well-formed email address","objectName":"userDto","field":"email","code":"Email"}],"path":"/users"}`,
  },
  {
    path: "/errors/spring-problem",
    name: "Spring ProblemDetail",
    dialect: "problem-details",
    status: 404,
    headers: { "content-type": "application/problem+json" },
    body: `{"type":"https://api.example.com/errors/not-found","title":"User not found","status":404,"detail":"User 42 does not exist","instance":"/users/42"}`,
  },
  {
    path: "/errors/kubernetes",
    name: "Kubernetes Status",
    dialect: "kubernetes",
    status: 422,
    headers: { "content-type": "application/json" },
    body: `{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Deployment.apps \\"web\\" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0","reason":"Invalid","details":{"name":"web","group":"apps","kind":"Deployment","causes":[{"reason":"FieldValueInvalid","message":"Invalid value: -1: must be greater than or equal to 0","field":"spec.replicas"}]},"code":422}`,
  },
  {
    path: "/errors/salesforce",
    name: "Salesforce REST",
    dialect: "errors-array",
    status: 400,
    headers: { "content-type": "application/json;charset=UTF-8" },
    body: `[{"message":"No such column 'Foo' on entity 'Account'.","errorCode":"INVALID_FIELD","fields":["Foo"]}]`,
  },
  {
    path: "/errors/github",
    name: "GitHub REST validation",
    dialect: "errors-array",
    status: 422,
    headers: { "content-type": "application/json; charset=utf-8" },
    body: `{"message":"Validation Failed","errors":[{"resource":"Issue","field":"title","code":"missing_field"}],"documentation_url":"https://docs.github.com/rest/issues/issues#create-an-issue","status":"422"}`,
  },
  {
    path: "/errors/microsoft",
    name: "Microsoft REST API Guidelines",
    dialect: "error-envelope",
    status: 400,
    headers: { "content-type": "application/json" },
    body: `{"error":{"code":"BadArgument","message":"Multiple errors in ContactInfo data","target":"ContactInfo","details":[{"code":"NullValue","target":"PhoneNumber","message":"Phone number must not be null"}]}}`,
  },
  {
    path: "/errors/jsend",
    name: "JSend fail",
    dialect: "jsend",
    status: 400,
    headers: { "content-type": "application/json" },
    body: `{"status":"fail","data":{"title":"A title is required","email":"A valid email is required"}}`,
  },
  {
    path: "/errors/express-html",
    name: "Express default error page",
    dialect: "html",
    status: 404,
    headers: { "content-type": "text/html; charset=utf-8" },
    body: `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Error</title>
</head>
<body>
<pre>Cannot POST /orders</pre>
</body>
</html>
`,
  },
  {
    path: "/errors/html",
    name: "HTML error page",
    dialect: "html",
    status: 404,
    headers: { "content-type": "text/html; charset=iso-8859-1" },
    body: `<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">
<html><head>
<title>404 Not Found</title>
</head><body>
<h1>Not Found</h1>
<p>The requested URL was not found on this server.</p>
<hr>
<address>Apache/2.4.62 (Debian) Server at api.example.com Port 443</address>
</body></html>
`,
  },
  {
    path: "/errors/text",
    name: "Plain text",
    dialect: "text",
    status: 429,
    headers: { "content-type": "text/plain", "retry-after": "30" },
    body: "Too many requests, slow down.\n",
  },
  {
    path: "/errors/empty",
    name: "Empty body",
    dialect: "empty",
    status: 404,
    headers: {},
    body: "",
  },
  {
    path: "/errors/malformed-json",
    name: "Malformed JSON",
    dialect: "malformed-json",
    status: 400,
    headers: { "content-type": "application/json" },
    body: `{"message": "Invalid date format", "field": "start_date"`,
  },
  {
    path: "/errors/unknown-json",
    name: "JSON of no known shape",
    dialect: "json",
    status: 400,
    headers: { "content-type": "application/json" },
    body: `{"success":false,"reason":"Coupon code has expired","error_code":"COUPON_EXPIRED","data":null}`,
  },
  {
    path: "/errors/stack-trace",
    name: "A 500 with a stack trace (must not leak)",
    dialect: "json",
    status: 500,
    headers: { "content-type": "application/json" },
    body: `{"message":"Cannot read properties of undefined (reading 'id')","stack":"TypeError: Cannot read properties of undefined (reading 'id')\\n    at getUser (/app/src/users.js:42:17)\\n    at async handler (/app/src/server.js:88:5)","db":"postgres://app:s3cret@db.internal:5432/users"}`,
  },
];
