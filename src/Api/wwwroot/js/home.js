// The home page's copy button; a file rather than inline script, so the page's CSP allows only 'self'.
document.addEventListener('DOMContentLoaded', () => {
  for (const button of document.querySelectorAll('button[data-copy]')) {
    const source = document.getElementById(button.dataset.copy);
    const status = button.parentElement.querySelector('[role="status"]');
    button.hidden = false;
    button.addEventListener('click', async () => {
      try {
        await navigator.clipboard.writeText(source.textContent.trim());
        status.textContent = 'Copied.';
      } catch {
        // No clipboard outside secure contexts (plain http off loopback): select the text for Ctrl+C instead.
        const range = document.createRange();
        range.selectNodeContents(source);
        getSelection().removeAllRanges();
        getSelection().addRange(range);
        status.textContent = 'Selected: press Ctrl+C to copy.';
      }
    });
  }
});
