// The start page: links to the pages a device may show.
import { apiPath, pageLink } from "./centre.js";
import { apply, languageButton, load, t } from "./i18n.js";

async function start() {
  await load();
  apply();
  document.title = t("web.index.title");
  languageButton(() => (document.title = t("web.index.title")));
  // Under a centre's prefix the links stay at that centre.
  for (const link of document.querySelectorAll("a.destination"))
    link.setAttribute("href", pageLink(link.getAttribute("href")));
  try {
    const view = await (await fetch(apiPath("/api/v1/view"))).json();
    document.getElementById("centre").textContent = view.centreName ?? "";
  } catch {
    // The centre's name is a nicety; the links work without it.
  }
}

start();
