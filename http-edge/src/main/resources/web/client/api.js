// The REST API: JSON in and out, the bearer token from the session, errors as ApiError.

export class ApiError extends Error {
  /** status 0 means the server could not be reached. */
  constructor(status, code, message, field) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = field;
  }
}

export class Api {
  /** @param session the Session that holds the tokens (null for the calls that need none) */
  constructor(session) {
    this.session = session;
  }

  get(path) { return this.request('GET', path); }
  post(path, body) { return this.request('POST', path, body); }
  delete(path) { return this.request('DELETE', path); }

  /** A call without a token: register, login, refresh. */
  static async anonymous(method, path, body) {
    return send(method, path, body, null);
  }

  /**
   * A call with the access token. A 401 means the token expired early or was refreshed by another
   * tab: refresh once and try again; the session signs out if the refresh is refused.
   */
  async request(method, path, body) {
    const token = await this.session.accessToken();
    try {
      return await send(method, path, body, token);
    } catch (e) {
      if (!(e instanceof ApiError) || e.status !== 401) throw e;
      const fresh = await this.session.refresh(token);
      return send(method, path, body, fresh);
    }
  }
}

async function send(method, path, body, token) {
  const headers = {};
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
    });
  } catch (e) {
    throw new ApiError(0, 'NETWORK', 'The server cannot be reached. Check your connection and try again.');
  }
  if (response.status === 204) return null;
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch (e) {
    // not JSON: a proxy's error page, for example
  }
  if (response.ok) return json;
  const error = json && json.error;
  if (error && error.code) throw new ApiError(response.status, error.code, error.message, error.field);
  throw new ApiError(response.status, 'HTTP_' + response.status, `The server answered ${response.status}.`);
}
