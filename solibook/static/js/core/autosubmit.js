// Submit a form when one of its controls marked data-autosubmit changes
// (language switcher, location pickers). Replaces inline onchange handlers,
// which the Content-Security-Policy forbids.
document.addEventListener("change", (event) => {
  const control = event.target.closest("[data-autosubmit]");
  if (control && control.form) {
    control.form.requestSubmit ? control.form.requestSubmit() : control.form.submit();
  }
});
