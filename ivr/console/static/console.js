// Console behaviour kept out of the pages themselves, so the Content-Security-Policy can
// refuse every inline script: a <select data-submit> submits its form when changed.
document.querySelectorAll("select[data-submit]").forEach((select) => {
  select.addEventListener("change", () => select.form.submit());
});
