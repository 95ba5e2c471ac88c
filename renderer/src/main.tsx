// Renderer entry: picks the transport, creates the store, binds main's events to it and renders
// the shell. Identical in the Electron window and in serve mode's browser tab.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import type { Root } from 'react-dom/client';
import { App } from './app/App';
import { AppProviders } from './app/AppProviders';
import { bindApiToStore } from './app/store/bindApiToStore';
import { createAppStore } from './app/store/createAppStore';
import type { AppStore } from './app/store/createAppStore';
import { StartupError } from './components/StartupError';
import { getApiClient } from './lib/api/getApiClient';
import { toErrorInfo } from './lib/errors/toErrorInfo';
import './styles/theme.css';
import './styles/app.css';
import './styles/chat.css';
import './styles/highlight.css';

function start(root: Root): void {
  let store: AppStore | null = null;
  const client = getApiClient({
    // The socket opens asynchronously, after the store below exists.
    onConnectionChange: (connected) => {
      store?.getState().eventsConnectionChanged(connected);
    },
  });
  store = createAppStore({ transport: client.transport });
  bindApiToStore(client.api, store);
  root.render(
    <StrictMode>
      <AppProviders api={client.api} store={store}>
        <App />
      </AppProviders>
    </StrictMode>,
  );
}

const container = document.getElementById('root');
if (container === null) throw new Error('index.html has no #root element to render CodeSage into.');
const root = createRoot(container);
try {
  start(root);
} catch (error) {
  root.render(<StartupError error={toErrorInfo(error)} />);
}
