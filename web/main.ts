// The page: a gallery at #/, an appliance at #/a/<id>.
import catalog from '../images/appliances.json';
import type { ApplianceSpec } from '../worker/protocol.ts';
import { openAppliance, type ApplianceView } from './appliance-view.ts';
import { clearError, showError } from './dom.ts';
import { renderGallery } from './gallery.ts';

const appliances: ApplianceSpec[] = catalog;
const root = document.getElementById('app')!;
let view: ApplianceView | undefined;

/** Shows what the address bar names: reload reopens the same appliance. */
function route(): void {
  view?.dispose();
  view = undefined;
  clearError();
  const match = /^#\/a\/([^/?]+)/.exec(location.hash);
  if (!match) {
    renderGallery(root, appliances);
    return;
  }
  const id = decodeURIComponent(match[1]!);
  const appliance = appliances.find((a) => a.id === id);
  if (!appliance) {
    renderGallery(root, appliances);
    showError(`There is no appliance '${id}'. Pick one of: ${appliances.map((a) => a.id).join(', ')}.`);
    return;
  }
  document.title = `${appliance.title} · Tabcloud`;
  view = openAppliance(root, appliance);
}

window.addEventListener('hashchange', route);
route();
