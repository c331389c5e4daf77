// Mexico's states as a light GeoJSON outline shipped with the console (src/web/geo/README.md),
// fetched once per page: the map needs no internet to show where an alarm is.

/** @type {Promise<any> | undefined} */
let outline;

export function loadOutline() {
  outline ??= fetch('/assets/geo/mexico-states.geojson', { credentials: 'same-origin' }).then((res) => {
    if (!res.ok) throw new Error(`outline ${res.status}`);
    return res.json();
  });
  return outline;
}
