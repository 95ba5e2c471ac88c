// React context carrying the typed API, so components call main without knowing the transport.
import { createContext } from 'react';
import type { CodesageApi } from '../../../../common/api/contract';

export const ApiContext = createContext<CodesageApi | null>(null);
