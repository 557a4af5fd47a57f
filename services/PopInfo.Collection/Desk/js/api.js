// This service's own API (/api/v1 and /desk): one call gives { status, ok, body }, status 0 when the server cannot be
// reached (the connection is lost: the caller shows it and offers to try again; nothing typed is dropped).
import { t, ruleText } from './i18n.js';
import { state } from './state.js';

let unauthorized = () => {};

/** What to do when a signed-in call answers 401 (the session ended): set once by the session module. */
export function onUnauthorized(handler) {
  unauthorized = handler;
}

export async function api(method, url, body, options = {}) {
  const init = { method, credentials: 'same-origin', headers: { Accept: 'application/json, application/problem+json' } };
  if (options.form) {
    init.body = options.form;
  } else if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }

  let response;
  let text;
  try {
    response = await fetch(url, init);
    text = await response.text();
  } catch {
    return { status: 0, ok: false, body: null };
  }

  let parsed = null;
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = null;
    }
  }

  if (response.status === 401 && state.session) {
    unauthorized();
  }

  return { status: response.status, ok: response.ok, body: parsed };
}

/** The violations of a problem; a conflict naming one field and rule counts as one. */
export function violationsOf(problem) {
  const body = problem?.body ?? problem ?? {};
  if (Array.isArray(body.violations)) {
    return body.violations;
  }

  return body.rule && body.field ? [{ field: body.field, rule: body.rule, message: body.detail ?? body.title ?? '' }] : [];
}

/** What a failed call means, in the page's language. */
export function headlineOf(result) {
  const body = result.body ?? {};
  if (result.status === 0) {
    return t('common.network');
  }

  if (result.status === 400) {
    return t('editor.refused');
  }

  if (result.status === 403) {
    return t('problem.forbidden');
  }

  if (result.status === 404) {
    return t('problem.notFound');
  }

  if (body.rule && ruleText(body.rule)) {
    return ruleText(body.rule);
  }

  if (result.status === 409) {
    return t('problem.conflict');
  }

  if (result.status === 503) {
    return t('problem.busy');
  }

  return t('common.unexpected', { status: result.status });
}
