// A real OpenID provider (oidc-provider) for the portal's SSO tests, on loopback.
//
//   node tests/oidc/provider.mjs <redirect_uri>
//
// Listens on an ephemeral port of 127.0.0.1 and prints one line, "issuer <url>", once it is
// ready. Its discovery document, authorization and token endpoints and JWKS are oidc-provider's
// own. Three things are the tests' (never to be copied into a real provider):
// - static clients: "portal" (secret "portal-secret") and "other-client";
// - POST /_test/accounts (JSON {id: {email, email_verified, xms_edov, amr}}) adds the people
//   who can log
//   in, and GET/POST /interaction/<uid> is a one-field login form (login=<id>) standing in for
//   the password page of a municipality's IdP; consent is granted at once (a first-party app);
// - POST /_test/mode (JSON {mode}) makes the token endpoint answer with a broken ID token, to
//   show that the portal refuses it: "wrong_issuer", "wrong_audience", "expired" (re-signed
//   with the provider's own key), "forged_signature" (signed with a key not in the JWKS, under
//   the id of the provider's key) or "unknown_key" (under a key id not in the JWKS);
//   "normal" turns it off.
import { createServer } from 'node:http';
import { randomBytes } from 'node:crypto';

import Provider from 'oidc-provider';
import { SignJWT, decodeJwt, exportJWK, generateKeyPair } from 'jose';

const redirectUri = process.argv[2];
if (!redirectUri) {
  console.error('usage: node provider.mjs <redirect_uri>');
  process.exit(2);
}

const accounts = new Map();
let mode = 'normal';

async function signingKey(kid) {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  return { kid, privateKey, jwk: { ...(await exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' } };
}

const ownKey = await signingKey('test-provider-key');
const foreignKey = await signingKey('not-in-the-jwks');

const server = createServer();
await new Promise((resolve) => { server.listen(0, '127.0.0.1', resolve); });
const issuer = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: 'portal',
      client_secret: 'portal-secret',
      redirect_uris: [redirectUri],
      grant_types: ['authorization_code'],
      response_types: ['code'],
    },
    { client_id: 'other-client', client_secret: 'other-secret', redirect_uris: [redirectUri] },
  ],
  jwks: { keys: [ownKey.jwk] },
  cookies: { keys: [randomBytes(32).toString('hex')] },
  // amr goes with openid, as a municipality's IdP (Entra ID, say) sends it in every ID token.
  // xms_edov: Microsoft Entra ID's "email domain owner verified", sent instead of email_verified.
  claims: {
    openid: ['sub', 'amr'], email: ['email', 'email_verified', 'xms_edov'], profile: ['name'],
  },
  // The ID token carries the email claims itself, as the portal reads them from it.
  conformIdTokenClaims: false,
  pkce: { required: () => true },
  features: { devInteractions: { enabled: false } },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  async findAccount(ctx, id) {
    const account = accounts.get(id);
    if (!account) return undefined;
    return {
      accountId: id,
      async claims() {
        return {
          sub: id,
          email: account.email,
          email_verified: account.email_verified,
          xms_edov: account.xms_edov,
          name: account.name,
        };
      },
    };
  },
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId
      || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope('openid email profile');
    await grant.save();
    return grant;
  },
});

async function readBody(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

async function brokenIdToken(idToken) {
  const claims = decodeJwt(idToken);
  let key = ownKey;
  if (mode === 'wrong_issuer') claims.iss = 'https://idp.example.invalid';
  if (mode === 'wrong_audience') { claims.aud = 'other-client'; claims.azp = 'other-client'; }
  if (mode === 'expired') { claims.iat -= 7200; claims.exp = claims.iat + 600; }
  // A forgery: another key's signature under the provider's own key id, or under a key id the
  // provider's JWKS does not have.
  let kid = key.kid;
  if (mode === 'forged_signature') { key = foreignKey; kid = ownKey.kid; }
  if (mode === 'unknown_key') { key = foreignKey; kid = foreignKey.kid; }
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
    .sign(key.privateKey);
}

provider.use(async (ctx, next) => {
  if (ctx.path === '/_test/accounts' && ctx.method === 'POST') {
    for (const [id, account] of Object.entries(JSON.parse(await readBody(ctx.req)))) {
      accounts.set(id, account);
    }
    ctx.status = 204;
    return;
  }
  if (ctx.path === '/_test/mode' && ctx.method === 'POST') {
    ({ mode } = JSON.parse(await readBody(ctx.req)));
    ctx.status = 204;
    return;
  }
  const interaction = ctx.path.match(/^\/interaction\/([^/]+)$/);
  if (interaction && ctx.method === 'GET') {
    const details = await provider.interactionDetails(ctx.req, ctx.res);
    ctx.type = 'html';
    ctx.body = `<form method="post" action="/interaction/${details.uid}">`
      + `<input name="login"><button>${details.prompt.name}</button></form>`;
    return;
  }
  if (interaction && ctx.method === 'POST') {
    const login = new URLSearchParams(await readBody(ctx.req)).get('login');
    const account = accounts.get(login);
    const result = account
      ? { login: { accountId: login, amr: account.amr || ['pwd'] } }
      : { error: 'access_denied', error_description: 'unknown account' };
    ctx.status = 303;
    ctx.redirect(await provider.interactionResult(ctx.req, ctx.res, result, {
      mergeWithLastSubmission: false,
    }));
    return;
  }
  await next();
  if (ctx.path === '/token' && ctx.status === 200 && mode !== 'normal' && ctx.body?.id_token) {
    ctx.body = { ...ctx.body, id_token: await brokenIdToken(ctx.body.id_token) };
  }
});

server.on('request', provider.callback());
console.log(`issuer ${issuer}`);
