// The friends list with each friend's presence, and the form that adds a friend.

import { ApiError } from './api.js';
import { byId, el } from './dom.js';
import { describe } from './messages.js';

export class FriendList {
  /**
   * @param add async function (userId) adding a friend
   * @param remove async function (userId) removing one
   */
  constructor(add, remove) {
    this.list = byId('friends');
    this.empty = byId('friends-empty');
    this.input = byId('friend-id');
    this.error = byId('friend-id-error');
    byId('add-friend').addEventListener('submit', async (event) => {
      event.preventDefault();
      const userId = this.input.value.trim();
      this.showError('');
      if (!userId) {
        this.showError("Enter your friend's user id.");
        return;
      }
      try {
        await add(userId);
        this.input.value = '';
      } catch (e) {
        this.showError(e instanceof ApiError ? describe(e) : 'Something went wrong.');
      }
    });
    this.list.addEventListener('click', async (event) => {
      const button = event.target.closest('button[data-remove]');
      if (!button || !confirm(`Remove ${button.dataset.remove} from your friends?`)) return;
      try {
        await remove(button.dataset.remove);
      } catch (e) {
        this.showError(e instanceof ApiError ? describe(e) : 'Something went wrong.');
      }
    });
  }

  showError(message) {
    this.error.textContent = message;
    if (message) {
      this.input.setAttribute('aria-invalid', 'true');
      this.input.focus();
    } else {
      this.input.removeAttribute('aria-invalid');
    }
  }

  render(friends) {
    this.list.replaceChildren(...[...friends.values()].map((friend) => el('li', { class: 'friend', 'data-user-id': friend.userId },
      el('span', { class: friend.online ? 'dot online' : 'dot', 'aria-hidden': 'true' }),
      el('span', { class: 'friend-name' }, friend.name, ' ', el('span', { class: 'user-id' }, `@${friend.userId}`)),
      el('span', { class: 'presence' }, friend.online ? 'online' : 'offline'),
      el('button', { type: 'button', class: 'remove', 'data-remove': friend.userId, 'aria-label': `Remove ${friend.userId}` }, '×'))));
    this.empty.hidden = friends.size > 0;
  }
}
