/** Has the browser save `value` as a pretty-printed JSON file called `fileName`. */
export function saveJsonFile(document: Document, fileName: string, value: unknown): void {
  const view = document.defaultView;
  if (!view) {
    return;
  }
  const url = view.URL.createObjectURL(new Blob([JSON.stringify(value, null, 2) + '\n'], { type: 'application/json' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  document.body.appendChild(link);
  link.click();
  link.remove();
  // Revoke after the click has been handled, or some browsers cancel the download.
  view.setTimeout(() => view.URL.revokeObjectURL(url), 0);
}
