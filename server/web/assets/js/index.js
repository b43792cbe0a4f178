// The start page: links to the pages a device may show.
import { apply, languageButton, load, t } from "./i18n.js";

async function start() {
  await load();
  apply();
  document.title = t("web.index.title");
  languageButton(() => (document.title = t("web.index.title")));
  try {
    const view = await (await fetch("/api/v1/view")).json();
    document.getElementById("centre").textContent = view.centreName ?? "";
  } catch {
    // The centre's name is a nicety; the links work without it.
  }
}

start();
