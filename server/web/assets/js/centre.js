// Which centre a page belongs to. A server of several centres serves every
// page under /centres/{centre}/ as well (/centres/hcc/board); such a page
// talks to that centre's API (/api/v1/centres/hcc/...) and links to its
// sibling pages under the same prefix. Without the prefix, today's paths.

const match = location.pathname.match(/^\/centres\/([A-Za-z0-9_-]{1,32})(\/.*)?$/);

// The centre's id, or "" for a page without the prefix.
export const centre = match ? match[1] : "";

// The page's own path without the prefix ("/ticket/abc").
export const pagePath = match ? match[2] || "/" : location.pathname;

// `path` of the API ("/api/v1/view") as this page's centre answers it.
export function apiPath(path) {
  if (!centre || !path.startsWith("/api/v1/")) return path;
  return `/api/v1/centres/${centre}/${path.slice("/api/v1/".length)}`;
}

// A link to another page ("/board") of this page's centre.
export function pageLink(path) {
  return centre ? `/centres/${centre}${path}` : path;
}
