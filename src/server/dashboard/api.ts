/**
 * Reads the API with relative URLs (`api/v1/<path>.json`), which the server answers and the
 * static export has as files. With a read token, the token entered once is kept for the session.
 */
import { el, show } from './dom.js';

const TOKEN_KEY = 'benchgate-read-token';

/** An API answer that was not 2xx. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** GETs `api/v1/<path>.json` and parses it. */
export async function getJson<T>(path: string): Promise<T> {
  const token = sessionStorage.getItem(TOKEN_KEY);
  const res = await fetch(`api/v1/${path}.json`, {
    headers: token ? { Authorization: `Bearer ${token}` } : {},
    cache: 'no-cache',
  });
  if (!res.ok) {
    let message = `${res.status} ${res.statusText}`;
    try {
      message = ((await res.json()) as { error?: string }).error ?? message;
    } catch {
      // not JSON (e.g. a static host's 404 page)
    }
    throw new ApiError(res.status, message);
  }
  return (await res.json()) as T;
}

/** Shows an error, or the read-token form when the server asked for one. */
export function showError(e: unknown, retry: () => void): void {
  if (e instanceof ApiError && e.status === 401) {
    const input = el('input', {
      type: 'password',
      placeholder: 'read token',
      autocomplete: 'off',
      'aria-label': 'read token',
    });
    const form = el('form', { class: 'token' }, [
      el('p', { text: 'This dashboard needs a read token.' }),
      input,
      ' ',
      el('button', { type: 'submit', text: 'Open' }),
    ]);
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      sessionStorage.setItem(TOKEN_KEY, input.value.trim());
      retry();
    });
    show(form);
    return;
  }
  show(el('p', { class: 'error', text: `Could not load: ${(e as Error).message ?? String(e)}` }));
}
