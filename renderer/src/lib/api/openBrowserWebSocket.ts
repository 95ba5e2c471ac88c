// Adapts the browser's WebSocket to the transport's WebSocketLike. The DOM types its handlers with
// DOM event parameters, which the environment-free WebSocketLike (unknown events) cannot accept
// directly, so the handlers are forwarded instead of cast.
import type { WebSocketLike } from '../../../../common/api/createHttpRawApi';

export function openBrowserWebSocket(url: string): WebSocketLike {
  const socket = new WebSocket(url);
  const adapter: WebSocketLike = {
    onopen: null,
    onmessage: null,
    onclose: null,
    onerror: null,
    close: () => {
      socket.close();
    },
  };
  socket.onopen = (event) => {
    adapter.onopen?.(event);
  };
  socket.onmessage = (event) => {
    const data: unknown = event.data;
    adapter.onmessage?.({ data });
  };
  socket.onclose = (event) => {
    adapter.onclose?.(event);
  };
  socket.onerror = (event) => {
    adapter.onerror?.(event);
  };
  return adapter;
}
