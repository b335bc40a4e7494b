// The console's only script besides htmx: copy buttons, the preview's example picker, confirmations, CSRF header.
document.addEventListener('DOMContentLoaded', () => {
  const csrf = document.querySelector('meta[name="csrf-token"]');
  document.body.addEventListener('htmx:configRequest', (e) => {
    if (csrf) e.detail.headers['X-CSRF-Token'] = csrf.content;
  });
  document.body.addEventListener('click', async (e) => {
    const button = e.target.closest('button.copy');
    if (!button) return;
    const field = document.getElementById(button.dataset.copy);
    const status = button.parentElement.querySelector('.copy-status');
    field.select();
    let copied = false;
    try {
      await navigator.clipboard.writeText(field.value);
      copied = true;
    } catch (err) {
      copied = document.execCommand && document.execCommand('copy');
    }
    if (status) status.textContent = copied ? 'Copied to the clipboard.' : 'Press Ctrl+C (⌘C) to copy the selected text.';
  });
  document.body.addEventListener('submit', (e) => {
    const message = e.target.dataset.confirm;
    if (message && !window.confirm(message)) e.preventDefault();
  });
  const picker = document.querySelector('.example-picker');
  if (picker) {
    picker.addEventListener('change', () => {
      const option = picker.selectedOptions[0];
      if (!option || !option.value) return;
      document.getElementById('previewType').value = option.dataset.type;
      document.getElementById('previewLevel').value = option.dataset.level;
      document.getElementById('previewSummary').value = option.dataset.summary;
      document.getElementById('previewPayload').value = option.dataset.payload;
    });
  }
});
