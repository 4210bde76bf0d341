// A real OpenID Connect provider (the npm package `oidc-provider`) on
// 127.0.0.1, for the SessionCore tests. It prints its issuer URL as the first
// line of stdout, logs to stderr, and exits when stdin closes or on SIGTERM.
//
// Usage: node server.mjs [--port N] [--ignore-stdin]
//
// Environment (times in seconds):
//   OIDC_PORT                 port to listen on; 0 or unset picks a free one
//   OIDC_ACCESS_TOKEN_TTL     access token lifetime, default 300
//   OIDC_ID_TOKEN_TTL         id_token lifetime, default 300
//   OIDC_REFRESH_TOKEN_TTL    refresh token lifetime, default 3600
//   OIDC_ID_TOKEN_ALG         id_token signing algorithm, RS256 (default) or ES256

import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import process from 'node:process';

import Provider from 'oidc-provider';

const CLIENT_ID = 'sessioncore-test';
const REDIRECT_URIS = [
  // RFC 8252 section 7.3: loopback redirect for native apps.
  'http://127.0.0.1/callback',
  // RFC 8252 section 7.1: oidc-provider accepts a private-use scheme for a
  // native client only when the scheme contains a dot (reverse domain name).
  'dev.sessioncore.test://callback',
];

// The profile of every account. The development login page accepts any
// password, and the login name becomes the `sub`. complete-login.mjs logs in
// as `test-user`.
const TEST_PROFILE = {
  name: 'Test User',
  given_name: 'Test',
  family_name: 'User',
  nickname: 'tester',
  email: 'test.user@example.com',
  email_verified: true,
};

const SIGNING_ALGORITHMS = new Set(['RS256', 'ES256']);

function parseArguments(argv) {
  const options = { port: undefined, ignoreStdin: false };
  for (let i = 0; i < argv.length; i += 1) {
    const argument = argv[i];
    if (argument === '--port') {
      options.port = argv[i + 1];
      i += 1;
    } else if (argument === '--ignore-stdin') {
      options.ignoreStdin = true;
    } else {
      throw new Error(`unknown argument ${JSON.stringify(argument)}, expected --port N or --ignore-stdin`);
    }
  }
  return options;
}

function readSeconds(name, fallback) {
  const text = process.env[name];
  if (text === undefined || text === '') {
    return fallback;
  }
  const seconds = Number(text);
  if (!Number.isInteger(seconds) || seconds <= 0) {
    throw new Error(`${name} must be a positive whole number of seconds, got ${JSON.stringify(text)}`);
  }
  return seconds;
}

function readPort(text) {
  if (text === undefined || text === '') {
    return 0;
  }
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`the port must be a whole number from 0 to 65535, got ${JSON.stringify(text)}`);
  }
  return port;
}

// Signing keys made at each start, so no key is ever committed.
function makeSigningKeys() {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' });
  return [
    { ...rsa, kid: `rsa-${randomBytes(6).toString('hex')}`, alg: 'RS256', use: 'sig' },
    { ...ec, kid: `ec-${randomBytes(6).toString('hex')}`, alg: 'ES256', use: 'sig' },
  ];
}

function makeConfiguration({ accessTokenTtl, idTokenTtl, refreshTokenTtl, idTokenAlg }) {
  // A grant or session that ends before its refresh token would make the
  // refresh token useless early.
  const grantTtl = Math.max(refreshTokenTtl, 3600);
  return {
    clients: [{
      client_id: CLIENT_ID,
      application_type: 'native',
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      redirect_uris: REDIRECT_URIS,
      id_token_signed_response_alg: idTokenAlg,
    }],
    jwks: { keys: makeSigningKeys() },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    scopes: ['openid', 'offline_access', 'profile', 'email'],
    claims: {
      openid: ['sub'],
      profile: ['name', 'given_name', 'family_name', 'nickname'],
      email: ['email', 'email_verified'],
    },
    // By default oidc-provider puts the profile and email claims only in the
    // userinfo response for the code flow. The tests read them from the
    // id_token as well.
    conformIdTokenClaims: false,
    async findAccount(ctx, id) {
      return {
        accountId: id,
        async claims() {
          return { sub: id, ...TEST_PROFILE };
        },
      };
    },
    features: {
      devInteractions: { enabled: true },
      revocation: { enabled: true },
      userinfo: { enabled: true },
    },
    pkce: {
      methods: ['S256'],
      required: () => true,
    },
    // oidc-provider keeps `offline_access` only when the authorize request
    // carries `prompt=consent` (OpenID Connect Core 1.0, section 11).
    async issueRefreshToken(ctx, client, code) {
      return client.clientId === CLIENT_ID
        && client.grantTypeAllowed('refresh_token')
        && code.scopes.has('offline_access');
    },
    // Each refresh returns a new refresh token and consumes the old one. A
    // consumed refresh token used again revokes the whole grant.
    rotateRefreshToken: true,
    ttl: {
      AccessToken: accessTokenTtl,
      AuthorizationCode: 60,
      IdToken: idTokenTtl,
      RefreshToken: refreshTokenTtl,
      Interaction: 600,
      Session: grantTtl,
      Grant: grantTtl,
    },
  };
}

function logProviderErrors(provider) {
  // Error objects from oidc-provider carry codes and descriptions, never a
  // token, so they are safe to log.
  const events = [
    'authorization.error',
    'grant.error',
    'revocation.error',
    'userinfo.error',
    'server_error',
  ];
  for (const event of events) {
    provider.on(event, (ctx, error) => {
      const detail = error.error_description ? `: ${error.error_description}` : '';
      console.error(`oidc-provider ${event}: ${error.error ?? error.name} ${error.message}${detail}`);
    });
  }
}

async function main() {
  // oidc-provider prints some notices with console.info. Stdout carries only
  // the issuer line, which the test harness reads, so send the notices to stderr.
  console.info = console.error;
  console.log = console.error;

  const options = parseArguments(process.argv.slice(2));
  const port = readPort(options.port ?? process.env.OIDC_PORT);
  const settings = {
    accessTokenTtl: readSeconds('OIDC_ACCESS_TOKEN_TTL', 300),
    idTokenTtl: readSeconds('OIDC_ID_TOKEN_TTL', 300),
    refreshTokenTtl: readSeconds('OIDC_REFRESH_TOKEN_TTL', 3600),
    idTokenAlg: process.env.OIDC_ID_TOKEN_ALG || 'RS256',
  };
  if (!SIGNING_ALGORITHMS.has(settings.idTokenAlg)) {
    throw new Error(`OIDC_ID_TOKEN_ALG must be one of ${[...SIGNING_ALGORITHMS].join(', ')}, got ${JSON.stringify(settings.idTokenAlg)}`);
  }

  // The issuer URL contains the port, so the server listens before the
  // provider exists, and requests reach the provider once it does.
  let handleRequest;
  const server = createServer((req, res) => handleRequest(req, res));
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const issuer = `http://127.0.0.1:${server.address().port}`;

  const provider = new Provider(issuer, makeConfiguration(settings));
  logProviderErrors(provider);
  handleRequest = provider.callback();

  process.stdout.write(`${issuer}\n`);
  console.error(`oidc-provider listening at ${issuer} (client ${CLIENT_ID}, id_token ${settings.idTokenAlg}, `
    + `access token ${settings.accessTokenTtl} s, id_token ${settings.idTokenTtl} s, `
    + `refresh token ${settings.refreshTokenTtl} s)`);

  let stopping = false;
  const stop = (reason) => {
    if (stopping) {
      return;
    }
    stopping = true;
    console.error(`oidc-provider stopping: ${reason}`);
    server.close(() => process.exit(0));
    // Keep-alive connections would hold close() open.
    server.closeAllConnections();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  if (!options.ignoreStdin) {
    process.stdin.on('end', () => stop('stdin closed'));
    process.stdin.on('error', () => stop('stdin failed'));
    process.stdin.resume();
  }
}

main().catch((error) => {
  console.error(`oidc-provider failed to start: ${error.message}`);
  process.exit(1);
});
