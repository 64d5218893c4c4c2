// The one WebSocket of this tab: connects, reports its state, reconnects with backoff.
//
// After close code 1012 (the node is restarting) it reconnects at once: another node is ready.
// Otherwise it waits 0.5 s, 1 s, 2 s … up to 30 s, each randomised, so a crowd of clients does not
// reconnect in step. A ping every 25 s that gets no answer within 10 s counts as a lost network.

const PING_EVERY_MS = 25_000;
const PONG_WITHIN_MS = 10_000;
const MAX_DELAY_MS = 30_000;

export class Connection {
  /**
   * @param url async function giving the URL to connect to (with a fresh token); told whether the previous attempt failed before opening
   * @param onOpen called after each (re)connect, before any frame
   * @param onFrame called with each parsed frame
   * @param onState called with "connecting", "connected", "reconnecting" or "offline"
   */
  constructor({ url, onOpen, onFrame, onState }) {
    this.url = url;
    this.onOpen = onOpen;
    this.onFrame = onFrame;
    this.onState = onState;
    this.socket = null;
    this.attempts = 0;
    this.stopped = true;
    this.retryTimer = null;
    this.pingTimer = null;
    this.pongTimer = null;
    this.onOnline = () => this.reconnectNow();
    this.onOffline = () => this.drop();
  }

  get isOpen() {
    return this.socket !== null && this.socket.readyState === WebSocket.OPEN;
  }

  start() {
    this.stopped = false;
    window.addEventListener('online', this.onOnline);
    window.addEventListener('offline', this.onOffline);
    this.connect(false);
  }

  stop() {
    this.stopped = true;
    window.removeEventListener('online', this.onOnline);
    window.removeEventListener('offline', this.onOffline);
    clearTimeout(this.retryTimer);
    this.stopPing();
    if (this.socket) {
      const socket = this.socket;
      this.socket = null;
      socket.close(1000);
    }
  }

  /** Sends a frame if the socket is open; returns whether it went out. */
  send(frame) {
    if (!this.isOpen) return false;
    this.socket.send(JSON.stringify(frame));
    return true;
  }

  async connect(previousFailed) {
    if (this.stopped) return;
    this.onState(this.attempts === 0 ? 'connecting' : 'reconnecting');
    let url;
    try {
      url = await this.url(previousFailed);
    } catch (e) {
      this.retryLater(false);
      return;
    }
    if (this.stopped) return;
    const socket = new WebSocket(url);
    this.socket = socket;
    let opened = false;
    socket.onopen = () => {
      opened = true;
      this.attempts = 0;
      this.onState('connected');
      this.startPing();
      this.onOpen();
    };
    socket.onmessage = (event) => {
      this.heardFromServer();
      let frame;
      try {
        frame = JSON.parse(event.data);
      } catch (e) {
        return;
      }
      if (frame.type !== 'pong') this.onFrame(frame);
    };
    socket.onclose = (event) => {
      if (this.socket !== socket) return; // replaced or stopped
      this.socket = null;
      this.stopPing();
      this.retryLater(event.code === 1012, !opened);
    };
  }

  retryLater(atOnce, failedBeforeOpen = true) {
    if (this.stopped) return;
    clearTimeout(this.retryTimer);
    this.onState(navigator.onLine === false ? 'offline' : 'reconnecting');
    const backoff = Math.min(MAX_DELAY_MS, 500 * 2 ** this.attempts);
    const delay = atOnce ? Math.random() * 300 : backoff / 2 + Math.random() * backoff / 2;
    this.attempts += 1;
    this.retryTimer = setTimeout(() => this.connect(failedBeforeOpen), delay);
  }

  reconnectNow() {
    if (this.stopped || this.isOpen) return;
    this.attempts = 0;
    clearTimeout(this.retryTimer);
    if (this.socket) this.drop();
    else this.connect(false);
  }

  /** Gives up on the current socket without waiting for a closing handshake a dead network never ends. */
  drop() {
    const socket = this.socket;
    if (!socket) return;
    this.socket = null;
    this.stopPing();
    socket.close();
    this.retryLater(false, false);
  }

  startPing() {
    this.stopPing();
    this.pingTimer = setInterval(() => {
      if (!this.send({ type: 'ping' })) return;
      clearTimeout(this.pongTimer);
      this.pongTimer = setTimeout(() => this.drop(), PONG_WITHIN_MS);
    }, PING_EVERY_MS);
  }

  heardFromServer() {
    clearTimeout(this.pongTimer);
  }

  stopPing() {
    clearInterval(this.pingTimer);
    clearTimeout(this.pongTimer);
  }
}
