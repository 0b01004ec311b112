import type { BrowserWindow, Dialog } from 'electron';

/** The file dialog runs in the main process: the renderer only ever learns the ids of what was added. */
export async function pickEvidenceFiles(dialog: Dialog, win: BrowserWindow | null): Promise<string[]> {
  const options = { properties: ['openFile', 'multiSelections'] as ('openFile' | 'multiSelections')[] };
  const result = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
  return result.canceled ? [] : result.filePaths;
}
