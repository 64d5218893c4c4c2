// The signed-in user's tokens, shared by every tab of this origin through localStorage.
//
// Refresh tokens are single-use: presenting a spent one revokes all of the user's tokens. So two
// tabs must never refresh with the same token. One tab refreshes for all: the leader, the tab that
// holds a Web Lock for as long as it is open (when it closes, the next tab gets the lock). The
// others take the new tokens from localStorage when its change reaches them. A lock taken per
// refresh would not do: a write to localStorage reaches other tabs a moment later, so the next
// holder could still read the token just spent.

import { Api, ApiError } from './api.js';

const STORAGE_KEY = 'chat.session';
/** Why the last session ended, for the other tabs to show too. */
const ENDED_KEY = 'chat.session.ended';
const LEADER_LOCK = 'chat.session.leader';
/** Refresh this long before the access token expires. */
const REFRESH_MARGIN_MS = 60_000;
/** How long a tab waits for the leader's new tokens before it gives up on a call. */
const FOLLOWER_WAIT_MS = 15_000;

export class Session {
  /** @param onEnded called with a reason when the session ends in this tab (sign-out, refresh refused, another tab signed out) */
  constructor(onEnded) {
    this.onEnded = onEnded;
    this.timer = null;
    this.ending = false;
    this.refreshing = null; // the leader's refresh in flight
    this.waiters = new Set(); // followers' calls waiting for new tokens
    this.leader = false;
    if (navigator.locks) {
      navigator.locks.request(LEADER_LOCK, () => {
        this.leader = true;
        this.schedule();
        return new Promise(() => {}); // held until the tab closes
      });
    } else {
      // Web Locks exist only in secure contexts (https, localhost). Elsewhere every tab refreshes
      // for itself, one at a time under a lease in localStorage.
      this.leader = true;
    }
    window.addEventListener('storage', (event) => {
      if (event.key !== STORAGE_KEY) return;
      if (!event.newValue) {
        this.end(localStorage.getItem(ENDED_KEY) || '');
        return;
      }
      this.ending = false; // signed in (again) in another tab
      this.schedule();
      for (const wake of this.waiters) wake();
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
    localStorage.removeItem(ENDED_KEY);
    localStorage.setItem(STORAGE_KEY, JSON.stringify(value));
    this.ending = false;
    this.schedule();
  }

  /** An access token that is good for a while yet, refreshed first if it is about to expire. */
  async accessToken() {
    const s = this.stored();
    if (!s) throw signedOut();
    if (fresh(s)) return s.accessToken;
    return this.refresh(s.accessToken);
  }

  /**
   * A fresh access token in place of `stale`. The leader asks the server (once, however many
   * calls wait); other tabs wait for the leader's. A refused refresh ends the session; a network
   * failure leaves it as it is and throws.
   */
  refresh(stale) {
    const s = this.stored();
    if (!s) return Promise.reject(signedOut());
    if (s.accessToken !== stale && fresh(s)) return Promise.resolve(s.accessToken);
    if (!this.leader) return this.awaitNewTokens(stale);
    if (!this.refreshing) {
      const run = navigator.locks ? () => this.refreshOnServer(stale) : () => withStorageLease(() => this.refreshOnServer(stale));
      this.refreshing = run().finally(() => { this.refreshing = null; });
    }
    return this.refreshing;
  }

  async refreshOnServer(stale) {
    const s = this.stored();
    if (!s) throw signedOut();
    if (s.accessToken !== stale && fresh(s)) return s.accessToken;
    try {
      const tokens = await Api.anonymous('POST', '/api/auth/refresh', { refreshToken: s.refreshToken });
      this.save(s.userId, tokens);
      return tokens.accessToken;
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) this.end('Your session has ended. Please sign in again.');
      throw e;
    }
  }

  awaitNewTokens(stale) {
    return new Promise((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      const check = () => {
        const s = this.stored();
        if (!s) {
          done();
          reject(signedOut());
        } else if (s.accessToken !== stale && fresh(s)) {
          done();
          resolve(s.accessToken);
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new ApiError(0, 'NETWORK', 'The session could not be renewed yet; trying again.'));
      }, FOLLOWER_WAIT_MS);
      this.waiters.add(check);
      check();
    });
  }

  /** The leader refreshes a little before the access token expires, so calls never wait on it. */
  schedule() {
    clearTimeout(this.timer);
    const s = this.stored();
    if (!s || !this.leader) return;
    const delay = Math.max(2_000, s.expiresAt - Date.now() - REFRESH_MARGIN_MS);
    this.timer = setTimeout(() => {
      const current = this.stored();
      if (current) this.refresh(current.accessToken).catch(() => this.schedule());
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
    if (localStorage.getItem(STORAGE_KEY) !== null) {
      localStorage.setItem(ENDED_KEY, reason);
      localStorage.removeItem(STORAGE_KEY);
    }
    if (this.ending) return;
    this.ending = true;
    this.onEnded(reason);
  }
}

function fresh(s) {
  return s.expiresAt - Date.now() > REFRESH_MARGIN_MS;
}

function signedOut() {
  return new ApiError(401, 'SIGNED_OUT', 'You are signed out.');
}

const LEASE_KEY = 'chat.session.lease';

// A lease in localStorage, taken when free or expired and confirmed after a pause, so that of two
// tabs writing at the same moment one goes on alone.
async function withStorageLease(task) {
  const me = Math.random().toString(36).slice(2);
  for (;;) {
    const lease = JSON.parse(localStorage.getItem(LEASE_KEY) || 'null');
    if (!lease || lease.until < Date.now()) {
      localStorage.setItem(LEASE_KEY, JSON.stringify({ owner: me, until: Date.now() + 10_000 }));
      await sleep(50);
      const held = JSON.parse(localStorage.getItem(LEASE_KEY) || 'null');
      if (held && held.owner === me) {
        try {
          return await task();
        } finally {
          localStorage.removeItem(LEASE_KEY);
        }
      }
    }
    await sleep(100 + Math.random() * 100);
  }
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
