import type { Page } from 'playwright-core';

/** Drops a file on an element the way a user's drag from the file manager arrives: a DataTransfer holding a File. */
export async function dropFile(page: Page, testId: string, name: string, data: Buffer) {
  await page.getByTestId(testId).waitFor();
  // a string script: the test project has no DOM types, the page has them
  await page.evaluate(`(() => {
    const el = document.querySelector('[data-testid=${JSON.stringify(testId)}]');
    const bytes = Uint8Array.from(atob(${JSON.stringify(data.toString('base64'))}), (c) => c.charCodeAt(0));
    const dt = new DataTransfer();
    dt.items.add(new File([bytes], ${JSON.stringify(name)}));
    el.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
    el.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  })()`);
}
