import type { BrowserWindow, Dialog } from 'electron';

/** The file dialog runs in the main process: the renderer only ever learns the ids of what was added. */
export async function pickEvidenceFiles(dialog: Dialog, win: BrowserWindow | null): Promise<string[]> {
  const options = { properties: ['openFile', 'multiSelections'] as ('openFile' | 'multiSelections')[] };
  const result = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
  return result.canceled ? [] : result.filePaths;
}

/** Where a complaint packet is written: chosen in the main process, so the renderer never names a path. */
export async function pickOutputFolder(dialog: Dialog, win: BrowserWindow | null): Promise<string | null> {
  const options = { properties: ['openDirectory', 'createDirectory'] as ('openDirectory' | 'createDirectory')[] };
  const result = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
  return result.canceled ? null : (result.filePaths[0] ?? null);
}

/** A case exchange bundle to import, picked in the main process. */
export async function pickBundleFile(dialog: Dialog, win: BrowserWindow | null): Promise<string | null> {
  const options = { properties: ['openFile'] as 'openFile'[], filters: [{ name: 'Redress', extensions: ['redress'] }] };
  const result = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
  return result.canceled ? null : (result.filePaths[0] ?? null);
}

/** Where an export (bundle, statistics) is saved, chosen in the main process. */
export async function pickSavePath(dialog: Dialog, win: BrowserWindow | null, suggestedName: string, extensions: string[]): Promise<string | null> {
  const options = { defaultPath: suggestedName, filters: [{ name: extensions.map((e) => e.toUpperCase()).join(', '), extensions }] };
  const result = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
  return result.canceled || !result.filePath ? null : result.filePath;
}
