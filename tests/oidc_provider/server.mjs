// A real OpenID provider for the tests (the npm package oidc-provider), on a free port of
// 127.0.0.1. It prints "READY <issuer>" once it listens. Test-only routes under /test/:
//   POST /test/clients  {client_id, client_secret, redirect_uris}  registers a client;
//   POST /test/mode     {mode}  "" (normal), "wrong-issuer" (discovery names another issuer),
//                       "wrong-keys" (the published keys are not the signing keys),
//                       "expired-codes" (codes are issued expired);
//   POST /test/expire-codes     every authorization code issued so far expires now.
// Signing in (/interaction/...) is a plain form: e-mail address, name and groups (comma
// separated) become the account's claims, so each test makes the people it needs.
import crypto from "node:crypto";
import http from "node:http";
import Provider from "oidc-provider";

const store = new Map(); // "Model:id" -> {payload, expiresAt}
const accounts = new Map(); // accountId -> claims

class MemoryAdapter {
  constructor(name) {
    this.name = name;
  }
  key(id) {
    return `${this.name}:${id}`;
  }
  async upsert(id, payload, expiresIn) {
    if (this.name === "AuthorizationCode" && mode === "expired-codes") {
      payload.exp = Math.floor(Date.now() / 1000) - 1;
    }
    store.set(this.key(id), { payload, expiresAt: expiresIn ? Date.now() + expiresIn * 1000 : null });
  }
  async find(id) {
    const found = store.get(this.key(id));
    if (!found || (found.expiresAt && found.expiresAt < Date.now())) return undefined;
    return found.payload;
  }
  async findByUid(uid) {
    for (const [key, found] of store) {
      if (key.startsWith(`${this.name}:`) && found.payload.uid === uid) return found.payload;
    }
    return undefined;
  }
  async findByUserCode() {
    return undefined;
  }
  async consume(id) {
    const found = store.get(this.key(id));
    if (found) found.payload.consumed = Math.floor(Date.now() / 1000);
  }
  async destroy(id) {
    store.delete(this.key(id));
  }
  async revokeByGrantId(grantId) {
    for (const [key, found] of store) {
      if (found.payload.grantId === grantId) store.delete(key);
    }
  }
}

const signingKey = {
  ...crypto.generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ format: "jwk" }),
  kid: "kompas-test",
  use: "sig",
  alg: "RS256",
};
// Another key under the same name: what "wrong-keys" publishes, so signatures do not verify.
const otherKey = {
  ...crypto.generateKeyPairSync("rsa", { modulusLength: 2048 }).publicKey.export({ format: "jwk" }),
  kid: "kompas-test",
  use: "sig",
  alg: "RS256",
};

let mode = "";
const server = http.createServer();
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  adapter: MemoryAdapter,
  jwks: { keys: [signingKey] },
  cookies: { keys: [crypto.randomBytes(16).toString("hex")] },
  features: { devInteractions: { enabled: false } },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name", "groups"] },
  conformIdTokenClaims: false, // the scopes' claims go into the ID token too
  pkce: { required: () => true },
  ttl: { AuthorizationCode: 60, IdToken: 300, AccessToken: 300, Interaction: 600, Session: 600, Grant: 600 },
  async findAccount(ctx, id) {
    const claims = accounts.get(id);
    if (!claims) return undefined;
    return { accountId: id, claims: async () => ({ sub: id, ...claims }) };
  },
});

async function body(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks).toString();
}

function send(res, status, type, text) {
  res.writeHead(status, { "Content-Type": type });
  res.end(text);
}

const escape = (text) => String(text).replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

function loginPage(uid, client) {
  return `<!doctype html><html lang="nl"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width"><title>Testprovider</title></head>
<body><main><h1>Inloggen bij de testprovider</h1><p>Voor ${escape(client)}</p>
<form method="post" action="/interaction/${escape(uid)}/login">
<p><label for="email">E-mailadres</label> <input id="email" name="email" type="email" required></p>
<p><label for="name">Naam</label> <input id="name" name="name"></p>
<p><label for="groups">Groepen</label> <input id="groups" name="groups"></p>
<p><button type="submit">Inloggen</button></p></form></main></body></html>`;
}

async function interaction(req, res, path) {
  const details = await provider.interactionDetails(req, res);
  if (req.method === "GET") {
    return send(res, 200, "text/html; charset=utf-8", loginPage(details.uid, details.params.client_id));
  }
  const form = new URLSearchParams(await body(req));
  const email = form.get("email").trim().toLowerCase();
  const accountId = crypto.createHash("sha256").update(email).digest("hex").slice(0, 24);
  const groups = (form.get("groups") || "").split(",").map((g) => g.trim()).filter(Boolean);
  accounts.set(accountId, { email, email_verified: true, name: form.get("name") || email, groups });
  const grant = new provider.Grant({ accountId, clientId: details.params.client_id });
  grant.addOIDCScope(details.params.scope);
  const grantId = await grant.save();
  await provider.interactionFinished(
    req,
    res,
    { login: { accountId }, consent: { grantId } },
    { mergeWithLastSubmission: false },
  );
}

async function testRoute(req, res, path) {
  const data = JSON.parse((await body(req)) || "{}");
  if (path === "/test/clients") {
    await new MemoryAdapter("Client").upsert(data.client_id, {
      client_id: data.client_id,
      client_secret: data.client_secret,
      redirect_uris: data.redirect_uris,
      grant_types: ["authorization_code"],
      response_types: ["code"],
      token_endpoint_auth_method: "client_secret_basic",
    });
  } else if (path === "/test/mode") {
    mode = data.mode || "";
  } else if (path === "/test/expire-codes") {
    for (const [key, found] of store) {
      if (key.startsWith("AuthorizationCode:")) found.payload.exp = Math.floor(Date.now() / 1000) - 1;
    }
  } else {
    return send(res, 404, "text/plain", "onbekend");
  }
  send(res, 204, "text/plain", "");
}

const callback = provider.callback();
server.on("request", async (req, res) => {
  const path = new URL(req.url, issuer).pathname;
  try {
    if (path.startsWith("/test/") && req.method === "POST") return await testRoute(req, res, path);
    if (path.startsWith("/interaction/")) return await interaction(req, res, path);
    if (mode === "wrong-keys" && path === "/jwks") {
      return send(res, 200, "application/json", JSON.stringify({ keys: [otherKey] }));
    }
    if (mode === "wrong-issuer" && path === "/.well-known/openid-configuration" && !req.url.includes("echt")) {
      const doc = await (await fetch(`${issuer}${path}?echt=1`)).json();
      return send(res, 200, "application/json", JSON.stringify({ ...doc, issuer: `${issuer}/anders` }));
    }
    return callback(req, res);
  } catch (error) {
    send(res, 500, "text/plain", String(error));
  }
});

console.log(`READY ${issuer}`);
