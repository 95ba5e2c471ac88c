// The loopback file server in its own process for benchmarks, so the client under test does not
// share its event loop with the server (curl never does). Driven over IPC by the parent:
// {files} in, {url} out; {type: 'bytesSent', path} answers {bytesSent}.
import { startFileServer } from '../../main/testing/http/startFileServer';
import type { FileSource } from '../../main/testing/http/startFileServer';

interface StartMessage {
  readonly type: 'start';
  readonly files: Record<string, FileSource>;
}
interface BytesMessage {
  readonly type: 'bytesSent';
  readonly path: string;
}

process.once('message', (message: StartMessage) => {
  void startFileServer({ files: message.files }).then((server) => {
    process.on('message', (request: BytesMessage) => {
      process.send?.({ type: 'bytesSent', bytesSent: server.bytesSent(request.path) });
    });
    process.on('disconnect', () => {
      void server.close().then(() => process.exit(0));
    });
    process.send?.({ type: 'ready', url: server.url('/') });
  });
});
