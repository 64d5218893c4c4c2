// The open room: its history (older pages load as the user scrolls up), live messages, the
// messages still on their way (pending, or failed with Retry), typing, members and read marks.

import { ApiError } from './api.js';
import { byId, el, shortTime } from './dom.js';
import { describe } from './messages.js';

const PAGE_SIZE = 50;
const TYPING_SHOWN_MS = 4_000;
const TYPING_SENT_EVERY_MS = 3_000;
/** Within this many pixels of an edge counts as at the edge. */
const EDGE_PX = 60;

export class RoomView {
  /** @param app the ChatApp: sends, typing, read marks, invite, leave, presence, friends */
  constructor(app) {
    this.app = app;
    this.root = byId('room-open');
    this.none = byId('room-none');
    this.title = byId('room-title');
    this.members = byId('room-members');
    this.scroller = byId('messages');
    this.list = byId('message-list');
    this.pendingList = byId('pending-list');
    this.historyState = byId('history-state');
    this.typingLine = byId('typing');
    this.input = byId('message-input');
    this.inviteForm = byId('invite');
    this.inviteSelect = byId('invite-friend');
    this.inviteError = byId('invite-error');
    this.room = null;
    this.reset();

    byId('composer').addEventListener('submit', (event) => {
      event.preventDefault();
      this.sendTyped();
    });
    this.input.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        this.sendTyped();
      }
    });
    this.input.addEventListener('input', () => {
      this.fitInput();
      if (this.room && this.input.value.trim() && Date.now() - this.typingSentAt > TYPING_SENT_EVERY_MS) {
        this.typingSentAt = Date.now();
        app.typing(this.room.roomId);
      }
    });
    this.scroller.addEventListener('scroll', () => {
      if (this.scroller.scrollTop < EDGE_PX) this.loadOlder();
      this.markReadIfSeen();
    });
    this.pendingList.addEventListener('click', (event) => {
      const button = event.target.closest('button[data-retry]');
      if (button) app.retry(button.dataset.retry);
    });
    byId('room-back').addEventListener('click', () => app.closeRoom());
    byId('leave-button').addEventListener('click', () => {
      if (this.room && confirm(`Leave ${this.room.name}?`)) app.leave(this.room.roomId);
    });
    byId('invite-button').addEventListener('click', () => this.toggleInvite(this.inviteForm.hidden));
    byId('invite-cancel').addEventListener('click', () => this.toggleInvite(false));
    this.inviteForm.addEventListener('keydown', (event) => {
      if (event.key !== 'Escape') return;
      this.toggleInvite(false);
      byId('invite-button').focus();
    });
    this.inviteForm.addEventListener('submit', async (event) => {
      event.preventDefault();
      this.inviteError.textContent = '';
      if (!this.inviteSelect.value) return;
      try {
        await app.invite(this.room.roomId, this.inviteSelect.value);
        this.toggleInvite(false);
      } catch (e) {
        this.inviteError.textContent = e instanceof ApiError ? describe(e) : 'Something went wrong.';
      }
    });
  }

  reset() {
    this.messages = new Map(); // seq → <li>
    this.oldestSeq = Infinity;
    this.newestSeq = 0;
    this.hasMore = false;
    this.loading = false;
    this.loaded = false;
    this.readSent = 0;
    this.typingSentAt = 0;
    this.typingUsers = new Map(); // userId → timer
    this.list.replaceChildren();
    this.pendingList.replaceChildren();
    this.historyState.textContent = '';
    this.typingLine.textContent = '';
  }

  get roomId() {
    return this.room ? this.room.roomId : null;
  }

  /** The newest seq shown, or null before the first page arrived. */
  resumeSeq() {
    return this.loaded ? this.newestSeq : null;
  }

  async open(room) {
    for (const timer of this.typingUsers.values()) clearTimeout(timer);
    this.reset();
    this.room = room;
    this.none.hidden = true;
    this.root.hidden = false;
    this.toggleInvite(false);
    this.renderHeader();
    this.renderPending();
    this.input.value = '';
    this.fitInput();
    this.input.focus();
    await this.loadPage(null);
  }

  close() {
    for (const timer of this.typingUsers.values()) clearTimeout(timer);
    this.room = null;
    this.reset();
    this.root.hidden = true;
    this.none.hidden = false;
  }

  /** A page of history: the newest (before = null) or the one before the oldest shown. */
  async loadPage(before) {
    const room = this.room;
    this.loading = true;
    this.historyState.textContent = 'Loading messages…';
    try {
      const query = before === null ? `limit=${PAGE_SIZE}` : `before=${before}&limit=${PAGE_SIZE}`;
      const page = await this.app.api.get(`/api/rooms/${room.roomId}/messages?${query}`);
      if (this.room !== room) return;
      const heightBefore = this.scroller.scrollHeight;
      const topBefore = this.scroller.scrollTop;
      this.add(page.messages);
      if (before === null) {
        this.loaded = true;
        this.scrollToBottom();
      } else {
        // Keep the messages the user is reading where they are.
        this.scroller.scrollTop = topBefore + (this.scroller.scrollHeight - heightBefore);
      }
      this.hasMore = page.hasMore;
      this.historyState.textContent = this.hasMore ? '' : 'This is the start of the room.';
    } catch (e) {
      if (this.room === room) this.historyState.textContent = 'Messages could not be loaded. Scroll up to try again.';
    } finally {
      this.loading = false;
    }
    // A first page too short to scroll cannot be scrolled up: fetch more until it can.
    if (this.room === room && this.hasMore && this.scroller.scrollHeight <= this.scroller.clientHeight) {
      this.loadOlder();
    }
    this.markReadIfSeen();
  }

  loadOlder() {
    if (this.room && this.loaded && this.hasMore && !this.loading) this.loadPage(this.oldestSeq);
  }

  /** Shows messages in seq order, each once, wherever they came from (history, live, ack). */
  add(messages) {
    const atBottom = this.isAtBottom();
    for (const message of messages) {
      if (this.messages.has(message.seq)) continue;
      const item = this.messageItem(message);
      this.messages.set(message.seq, item);
      let next = null;
      if (message.seq < this.newestSeq) {
        next = [...this.list.children].find((li) => Number(li.dataset.seq) > message.seq) || null;
      }
      this.list.insertBefore(item, next);
      this.oldestSeq = Math.min(this.oldestSeq, message.seq);
      this.newestSeq = Math.max(this.newestSeq, message.seq);
      this.stopTyping(message.senderId);
    }
    if (atBottom) this.scrollToBottom();
    this.markReadIfSeen();
  }

  messageItem(message) {
    const mine = message.senderId === this.app.me;
    return el('li', { class: mine ? 'message mine' : 'message', 'data-seq': message.seq, 'data-sender': message.senderId },
      el('p', { class: 'meta' },
        el('span', { class: 'sender' }, message.senderId),
        ' ',
        el('time', { datetime: message.sentAt }, shortTime(message.sentAt))),
      el('p', { class: 'text' }, message.text));
  }

  /** The room's messages that are not acknowledged yet, under the others. */
  renderPending() {
    if (!this.room) return;
    const atBottom = this.isAtBottom();
    const entries = this.app.pendingIn(this.room.roomId);
    this.pendingList.replaceChildren(...entries.map((entry) => el('li',
      { class: `message mine ${entry.state}`, 'data-client-msg-id': entry.clientMsgId },
      el('p', { class: 'meta' },
        el('span', { class: 'sender' }, this.app.me), ' ',
        el('span', { class: 'state' }, entry.state === 'failed' ? `Not sent: ${entry.reason}` : 'Sending…')),
      el('p', { class: 'text' }, entry.text),
      entry.state === 'failed'
        ? el('button', { type: 'button', class: 'retry', 'data-retry': entry.clientMsgId }, 'Retry')
        : null)));
    if (atBottom) this.scrollToBottom();
  }

  sendTyped() {
    const text = this.input.value;
    if (!this.room || !text.trim()) return;
    this.app.send(this.room.roomId, text);
    this.typingSentAt = 0; // the next words typed are announced again
    this.input.value = '';
    this.fitInput();
    this.scrollToBottom();
  }

  showTyping(userId) {
    clearTimeout(this.typingUsers.get(userId));
    this.typingUsers.set(userId, setTimeout(() => this.stopTyping(userId), TYPING_SHOWN_MS));
    this.renderTyping();
  }

  stopTyping(userId) {
    if (!this.typingUsers.has(userId)) return;
    clearTimeout(this.typingUsers.get(userId));
    this.typingUsers.delete(userId);
    this.renderTyping();
  }

  renderTyping() {
    const names = [...this.typingUsers.keys()];
    this.typingLine.textContent = names.length === 0 ? ''
      : names.length === 1 ? `${names[0]} is typing…`
        : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]} are typing…`;
  }

  /** The room's name and members (with presence) changed, or the friends did. */
  renderHeader() {
    if (!this.room) return;
    this.title.textContent = this.room.name;
    this.members.replaceChildren(...this.room.members.map((userId) => {
      const online = this.app.isOnline(userId);
      return el('li', { class: 'member' },
        el('span', { class: online ? 'dot online' : 'dot', 'aria-hidden': 'true' }),
        userId === this.app.me ? `${userId} (you)` : userId,
        el('span', { class: 'visually-hidden' }, online ? ', online' : online === false ? ', offline' : ''));
    }));
    const invitable = [...this.app.friends.values()].filter((f) => !this.room.members.includes(f.userId));
    this.inviteSelect.replaceChildren(...invitable.map((f) => el('option', { value: f.userId }, `${f.name} (@${f.userId})`)));
    byId('invite-button').disabled = invitable.length === 0;
  }

  toggleInvite(show) {
    this.inviteForm.hidden = !show;
    this.inviteError.textContent = '';
    byId('invite-button').setAttribute('aria-expanded', String(show));
    if (show) this.inviteSelect.focus();
  }

  /** Read marks follow what the user can see: the newest message, in a visible tab. */
  markReadIfSeen() {
    if (!this.room || !this.loaded || document.visibilityState !== 'visible') return;
    if (this.newestSeq > this.readSent && this.isAtBottom()) {
      this.readSent = this.newestSeq;
      this.app.markRead(this.room.roomId, this.newestSeq);
    }
  }

  isAtBottom() {
    return this.scroller.scrollHeight - this.scroller.scrollTop - this.scroller.clientHeight < EDGE_PX;
  }

  scrollToBottom() {
    this.scroller.scrollTop = this.scroller.scrollHeight;
  }

  fitInput() {
    this.input.style.height = 'auto';
    const borders = this.input.offsetHeight - this.input.clientHeight;
    this.input.style.height = `${Math.min(this.input.scrollHeight + borders, 160)}px`;
  }
}
