// Formats a generated file exactly as `prettier --write` would (the repository's config), so that
// generated files pass `npm run lint` and regenerating them gives the bytes that are committed.
import { format, resolveConfig } from 'prettier';

export async function formatLikePrettier(path: string, text: string): Promise<string> {
  const config = (await resolveConfig(path)) ?? {};
  return format(text, { ...config, filepath: path });
}
