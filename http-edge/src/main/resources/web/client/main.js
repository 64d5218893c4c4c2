// The web chat client's entry point: the sign-in forms or the chat, depending on the session.

import { Api } from './api.js';
import { AuthView } from './auth-view.js';
import { ChatApp } from './chat-app.js';
import { byId } from './dom.js';
import { Session } from './session.js';

const session = new Session((reason) => {
  app.stop();
  auth.show(reason);
});
const api = new Api(session);
const app = new ChatApp(session, api);
const auth = new AuthView((userId, tokens) => {
  session.save(userId, tokens);
  auth.hide();
  app.start(userId);
});

byId('sign-out').addEventListener('click', () => session.signOut());

// Another tab signed in: follow it.
window.addEventListener('storage', () => {
  const userId = session.userId;
  if (userId && userId !== app.me) {
    if (app.me) app.stop();
    auth.hide();
    app.start(userId);
  }
});

if (session.stored()) {
  session.schedule();
  app.start(session.userId);
} else {
  auth.show();
}
