import electron from 'electron';
import type { ElectronApi } from './electron-api.js';
import { startApp } from './app.js';

// The only file that touches the real Electron module; everything else receives it (see electron-api.ts).
void startApp(electron as unknown as ElectronApi).catch((err) => {
  console.error(err);
  electron.app.exit(1);
});
