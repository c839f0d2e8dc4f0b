// The registration button says what will happen for the ticked mode: a seat, or the waiting list.
// Without this script the server's wording already covers every case.
document.querySelectorAll("[data-attendance-submit]").forEach((button) => {
  const form = button.form;
  const update = () => {
    const ticked = form.querySelector('input[name="attendance"]:checked');
    if (ticked) {
      button.textContent = ticked.dataset.full === "true" ? button.dataset.labelFull : button.dataset.labelOpen;
    }
  };
  form.addEventListener("change", update);
  update();
});
