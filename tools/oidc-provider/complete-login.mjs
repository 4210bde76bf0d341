// Completes a login at the oidc-provider of server.mjs the way a person would
// in a browser, through its development login and consent pages, and prints
// the redirect URL that carries the authorization code.
//
// Usage: node complete-login.mjs AUTHORIZE_URL [--login NAME] [--password TEXT]
//
// It keeps cookies and follows each redirect itself, so that it can stop at
// the redirect to the app's redirect URI instead of trying to load it. On
// success it prints that redirect URL (with `code`, `state` and `iss`) as the
// only line of stdout and exits 0; otherwise it explains on stderr and exits 1.

import process from 'node:process';

const MAX_STEPS = 20;
const DEFAULT_LOGIN = 'test-user';
const DEFAULT_PASSWORD = 'any-password';

class LoginError extends Error {}

function parseArguments(argv) {
  const options = { authorizeUrl: undefined, login: DEFAULT_LOGIN, password: DEFAULT_PASSWORD };
  for (let i = 0; i < argv.length; i += 1) {
    const argument = argv[i];
    if (argument === '--login' || argument === '--password') {
      if (i + 1 >= argv.length) {
        throw new LoginError(`${argument} needs a value`);
      }
      options[argument.slice(2)] = argv[i + 1];
      i += 1;
    } else if (options.authorizeUrl === undefined) {
      options.authorizeUrl = argument;
    } else {
      throw new LoginError(`unexpected argument ${JSON.stringify(argument)}`);
    }
  }
  if (options.authorizeUrl === undefined) {
    throw new LoginError('usage: node complete-login.mjs AUTHORIZE_URL [--login NAME] [--password TEXT]');
  }
  return options;
}

// A cookie jar for one host. It is enough for oidc-provider, which scopes its
// interaction cookies by path and deletes them with an expiry in the past.
class CookieJar {
  constructor() {
    this.cookies = new Map();
  }

  store(setCookieHeaders, requestUrl) {
    for (const header of setCookieHeaders) {
      const [pair, ...attributes] = header.split(';');
      const separator = pair.indexOf('=');
      if (separator <= 0) {
        continue;
      }
      const name = pair.slice(0, separator).trim();
      const value = pair.slice(separator + 1).trim();
      let path = '/';
      let expired = value === '';
      for (const attribute of attributes) {
        const [key, ...rest] = attribute.split('=');
        const attributeName = key.trim().toLowerCase();
        const attributeValue = rest.join('=').trim();
        if (attributeName === 'path' && attributeValue.startsWith('/')) {
          path = attributeValue;
        } else if (attributeName === 'max-age' && Number(attributeValue) <= 0) {
          expired = true;
        } else if (attributeName === 'expires' && Date.parse(attributeValue) <= Date.now()) {
          expired = true;
        }
      }
      const key = `${name};${path}`;
      if (expired) {
        this.cookies.delete(key);
      } else {
        this.cookies.set(key, { name, value, path, host: requestUrl.host });
      }
    }
  }

  headerFor(url) {
    const matching = [...this.cookies.values()].filter((cookie) => cookie.host === url.host
      && (url.pathname === cookie.path
        || url.pathname.startsWith(cookie.path.endsWith('/') ? cookie.path : `${cookie.path}/`)));
    return matching.map((cookie) => `${cookie.name}=${cookie.value}`).join('; ');
  }
}

function decodeHtml(text) {
  return text
    .replace(/&#x([0-9a-f]+);/gi, (_, hex) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#([0-9]+);/g, (_, decimal) => String.fromCodePoint(Number(decimal)))
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

function readAttributes(tagBody) {
  const attributes = {};
  for (const match of tagBody.matchAll(/([a-zA-Z_:][-\w:.]*)\s*=\s*"([^"]*)"/g)) {
    attributes[match[1].toLowerCase()] = decodeHtml(match[2]);
  }
  return attributes;
}

// Reads the first POST form of a page: its action and its input fields, with
// the login and password fields filled in.
function readForm(html, pageUrl, options) {
  const form = html.match(/<form\b([^>]*)>([\s\S]*?)<\/form>/i);
  if (!form) {
    return undefined;
  }
  const formAttributes = readAttributes(form[1]);
  if ((formAttributes.method ?? 'get').toLowerCase() !== 'post') {
    return undefined;
  }
  const fields = new URLSearchParams();
  for (const input of form[2].matchAll(/<input\b([^>]*)>/gi)) {
    const attributes = readAttributes(input[1]);
    if (!attributes.name) {
      continue;
    }
    if (attributes.name === 'login') {
      fields.set('login', options.login);
    } else if (attributes.name === 'password') {
      fields.set('password', options.password);
    } else {
      fields.set(attributes.name, attributes.value ?? '');
    }
  }
  return { action: new URL(formAttributes.action ?? '', pageUrl), fields };
}

// Returns the visible text of an error page, shortened, for the message.
function summarizePage(html) {
  const text = html
    .replace(/<(script|style)\b[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return decodeHtml(text).slice(0, 400);
}

// Checks the redirect to the app and returns it, or explains what is wrong
// with it. The message names missing parameters but never prints the code.
function checkAppRedirect(location, expectedState) {
  const params = location.searchParams;
  if (params.has('error')) {
    const description = params.get('error_description');
    throw new LoginError(`the provider redirected to the app with error ${params.get('error')}`
      + `${description ? ` (${description})` : ''}`);
  }
  const missing = ['code', 'state', 'iss'].filter((name) => !params.get(name));
  if (missing.length > 0) {
    throw new LoginError(`the redirect to the app is missing ${missing.join(', ')}`);
  }
  if (expectedState !== null && params.get('state') !== expectedState) {
    throw new LoginError('the redirect to the app carries a state that differs from the authorize URL\'s');
  }
  return location;
}

async function completeLogin(options) {
  let authorizeUrl;
  try {
    authorizeUrl = new URL(options.authorizeUrl);
  } catch {
    throw new LoginError('the authorize URL is not a valid absolute URL');
  }
  const redirectUri = authorizeUrl.searchParams.get('redirect_uri');
  if (!redirectUri) {
    throw new LoginError('the authorize URL has no redirect_uri parameter');
  }
  const expectedState = authorizeUrl.searchParams.get('state');

  const jar = new CookieJar();
  let request = { url: authorizeUrl, method: 'GET', body: undefined };
  for (let step = 0; step < MAX_STEPS; step += 1) {
    const headers = { accept: 'text/html' };
    const cookie = jar.headerFor(request.url);
    if (cookie) {
      headers.cookie = cookie;
    }
    if (request.body) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
    }
    let response;
    try {
      response = await fetch(request.url, {
        method: request.method, headers, body: request.body, redirect: 'manual',
      });
    } catch (error) {
      throw new LoginError(`${request.method} ${request.url.origin}${request.url.pathname} failed: ${error.cause?.message ?? error.message}`);
    }
    jar.store(response.headers.getSetCookie(), request.url);

    if (response.status >= 300 && response.status < 400) {
      const target = response.headers.get('location');
      if (!target) {
        throw new LoginError(`HTTP ${response.status} from ${request.url.pathname} has no Location header`);
      }
      const location = new URL(target, request.url);
      if (location.href.startsWith(redirectUri)) {
        return checkAppRedirect(location, expectedState);
      }
      request = { url: location, method: 'GET', body: undefined };
      continue;
    }

    const html = await response.text();
    if (response.status !== 200) {
      throw new LoginError(`HTTP ${response.status} from ${request.url.pathname}: ${summarizePage(html)}`);
    }
    const form = readForm(html, request.url, options);
    if (!form) {
      throw new LoginError(`the page at ${request.url.pathname} has no form to submit: ${summarizePage(html)}`);
    }
    request = { url: form.action, method: 'POST', body: form.fields.toString() };
  }
  throw new LoginError(`no redirect to ${redirectUri} after ${MAX_STEPS} requests`);
}

try {
  const redirect = await completeLogin(parseArguments(process.argv.slice(2)));
  process.stdout.write(`${redirect.href}\n`);
} catch (error) {
  const prefix = error instanceof LoginError ? 'login failed' : 'login failed unexpectedly';
  console.error(`complete-login: ${prefix}: ${error.message}`);
  process.exit(1);
}
