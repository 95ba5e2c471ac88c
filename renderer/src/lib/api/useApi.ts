// The typed API from the nearest provider; a missing provider is a wiring bug, so it throws.
import { useContext } from 'react';
import type { CodesageApi } from '../../../../common/api/contract';
import { ApiContext } from './ApiContext';

export function useApi(): CodesageApi {
  const api = useContext(ApiContext);
  if (api === null) throw new Error('useApi() was called outside <AppProviders>; wrap the tree in it.');
  return api;
}
