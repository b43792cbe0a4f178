// Calls to the HTTP API as the web pages make them: JSON bodies, the
// session cookie sent by the browser, the anti-forgery token in a header
// on every state-changing request, and refusals turned into an ApiError
// that carries the server's plain-language message.

import { apiPath } from "./centre.js";
import { errorText } from "./i18n.js";

let csrfToken = "";

export function setCsrfToken(token) {
  csrfToken = token ?? "";
}

export class ApiError extends Error {
  constructor(status, error) {
    super(errorText(error));
    this.status = status;
    this.code = error?.code ?? "";
    this.error = error;
  }
}

// Calls `path` (at the page's centre, centre.js); resolves with the parsed JSON answer, rejects with an
// ApiError (the server's message) or a network ApiError.
export async function call(method, path, body, { token } = {}) {
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (token) headers.Authorization = `Bearer ${token}`;
  else if (method !== "GET" && csrfToken) headers["X-CSRF-Token"] = csrfToken;
  let response;
  try {
    response = await fetch(apiPath(path), {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "same-origin",
      cache: "no-store",
    });
  } catch {
    throw new ApiError(0, null);
  }
  const text = await response.text();
  let parsed = null;
  try {
    parsed = text ? JSON.parse(text) : {};
  } catch {
    parsed = null;
  }
  if (!response.ok) throw new ApiError(response.status, parsed);
  return parsed ?? {};
}

export const get = (path, options) => call("GET", path, undefined, options);
export const post = (path, body, options) => call("POST", path, body ?? {}, options);
export const remove = (path, options) => call("DELETE", path, undefined, options);
