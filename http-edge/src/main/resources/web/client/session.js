// The signed-in user's tokens, shared by every tab of this origin through localStorage.
//
// Refresh tokens are single-use: presenting a spent one revokes all of the user's tokens. So two
// tabs must never refresh with the same token. Refreshes run under a lock shared by the tabs; the
// tab that gets the lock second finds the pair the first one stored and uses it instead.

import { Api, ApiError } from './api.js';

const STORAGE_KEY = 'chat.session';
const LOCK_NAME = 'chat.session.refresh';
/** Refresh this long before the access token expires. */
const REFRESH_MARGIN_MS = 60_000;

export class Session {
  /** @param onEnded called with a reason when the session ends in this tab (sign-out, refresh refused, another tab signed out) */
  constructor(onEnded) {
    this.onEnded = onEnded;
    this.timer = null;
    this.ending = false;
    window.addEventListener('storage', (event) => {
      if (event.key !== STORAGE_KEY) return;
      if (!event.newValue) this.end('');
      else this.schedule();
    });
  }

  /** The stored session: {userId, accessToken, refreshToken, expiresAt}, or null. */
  stored() {
    try {
      return JSON.parse(localStorage.getItem(STORAGE_KEY));
    } catch (e) {
      return null;
    }
  }

  get userId() {
    const s = this.stored();
    return s ? s.userId : null;
  }

  /** Keeps a login or refresh answer. */
  save(userId, tokens) {
    const value = {
      userId,
      accessToken: tokens.accessToken,
      refreshToken: tokens.refreshToken,
      expiresAt: Date.now() + tokens.expiresIn * 1000,
    };
    localStorage.setItem(STORAGE_KEY, JSON.stringify(value));
    this.ending = false;
    this.schedule();
  }

  /** An access token that is good for a while yet, refreshed first if it is about to expire. */
  async accessToken() {
    const s = this.stored();
    if (!s) throw new ApiError(401, 'SIGNED_OUT', 'You are signed out.');
    if (s.expiresAt - Date.now() > REFRESH_MARGIN_MS) return s.accessToken;
    return this.refresh(s.accessToken);
  }

  /**
   * Replaces the access token `stale` (if no other tab has already) and returns a fresh one.
   * A refused refresh ends the session; a network failure leaves it as it is and throws.
   */
  async refresh(stale) {
    return withLock(async () => {
      const s = this.stored();
      if (!s) throw new ApiError(401, 'SIGNED_OUT', 'You are signed out.');
      if (s.accessToken !== stale && s.expiresAt - Date.now() > REFRESH_MARGIN_MS) {
        return s.accessToken; // another tab refreshed meanwhile
      }
      try {
        const tokens = await Api.anonymous('POST', '/api/auth/refresh', { refreshToken: s.refreshToken });
        this.save(s.userId, tokens);
        return tokens.accessToken;
      } catch (e) {
        if (e instanceof ApiError && e.status === 401) {
          this.end('Your session has ended. Please sign in again.');
        }
        throw e;
      }
    });
  }

  /** Refreshes a little before the access token expires, so calls and reconnects never wait on it. */
  schedule() {
    clearTimeout(this.timer);
    const s = this.stored();
    if (!s) return;
    const delay = Math.max(5_000, s.expiresAt - Date.now() - REFRESH_MARGIN_MS - Math.random() * 10_000);
    this.timer = setTimeout(() => {
      const current = this.stored();
      if (!current) return;
      this.refresh(current.accessToken).catch(() => this.schedule());
    }, delay);
  }

  /** Signs out on the server (best effort) and here; other tabs follow through the storage event. */
  async signOut() {
    const s = this.stored();
    if (s) {
      try {
        await fetch('/api/auth/logout', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${s.accessToken}` },
          body: JSON.stringify({ refreshToken: s.refreshToken }),
        });
      } catch (e) {
        // the tokens are forgotten here all the same
      }
    }
    this.end('');
  }

  /** Forgets the tokens and tells the page, once. */
  end(reason) {
    clearTimeout(this.timer);
    localStorage.removeItem(STORAGE_KEY);
    if (this.ending) return;
    this.ending = true;
    this.onEnded(reason);
  }
}

/** Runs `task` while no other tab of this origin runs one (Web Locks; a storage lease where they are missing). */
async function withLock(task) {
  if (navigator.locks) return navigator.locks.request(LOCK_NAME, task);
  return withStorageLease(task);
}

// Web Locks exist only in secure contexts (https, localhost). Elsewhere: a lease in localStorage,
// taken when free or expired, confirmed after a pause so a tab that wrote at the same moment wins alone.
async function withStorageLease(task) {
  const key = LOCK_NAME + '.lease';
  const me = Math.random().toString(36).slice(2);
  for (;;) {
    const lease = JSON.parse(localStorage.getItem(key) || 'null');
    if (!lease || lease.until < Date.now()) {
      localStorage.setItem(key, JSON.stringify({ owner: me, until: Date.now() + 10_000 }));
      await sleep(50);
      const held = JSON.parse(localStorage.getItem(key) || 'null');
      if (held && held.owner === me) {
        try {
          return await task();
        } finally {
          localStorage.removeItem(key);
        }
      }
    }
    await sleep(100 + Math.random() * 100);
  }
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
