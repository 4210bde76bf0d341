// Checks that server.mjs and complete-login.mjs behave as the SessionCore
// tests assume, with plain HTTP requests and no SessionCore code. When a
// SessionCore test fails against oidc-provider, these tests tell whether the
// provider or the core changed. Run with `npm test` in this folder.

import { spawn, execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

const here = fileURLToPath(new URL('.', import.meta.url));
const CLIENT_ID = 'sessioncore-test';
const REDIRECT_URI = 'http://127.0.0.1/callback';

let server;
let issuer;
let discovery;

before(async () => {
  server = spawn(process.execPath, ['server.mjs'], { cwd: here, stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: server.stdout });
  const exited = once(server, 'exit').then(([code]) => {
    throw new Error(`server.mjs exited with code ${code} before printing its issuer; run scripts/install-node-deps.sh if its packages are missing`);
  });
  const [line] = await Promise.race([once(lines, 'line'), exited]);
  issuer = line.trim();
  const response = await fetch(`${issuer}/.well-known/openid-configuration`);
  discovery = await response.json();
});

after(() => {
  server.kill('SIGTERM');
});

function base64url(buffer) {
  return buffer.toString('base64url');
}

function decodeJwtClaims(jwt) {
  return JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8'));
}

function authorizeUrl({ state, nonce, challenge, withConsent = true }) {
  const url = new URL(discovery.authorization_endpoint);
  url.search = new URLSearchParams({
    client_id: CLIENT_ID,
    response_type: 'code',
    redirect_uri: REDIRECT_URI,
    scope: 'openid profile email offline_access',
    state,
    nonce,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...(withConsent ? { prompt: 'consent' } : {}),
  }).toString();
  return url.href;
}

async function runCompleteLogin(url) {
  const { stdout } = await promisify(execFile)(process.execPath, ['complete-login.mjs', url], { cwd: here });
  return new URL(stdout.trim());
}

async function postForm(endpoint, fields) {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

// Logs in as the test user and returns the token response of the code
// exchange, with the nonce that the authorize URL carried.
async function logIn({ withConsent = true } = {}) {
  const verifier = base64url(randomBytes(32));
  const challenge = base64url(createHash('sha256').update(verifier).digest());
  const state = base64url(randomBytes(12));
  const nonce = base64url(randomBytes(12));
  const redirect = await runCompleteLogin(authorizeUrl({
    state, nonce, challenge, withConsent,
  }));
  assert.equal(redirect.searchParams.get('state'), state);
  assert.equal(redirect.searchParams.get('iss'), issuer);
  const exchange = await postForm(discovery.token_endpoint, {
    grant_type: 'authorization_code',
    client_id: CLIENT_ID,
    code: redirect.searchParams.get('code'),
    redirect_uri: REDIRECT_URI,
    code_verifier: verifier,
  });
  assert.equal(exchange.status, 200, JSON.stringify(exchange.body?.error));
  return { tokens: exchange.body, nonce };
}

function refresh(refreshToken) {
  return postForm(discovery.token_endpoint, {
    grant_type: 'refresh_token',
    client_id: CLIENT_ID,
    refresh_token: refreshToken,
  });
}

test('discovery lists the endpoints the core reads', () => {
  assert.equal(discovery.issuer, issuer);
  for (const name of ['authorization_endpoint', 'token_endpoint', 'jwks_uri', 'userinfo_endpoint', 'revocation_endpoint']) {
    assert.ok(discovery[name]?.startsWith(`${issuer}/`), `${name} is missing or off the issuer`);
  }
  assert.deepEqual(discovery.code_challenge_methods_supported, ['S256']);
  assert.equal(discovery.authorization_response_iss_parameter_supported, true);
});

test('login with consent issues a refresh token and an id_token with the profile', async () => {
  const { tokens, nonce } = await logIn();
  assert.equal(typeof tokens.refresh_token, 'string');
  assert.equal(tokens.token_type, 'Bearer');
  const claims = decodeJwtClaims(tokens.id_token);
  assert.equal(claims.iss, issuer);
  assert.equal(claims.aud, CLIENT_ID);
  assert.equal(claims.nonce, nonce);
  assert.equal(claims.sub, 'test-user');
  assert.equal(claims.name, 'Test User');
  assert.equal(claims.email, 'test.user@example.com');
});

test('login without consent issues no refresh token', async () => {
  const { tokens } = await logIn({ withConsent: false });
  assert.equal(tokens.refresh_token, undefined);
});

test('refresh rotates the refresh token and rejects the old one', async () => {
  const { tokens } = await logIn();
  const renewed = await refresh(tokens.refresh_token);
  assert.equal(renewed.status, 200);
  assert.notEqual(renewed.body.refresh_token, tokens.refresh_token);
  assert.equal(typeof renewed.body.id_token, 'string');

  const replay = await refresh(tokens.refresh_token);
  assert.equal(replay.status, 400);
  assert.equal(replay.body.error, 'invalid_grant');
});

test('replaying a rotated refresh token revokes the newest one too', async () => {
  const { tokens } = await logIn();
  const renewed = await refresh(tokens.refresh_token);
  await refresh(tokens.refresh_token);
  const newest = await refresh(renewed.body.refresh_token);
  assert.equal(newest.status, 400);
  assert.equal(newest.body.error, 'invalid_grant');
});

test('userinfo returns the profile for the access token', async () => {
  const { tokens } = await logIn();
  const response = await fetch(discovery.userinfo_endpoint, {
    headers: { authorization: `Bearer ${tokens.access_token}` },
  });
  assert.equal(response.status, 200);
  const profile = await response.json();
  assert.equal(profile.sub, 'test-user');
  assert.equal(profile.email, 'test.user@example.com');
});

test('revocation ends the refresh token', async () => {
  const { tokens } = await logIn();
  const revocation = await postForm(discovery.revocation_endpoint, {
    client_id: CLIENT_ID,
    token: tokens.refresh_token,
    token_type_hint: 'refresh_token',
  });
  assert.equal(revocation.status, 200);
  const afterRevocation = await refresh(tokens.refresh_token);
  assert.equal(afterRevocation.status, 400);
  assert.equal(afterRevocation.body.error, 'invalid_grant');
});

test('complete-login exits 1 when the provider redirects with an error', async () => {
  const url = new URL(discovery.authorization_endpoint);
  url.search = new URLSearchParams({
    client_id: CLIENT_ID, response_type: 'code', redirect_uri: REDIRECT_URI, scope: 'openid', state: 'no-pkce',
  }).toString();
  await assert.rejects(runCompleteLogin(url.href), (error) => {
    assert.equal(error.code, 1);
    assert.match(error.stderr, /error invalid_request/);
    return true;
  });
});
