// The signed-in client: rooms, friends and the open room, kept live over the WebSocket.
//
// What the client knows is refreshed over REST after every (re)connect, because presence and room
// notices are not replayed. Messages are: each room is subscribed with afterSeq = the last seq
// this client has, so nothing sent meanwhile is missed, and messages are kept by seq, so nothing
// is shown twice. Sends wait in an outbox until their ack, and go out again (same clientMsgId)
// after a reconnect; the server stores a retried clientMsgId once.

import { ApiError } from './api.js';
import { Connection } from './connection.js';
import { byId, el, randomId } from './dom.js';
import { describe } from './messages.js';
import { FriendList } from './friend-list.js';
import { RoomList } from './room-list.js';
import { RoomView } from './room-view.js';

/** A send not acknowledged this long after it went out on an open socket is shown as failed. */
const ACK_WITHIN_MS = 10_000;
/** Friendships made by others send no frame: the list is read again this often while visible. */
const FRIENDS_EVERY_MS = 30_000;

const CONNECTION_TEXT = {
  connecting: 'connecting…',
  connected: 'connected',
  reconnecting: 'reconnecting…',
  offline: 'offline, waiting for the network…',
};

export class ChatApp {
  constructor(session, api) {
    this.session = session;
    this.api = api;
    this.root = byId('app');
    this.status = byId('connection');
    this.me = null;
    this.rooms = new Map(); // roomId → room as the API gives it, kept live
    this.friends = new Map(); // userId → friend
    this.presence = new Map(); // userId → online, for members who are not friends
    this.outbox = new Map(); // clientMsgId → {roomId, clientMsgId, text, state, reason, timer}
    this.roomList = new RoomList((roomId) => this.openRoom(roomId));
    this.friendList = new FriendList((userId) => this.addFriend(userId), (userId) => this.removeFriend(userId));
    this.view = new RoomView(this);
    this.connection = new Connection({
      url: (previousFailed) => this.socketUrl(previousFailed),
      onOpen: () => this.resync(),
      onFrame: (frame) => this.onFrame(frame),
      onState: (state) => {
        this.status.textContent = CONNECTION_TEXT[state];
        this.status.dataset.state = state;
      },
    });
    this.setUpNewRoomForm();
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState !== 'visible' || !this.me) return;
      this.view.markReadIfSeen();
      this.loadFriends().catch(() => {});
    });
  }

  async start(userId) {
    this.me = userId;
    byId('me-name').textContent = userId;
    this.root.hidden = false;
    this.friendsTimer = setInterval(() => {
      if (document.visibilityState === 'visible') this.loadFriends().catch(() => {});
    }, FRIENDS_EVERY_MS);
    this.connection.start();
    try {
      const me = await this.api.get('/api/users/me');
      byId('me-name').textContent = `${me.name} (@${me.userId})`;
      await Promise.all([this.loadRooms(), this.loadFriends()]);
    } catch (e) {
      // Signed out meanwhile, or the server is away: the connection retries and reloads.
    }
  }

  stop() {
    this.connection.stop();
    clearInterval(this.friendsTimer);
    for (const entry of this.outbox.values()) clearTimeout(entry.timer);
    this.outbox.clear();
    this.view.close();
    this.rooms = new Map();
    this.friends = new Map();
    this.presence = new Map();
    this.roomList.render(this.rooms, null);
    this.friendList.render(this.friends);
    this.me = null;
    this.root.hidden = true;
    document.body.classList.remove('room-is-open');
    document.title = 'Chat';
  }

  async socketUrl(previousFailed) {
    // A refused upgrade shows no status to a browser: ask over REST, which refreshes the token on a 401.
    if (previousFailed) await this.api.get('/api/users/me');
    const token = await this.session.accessToken();
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    return `${scheme}//${location.host}/ws?access_token=${encodeURIComponent(token)}`;
  }

  /** After each (re)connect: what changed while away, then subscriptions, then unsent messages. */
  async resync() {
    try {
      await Promise.all([this.loadRooms(), this.loadFriends()]);
    } catch (e) {
      // subscribe to the rooms known so far all the same
    }
    if (!this.connection.isOpen) return;
    for (const room of this.rooms.values()) this.subscribe(room);
    for (const entry of this.outbox.values()) {
      if (entry.state === 'pending') this.transmit(entry);
    }
  }

  subscribe(room) {
    const open = this.view.roomId === room.roomId ? this.view.resumeSeq() : null;
    this.connection.send({ type: 'subscribe', roomId: room.roomId, afterSeq: open !== null ? open : room.lastSeq });
  }

  // ---- frames ----

  onFrame(frame) {
    switch (frame.type) {
      case 'message': this.onMessage(frame); break;
      case 'ack': this.onAck(frame); break;
      case 'typing':
        if (frame.roomId === this.view.roomId && frame.userId !== this.me) this.view.showTyping(frame.userId);
        break;
      case 'presence': this.onPresence(frame); break;
      case 'room': this.onRoomEvent(frame); break;
      case 'unsubscribed':
        // The user left the room (from this device or another).
        if (this.rooms.has(frame.roomId)) this.loadRooms().catch(() => {});
        break;
      case 'error': this.onError(frame); break;
      default: break; // subscribed, and frame types this client does not know yet
    }
  }

  onMessage(message) {
    const room = this.rooms.get(message.roomId);
    if (!room) return;
    if (message.senderId === this.me && this.outbox.has(message.clientMsgId)) this.delivered(message.clientMsgId);
    if (message.seq > room.lastSeq) {
      room.lastSeq = message.seq;
      room.lastMessage = message;
      if (message.senderId !== this.me) room.unread += 1;
    }
    if (room.roomId === this.view.roomId) this.view.add([message]);
    this.renderRooms();
  }

  onAck(ack) {
    const entry = this.outbox.get(ack.clientMsgId);
    if (!entry) return;
    this.delivered(ack.clientMsgId);
    this.onMessage({
      roomId: ack.roomId, seq: ack.seq, senderId: this.me, text: entry.text, sentAt: ack.sentAt,
      clientMsgId: ack.clientMsgId,
    });
  }

  onPresence({ userId, online }) {
    const friend = this.friends.get(userId);
    if (friend) friend.online = online;
    else this.loadFriends().catch(() => {}); // a new friend
    this.presence.set(userId, online);
    this.friendList.render(this.friends);
    this.view.renderHeader();
  }

  async onRoomEvent({ roomId, event, userId }) {
    if (event === 'left' && userId === this.me) {
      this.forget(roomId);
      return;
    }
    // Whoever added this user to a room may have befriended them just before: no frame says so.
    if (userId !== this.me && !this.friends.has(userId)) this.loadFriends().catch(() => {});
    try {
      const room = await this.api.get(`/api/rooms/${roomId}`);
      const known = this.rooms.get(roomId);
      if (known) {
        known.name = room.name;
        known.members = room.members;
      } else {
        this.rooms.set(roomId, room);
        this.subscribe(room);
      }
      this.renderRooms();
      if (roomId === this.view.roomId) this.view.renderHeader();
    } catch (e) {
      if (e instanceof ApiError && (e.status === 403 || e.status === 404)) this.forget(roomId);
    }
  }

  onError(error) {
    const entry = error.ref && this.outbox.get(error.ref);
    if (entry) {
      this.fail(entry, describe(error));
    } else if (error.code === 'NOT_A_MEMBER' && this.rooms.has(error.ref)) {
      this.forget(error.ref);
    }
  }

  // ---- sending ----

  send(roomId, text) {
    const entry = { roomId, clientMsgId: randomId(), text, state: 'pending', reason: '', timer: null };
    this.outbox.set(entry.clientMsgId, entry);
    this.transmit(entry);
  }

  /** Sends (or sends again, with the same clientMsgId) if the socket is open; else it waits for resync. */
  transmit(entry) {
    clearTimeout(entry.timer);
    entry.state = 'pending';
    if (this.connection.send({ type: 'send', roomId: entry.roomId, clientMsgId: entry.clientMsgId, text: entry.text })) {
      entry.timer = setTimeout(() => {
        if (this.outbox.get(entry.clientMsgId) === entry && entry.state === 'pending' && this.connection.isOpen) {
          this.fail(entry, 'no answer from the server.');
        }
      }, ACK_WITHIN_MS);
    }
    this.view.renderPending();
  }

  retry(clientMsgId) {
    const entry = this.outbox.get(clientMsgId);
    if (entry) this.transmit(entry);
  }

  fail(entry, reason) {
    clearTimeout(entry.timer);
    entry.state = 'failed';
    entry.reason = reason;
    this.view.renderPending();
  }

  delivered(clientMsgId) {
    clearTimeout(this.outbox.get(clientMsgId).timer);
    this.outbox.delete(clientMsgId);
    this.view.renderPending();
  }

  pendingIn(roomId) {
    return [...this.outbox.values()].filter((entry) => entry.roomId === roomId);
  }

  typing(roomId) {
    this.connection.send({ type: 'typing', roomId });
  }

  markRead(roomId, seq) {
    const room = this.rooms.get(roomId);
    if (room) {
      room.unread = 0;
      this.renderRooms();
    }
    if (!this.connection.send({ type: 'read', roomId, seq })) {
      this.api.post(`/api/rooms/${roomId}/read`, { seq }).catch(() => {});
    }
  }

  // ---- rooms ----

  async loadRooms() {
    const { rooms } = await this.api.get('/api/rooms');
    this.rooms = new Map(rooms.map((room) => [room.roomId, room]));
    if (this.view.roomId && !this.rooms.has(this.view.roomId)) this.closeRoom();
    if (this.view.roomId) {
      this.view.room = this.rooms.get(this.view.roomId);
      this.view.renderHeader();
    }
    this.renderRooms();
  }

  renderRooms() {
    this.roomList.render(this.rooms, this.view.roomId);
    const unread = [...this.rooms.values()].reduce((sum, room) => sum + room.unread, 0);
    document.title = unread > 0 ? `(${unread}) Chat` : 'Chat';
  }

  openRoom(roomId) {
    const room = this.rooms.get(roomId);
    if (!room) return;
    document.body.classList.add('room-is-open');
    this.view.open(room);
    this.renderRooms();
    this.lookUpPresence(room);
  }

  /** Presence frames come only for friends: other members' presence is asked for once. */
  lookUpPresence(room) {
    for (const userId of room.members) {
      if (userId === this.me || this.friends.has(userId) || this.presence.has(userId)) continue;
      this.api.get(`/api/users/${encodeURIComponent(userId)}`).then((user) => {
        this.presence.set(userId, user.online);
        this.view.renderHeader();
      }, () => {});
    }
  }

  closeRoom() {
    this.view.close();
    document.body.classList.remove('room-is-open');
    this.renderRooms();
  }

  forget(roomId) {
    this.rooms.delete(roomId);
    if (this.view.roomId === roomId) this.closeRoom();
    for (const entry of this.pendingIn(roomId)) this.outbox.delete(entry.clientMsgId);
    this.renderRooms();
  }

  async createRoom(name, members) {
    const room = await this.api.post('/api/rooms', { name: name || undefined, members });
    if (!this.rooms.has(room.roomId)) {
      this.rooms.set(room.roomId, room);
      this.subscribe(room);
    }
    this.openRoom(room.roomId);
  }

  async invite(roomId, userId) {
    const room = await this.api.post(`/api/rooms/${roomId}/members`, { userId });
    const known = this.rooms.get(roomId);
    if (known) {
      known.name = room.name;
      known.members = room.members;
    }
    this.renderRooms();
    this.view.renderHeader();
  }

  async leave(roomId) {
    try {
      await this.api.delete(`/api/rooms/${roomId}/members/me`);
    } catch (e) {
      if (!(e instanceof ApiError && e.code === 'NOT_A_MEMBER')) throw e;
    }
    this.forget(roomId);
  }

  setUpNewRoomForm() {
    const form = byId('new-room');
    const toggle = byId('new-room-button');
    const error = byId('new-room-error');
    const show = (shown) => {
      form.hidden = !shown;
      toggle.setAttribute('aria-expanded', String(shown));
      error.textContent = '';
      if (!shown) return;
      form.reset();
      const friends = [...this.friends.values()];
      byId('new-room-friends').replaceChildren(...(friends.length === 0
        ? [el('p', { class: 'empty' }, 'Add a friend first.')]
        : friends.map((f) => el('label', {}, el('input', { type: 'checkbox', value: f.userId }), ` ${f.name} (@${f.userId})`))));
      byId('new-room-name').focus();
    };
    toggle.addEventListener('click', () => show(form.hidden));
    byId('new-room-cancel').addEventListener('click', () => show(false));
    form.addEventListener('keydown', (event) => {
      if (event.key !== 'Escape') return;
      show(false);
      toggle.focus();
    });
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const members = [...form.querySelectorAll('input[type=checkbox]:checked')].map((box) => box.value);
      if (members.length === 0) {
        error.textContent = 'Choose at least one friend.';
        return;
      }
      try {
        await this.createRoom(byId('new-room-name').value.trim(), members);
        show(false);
      } catch (e) {
        error.textContent = e instanceof ApiError ? describe(e) : 'Something went wrong.';
      }
    });
  }

  // ---- friends ----

  async loadFriends() {
    const { friends } = await this.api.get('/api/friends');
    this.friends = new Map(friends.map((friend) => [friend.userId, friend]));
    this.friendList.render(this.friends);
    this.view.renderHeader();
  }

  async addFriend(userId) {
    const friend = await this.api.post('/api/friends', { userId });
    this.friends.set(friend.userId, friend);
    this.friends = new Map([...this.friends].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    this.friendList.render(this.friends);
    this.view.renderHeader();
  }

  async removeFriend(userId) {
    await this.api.delete(`/api/friends/${encodeURIComponent(userId)}`);
    this.friends.delete(userId);
    this.friendList.render(this.friends);
    this.view.renderHeader();
  }

  /** true, false, or undefined when this client cannot know (a member who is not a friend). */
  isOnline(userId) {
    if (userId === this.me) return true;
    const friend = this.friends.get(userId);
    return friend ? friend.online : this.presence.get(userId);
  }
}
