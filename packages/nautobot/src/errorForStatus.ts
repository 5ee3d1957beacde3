import { errorDetail } from './errorDetail.ts';
import { NautobotError, type NautobotErrorCode } from './NautobotError.ts';

export interface StatusContext {
  method: string;
  /** `GET /api/dcim/interfaces/`. */
  request: string;
  origin: string;
  /** `dcim.interface`, when the path is one the client knows. */
  objectType: string | undefined;
  /** How many times the request was sent, for 429 and 5xx. */
  attempts: number;
}

/** DRF's words when a token is not accepted (nautobot/core/api/authentication.py and DRF). */
const tokenRejections = [/^Invalid token/, /^Token expired$/, /^User inactive$/];
const noCredentials = 'Authentication credentials were not provided.';

/** The permission a method needs in Nautobot's object permissions. */
const actionOf: Record<string, string> = {
  GET: 'view',
  HEAD: 'view',
  POST: 'add',
  PUT: 'change',
  PATCH: 'change',
  DELETE: 'delete',
};

/** Turns a non-2xx answer that will not be retried into a NautobotError. */
export function errorForStatus(status: number, text: string, context: StatusContext) {
  const detail = errorDetail(text);
  const said = detail === undefined ? `${status}` : `${status} "${detail}"`;
  const { origin, request } = context;
  const details = {
    request,
    status,
    ...(detail === undefined ? {} : { detail }),
    ...(context.objectType === undefined ? {} : { objectType: context.objectType }),
  };
  const make = (code: NautobotErrorCode, message: string) =>
    new NautobotError(code, message, details);

  if (status === 403 && detail !== undefined && tokenRejections.some((re) => re.test(detail))) {
    return make(
      'token_rejected',
      `Nautobot at ${origin} rejected the API token (${said}): token wrong or revoked. ` +
        'Expected a valid, unexpired token of an active user: create a token in Nautobot ' +
        '(user menu, API Tokens) and update the integration with it',
    );
  }
  if (status === 403 && detail === noCredentials) {
    return make(
      'unauthenticated',
      `Nautobot at ${origin} received ${request} without a token (${said}), although one was ` +
        'sent: a proxy in front of Nautobot probably drops the Authorization header; ' +
        'configure it to pass that header through',
    );
  }
  if (status === 403) return permissionDenied(context, said, make);
  if (status === 401) {
    // Nautobot 3.2.7 itself never answers 401: DRF's session authentication comes first in
    // every API view, and it asks for no WWW-Authenticate challenge, so token and Basic
    // failures are 403. A 401 therefore comes from something in front of Nautobot.
    return make(
      'unauthenticated',
      `${origin} answered ${request} with ${said}: not authenticated. Nautobot answers token ` +
        'problems with 403, so a proxy or login gateway in front of it asked for its own ' +
        'credentials: expected Nautobot itself at that URL; check the URL and the proxy',
    );
  }
  return otherStatus(status, said, context, make);
}

function permissionDenied(
  context: StatusContext,
  said: string,
  make: (code: NautobotErrorCode, message: string) => NautobotError,
): NautobotError {
  const action = actionOf[context.method] ?? context.method;
  const what = context.objectType ?? `the objects of ${context.request.split(' ')[1]}`;
  const readOnly = action === 'view' ? '' : ', or the token is read-only (write_enabled off)';
  return make(
    'permission_denied',
    `Nautobot at ${context.origin} refused ${context.request} (${said}): the token's user may ` +
      `not ${action} ${what}${readOnly}. Grant that user a permission with action "${action}" ` +
      `on ${what}, or use another token`,
  );
}

function otherStatus(
  status: number,
  said: string,
  { origin, request, attempts }: StatusContext,
  make: (code: NautobotErrorCode, message: string) => NautobotError,
): NautobotError {
  const tries = attempts === 1 ? 'once' : `${attempts} times`;
  if (status === 400) {
    return make(
      'bad_request',
      `Nautobot at ${origin} refused ${request} as invalid (${said}): fix the filters or body`,
    );
  }
  if (status === 404) {
    return make(
      'not_found',
      `Nautobot at ${origin} has nothing at ${request} (${said}): check the path or the id; ` +
        'the object may have been deleted',
    );
  }
  if (status === 409) {
    return make('conflict', `Nautobot at ${origin} refused ${request} (${said})`);
  }
  if (status === 429) {
    return make(
      'rate_limited',
      `Nautobot at ${origin} answered ${request} with ${said} (asked ${tries}): it limits ` +
        'request rates; try again later, or fetch fewer pages at once (maxParallelPages)',
    );
  }
  if (status >= 500) {
    return make(
      'server_error',
      `Nautobot at ${origin} failed on ${request} with ${said} (asked ${tries}): its own log ` +
        'says why; try again later',
    );
  }
  return make('http_status', `Nautobot at ${origin} answered ${request} with ${said}`);
}
