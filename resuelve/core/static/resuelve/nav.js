// One staff menu open at a time; Escape or a click elsewhere closes it. The menus work
// without this script (they are <details>); it only tidies them.
document.addEventListener("DOMContentLoaded", () => {
  const menus = [...document.querySelectorAll(".topbar details.menu")];
  menus.forEach((menu) => menu.addEventListener("toggle", () => {
    if (menu.open) menus.filter((other) => other !== menu).forEach((other) => { other.open = false; });
  }));
  document.addEventListener("click", (event) => {
    menus.filter((menu) => menu.open && !menu.contains(event.target)).forEach((menu) => { menu.open = false; });
  });
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    menus.filter((menu) => menu.open).forEach((menu) => { menu.open = false; menu.querySelector("summary").focus(); });
  });
});
