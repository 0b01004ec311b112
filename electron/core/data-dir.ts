import { homedir } from 'node:os';
import { join } from 'node:path';

export const APP_NAME = 'Redress';
export const APP_VERSION = '0.1.0';

/**
 * The same folder Electron's app.getPath('userData') gives the desktop app, so the CLI and the app share a
 * vault by default. The vault lives in its "data" subfolder, apart from Electron's own caches.
 */
export function userDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), APP_NAME);
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', APP_NAME);
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), APP_NAME);
}

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.REDRESS_DATA_DIR || join(userDataDir(env), 'data');
}

/**
 * Who acts, as a vault records it in every custody entry: a name the user chose (REDRESS_ACTOR), or the tool, which
 * the vault prefixes with its own pseudonym (vaultPseudonym in vault/keys.ts). Never the OS user name: the actor
 * travels in every packet and bundle.
 */
export type ActorOption = string | { tool: string };

export function defaultActor(tool: string, env: NodeJS.ProcessEnv = process.env): ActorOption {
  return env.REDRESS_ACTOR ? env.REDRESS_ACTOR : { tool: `${tool} ${APP_VERSION}` };
}
