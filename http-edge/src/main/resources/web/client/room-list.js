// The list of rooms, most recent activity first, each with its last message and unread count.

import { byId, el } from './dom.js';

/** When a room was last active: its last message, or its creation. ISO strings sort as times. */
export function activity(room) {
  return room.lastMessage ? room.lastMessage.sentAt : room.createdAt;
}

export class RoomList {
  /** @param onSelect called with the roomId of the room the user picks */
  constructor(onSelect) {
    this.list = byId('rooms');
    this.empty = byId('rooms-empty');
    this.items = new Map(); // roomId → <li>
    this.list.addEventListener('click', (event) => {
      const button = event.target.closest('button[data-room-id]');
      if (button) onSelect(button.dataset.roomId);
    });
  }

  render(rooms, openRoomId) {
    const sorted = [...rooms.values()].sort((a, b) => activity(b).localeCompare(activity(a)));
    for (const [roomId, item] of this.items) {
      if (!rooms.has(roomId)) {
        item.remove();
        this.items.delete(roomId);
      }
    }
    // Items are rebuilt: keep the keyboard focus on the room it was on.
    const focusedRoomId = this.list.contains(document.activeElement) ? document.activeElement.dataset.roomId : null;
    sorted.forEach((room, index) => {
      let item = this.items.get(room.roomId);
      if (!item) {
        item = el('li');
        this.items.set(room.roomId, item);
      }
      item.replaceChildren(this.button(room, room.roomId === openRoomId));
      // Move only what is out of place.
      if (this.list.children[index] !== item) this.list.insertBefore(item, this.list.children[index] || null);
    });
    const refocus = focusedRoomId && this.items.get(focusedRoomId);
    if (refocus) refocus.firstChild.focus();
    this.empty.hidden = rooms.size > 0;
  }

  button(room, open) {
    const last = room.lastMessage;
    return el('button', { type: 'button', class: 'room-item', 'data-room-id': room.roomId, 'aria-current': open ? 'true' : false },
      el('span', { class: 'room-name' }, room.name),
      room.unread > 0
        ? el('span', { class: 'badge' }, String(room.unread), el('span', { class: 'visually-hidden' }, ' unread'))
        : null,
      el('span', { class: 'room-last' }, last ? `${last.senderId}: ${last.text}` : 'No messages yet'));
  }
}
