// The app's version, from package.json at build time (electron-vite defines nothing for this, so
// the JSON is imported and bundled).
import packageJson from '../../package.json';

export function appVersion(): string {
  return packageJson.version;
}
